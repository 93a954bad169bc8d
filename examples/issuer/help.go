package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
)

// errHelp reports that --help was asked for and answered: exit 0.
var errHelp = errors.New("help")

// synopses are the commands' one-line usages, shown above their flags.
var synopses = map[string]string{
	"keygen":  "issuer keygen --type ed25519|p256|p384|secp256k1 --out KEYFILE",
	"issue":   "issuer issue --key KEYFILE --anchor none|ledger:DIR|eth:URL [flags] --out DIR INPUT...",
	"revoke":  "issuer revoke --key KEYFILE --status-dir DIR (--id BADGE_ID | --index N)",
	"present": "issuer present --key HOLDER_KEYFILE --challenge C --domain D [--allow-foreign] BADGE...",

	"bake":        "issuer bake --in BADGE --image IMAGE.png|IMAGE.svg --out FILE",
	"issue-jwt":   "issuer issue-jwt --key KEYFILE [--format vc+jwt|vc-jwt] [--out FILE] INPUT",
	"issue-sdjwt": "issuer issue-sdjwt --key KEYFILE --vct VCT [--disclose CLAIM]... [--holder DID] [--out FILE] INPUT",
	"serve":       "issuer serve --key KEYFILE... [--suite CRYPTOSUITE]... [--addr ADDR] [--status-url URL --status-dir DIR]",
}

// parseFlags parses args. --help prints the command's flags with their
// defaults on stdout and returns errHelp; a bad flag prints them on the
// flag set's output and returns errUsage.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	stderr := fs.Output()
	var out bytes.Buffer
	fs.SetOutput(&out)
	fs.Usage = func() {
		fmt.Fprintf(&out, "usage: %s\n\nflags:\n", synopses[fs.Name()])
		fs.PrintDefaults()
	}
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		stdout.Write(out.Bytes())
		return errHelp
	case err != nil:
		stderr.Write(out.Bytes())
		return errUsage
	}
	return nil
}
