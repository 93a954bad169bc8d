// Command issuer issues badges: it makes keys, signs credentials, anchors
// batches, keeps revocation lists and signs holders' presentations.
//
//	issuer keygen --type ed25519|p256|p384|secp256k1 --out KEYFILE
//	issuer issue --key KEYFILE --anchor none|ledger:DIR|eth:URL [--eth-key KEYFILE] [--anchor-timeout 10m]
//	             [--status-url URL --status-dir DIR] [--issuer-name NAME] [--issuer-name-ko NAME]
//	             [--force | --skip-existing] [--batch-size N] [--out-format files|sharded|jsonl] [--state DIR]
//	             --out DIR INPUT...
//	issuer revoke --key KEYFILE --status-dir DIR (--id BADGE_ID | --index N)
//	issuer present --key HOLDER_KEYFILE --challenge C --domain D [--allow-foreign] BADGE...
//	issuer bake --in BADGE --image IMAGE.png|IMAGE.svg --out FILE
//	issuer issue-jwt --key KEYFILE [--format vc+jwt|vc-jwt] [--out FILE] INPUT
//	issuer issue-sdjwt --key KEYFILE --vct VCT [--disclose CLAIM]... [--holder DID] [--out FILE] INPUT
//	issuer serve --key KEYFILE... [--suite CRYPTOSUITE]... [--addr ADDR] [--status-url URL --status-dir DIR]
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  issuer keygen --type ed25519|p256|p384|secp256k1 --out KEYFILE
  issuer issue --key KEYFILE --anchor none|ledger:DIR|eth:URL [--eth-key KEYFILE] [--anchor-timeout 10m]
               [--status-url URL --status-dir DIR] [--issuer-name NAME] [--issuer-name-ko NAME]
               [--force | --skip-existing] [--batch-size N] [--out-format files|sharded|jsonl] [--state DIR]
               --out DIR INPUT...
  issuer revoke --key KEYFILE --status-dir DIR (--id BADGE_ID | --index N)
  issuer present --key HOLDER_KEYFILE --challenge C --domain D [--allow-foreign] BADGE...
  issuer bake --in BADGE --image IMAGE.png|IMAGE.svg --out FILE
  issuer issue-jwt --key KEYFILE [--format vc+jwt|vc-jwt] [--out FILE] INPUT
  issuer issue-sdjwt --key KEYFILE --vct VCT [--disclose CLAIM]... [--holder DID] [--out FILE] INPUT
  issuer serve --key KEYFILE... [--suite CRYPTOSUITE]... [--addr ADDR] [--status-url URL --status-dir DIR]

"issuer COMMAND --help" lists a command's flags with their defaults.
`

// commands are the issuer's commands by name; each has a synopsis in
// synopses (help.go).
var commands = map[string]func(context.Context, []string, io.Writer, io.Writer) error{
	"keygen":  keygenCmd,
	"issue":   issueCmd,
	"revoke":  revokeCmd,
	"present": presentCmd,
	"serve":   serveCmd, // serve.go

	"bake":        bakeCmd,       // bake.go
	"issue-jwt":   issueJWTCmd,   // jose.go
	"issue-sdjwt": issueSDJWTCmd, // jose.go
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, ok := commands[args[0]]
	if !ok {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err := cmd(ctx, args[1:], stdout, stderr); err != nil {
		if err == errHelp {
			return 0
		}
		if err != errUsage {
			fmt.Fprintf(stderr, "%s: %v\n", args[0], err)
		}
		if err == errUsage || isUsage(err) {
			return 2
		}
		return 1
	}
	return 0
}
