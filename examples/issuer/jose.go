package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// readJOSESigner reads the key file at path: the JOSE signer and the key's DID.
func readJOSESigner(path string) (*issuer.JOSESigner, string, error) {
	key, err := keys.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	s, err := issuer.NewJOSESigner(key)
	if err != nil {
		return nil, "", err
	}
	return s, key.PublicKey().DID(), nil
}

// writeOutput writes data and a newline to the file out (which must not
// exist), or to stdout when out is empty.
func writeOutput(out string, data string, stdout io.Writer) error {
	if out == "" {
		_, err := fmt.Fprintln(stdout, data)
		return err
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(f, data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// issueJWTCmd signs one unsigned credential as a JWT: VC 2.0 secured with
// JOSE (vc+jwt), or the Open Badges 3.0 VC-JWT (the VC 1.1 JWT encoding).
func issueJWTCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("issue-jwt", stderr)
	keyFile := fs.String("key", "", "the issuer's signing `KEYFILE`")
	format := fs.String("format", "vc+jwt", "vc+jwt (VC 2.0 secured with JOSE) or vc-jwt (Open Badges 3.0 VC-JWT, VC 1.1 encoding)")
	out := fs.String("out", "", "write the JWT to `FILE` (must not exist; default: standard output)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *keyFile == "" || fs.NArg() != 1 {
		return usageError{"issue-jwt needs --key and one INPUT file"}
	}
	if *format != "vc+jwt" && *format != "vc-jwt" {
		return usageError{fmt.Sprintf("--format is vc+jwt or vc-jwt, not %q", *format)}
	}
	s, did, err := readJOSESigner(*keyFile)
	if err != nil {
		return err
	}
	data, err := readBounded(fs.Arg(0))
	if err != nil {
		return err
	}
	c, err := prepare(input{src: fs.Arg(0), data: data}, did, badge.Text{})
	if err != nil {
		return err
	}
	sign := s.SignVCJOSE
	if *format == "vc-jwt" {
		sign = s.SignVCJWT
	}
	tok, err := sign(c.Raw())
	if err != nil {
		return err
	}
	return writeOutput(*out, tok, stdout)
}

// listFlag collects comma-separated values of a repeatable flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// issueSDJWTCmd issues an SD-JWT VC of the claims in one JSON file.
func issueSDJWTCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("issue-sdjwt", stderr)
	keyFile := fs.String("key", "", "the issuer's signing `KEYFILE`")
	vct := fs.String("vct", "", "the credential type (`VCT`), e.g. urn:kr:badge:vct:national-qualification")
	var disclose listFlag
	fs.Var(&disclose, "disclose", "a `CLAIM` the holder may choose to disclose (name, or parent/name); repeat or separate with commas")
	decoys := fs.Int("decoys", 2, "decoy digests added to each set of disclosable claims (0 to 64)")
	holder := fs.String("holder", "", "the holder's `DID` (did:key): presentations must then carry a key binding by that key")
	issuerID := fs.String("issuer", "", "the issuer's `ID` (iss; default: the key's DID)")
	validFor := fs.Duration("valid-for", 0, "expire the credential `DURATION` after issuance (default: no expiry)")
	out := fs.String("out", "", "write the SD-JWT to `FILE` (must not exist; default: standard output)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *keyFile == "" || *vct == "" || fs.NArg() != 1 {
		return usageError{"issue-sdjwt needs --key, --vct and one INPUT file of claims"}
	}
	s, did, err := readJOSESigner(*keyFile)
	if err != nil {
		return err
	}
	if *issuerID == "" {
		*issuerID = did
	}
	data, err := readBounded(fs.Arg(0))
	if err != nil {
		return err
	}
	var claims map[string]any
	if err := json.Unmarshal(data, &claims); err != nil || claims == nil {
		return fmt.Errorf("%s: the claims are not a JSON object: %v", fs.Arg(0), err)
	}
	o := issuer.SDJWTOptions{VCT: *vct, Disclosable: disclose, Decoys: *decoys, ValidFor: *validFor}
	if *holder != "" {
		pk, err := keys.ParsePublicKey(*holder)
		if err != nil {
			return usageError{fmt.Sprintf("--holder: %v", err)}
		}
		o.Holder = pk
	}
	if *validFor < 0 || *validFor > 0 && *validFor < time.Second {
		return usageError{"--valid-for must be at least a second"}
	}
	sd, err := s.IssueSDJWT(*issuerID, claims, o)
	if err != nil {
		return err
	}
	return writeOutput(*out, sd, stdout)
}
