package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
)

// addStatus gives each credential a revocation entry in the status list kept
// in dir (created for url if new) and publishes the list before any badge is
// signed, so no index can be handed out twice.
func addStatus(creds []*badge.Credential, signer *issuer.Signer, url, dir string) ([]*badge.Credential, error) {
	l, err := issuer.OpenStatusList(dir, signer, issuer.StatusListConfig{URL: url})
	if err != nil {
		return nil, err
	}
	defer l.Close()
	out := make([]*badge.Credential, len(creds))
	for i, c := range creds {
		if out[i], err = l.AddEntry(c); err != nil {
			return nil, err
		}
	}
	if _, err := l.Publish(); err != nil {
		return nil, err
	}
	return out, nil
}

func revokeCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("revoke", stderr)
	keyFile := fs.String("key", "", "the issuer's signing `KEYFILE`")
	dir := fs.String("status-dir", "", "the status list `DIR`")
	id := fs.String("id", "", "revoke the badge with this `ID`")
	index := fs.Int("index", -1, "revoke the badge at this status list `INDEX`")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	switch {
	case *keyFile == "" || *dir == "" || fs.NArg() > 0:
		return usageError{"revoke needs --key and --status-dir, and no arguments"}
	case (*id == "") == (*index < 0):
		return usageError{"revoke needs exactly one of --id and --index"}
	}
	if _, err := os.Stat(filepath.Join(*dir, issuer.StatusStateFile)); err != nil {
		return fmt.Errorf("%s holds no status list: %w", *dir, err)
	}
	signer, err := readSigner(*keyFile)
	if err != nil {
		return err
	}
	l, err := issuer.OpenStatusList(*dir, signer, issuer.StatusListConfig{})
	if err != nil {
		return err
	}
	defer l.Close()
	i := *index
	if *id != "" {
		i, err = l.Set(*id, true)
	} else {
		err = l.SetIndex(i, true)
	}
	if err != nil {
		return err
	}
	if _, err := l.Publish(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "revoked index %d; publish %s at %s\n", i, filepath.Join(*dir, issuer.StatusListFile), l.URL())
	return nil
}

func presentCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("present", stderr)
	keyFile := fs.String("key", "", "the holder's `KEYFILE`")
	challenge := fs.String("challenge", "", "the verifier's `CHALLENGE`")
	domain := fs.String("domain", "", "the verifier's `DOMAIN`")
	allowForeign := fs.Bool("allow-foreign", false, "present badges whose subject is not the holder's key (the verifier will fail their holder check)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	switch {
	case *keyFile == "" || *challenge == "" || *domain == "":
		return usageError{"present needs --key, --challenge and --domain"}
	case fs.NArg() == 0:
		return usageError{"present needs at least one BADGE file"}
	}
	signer, err := readSigner(*keyFile)
	if err != nil {
		return err
	}
	var creds []*badge.Credential
	for _, path := range fs.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		c, err := badge.ParseCredential(data, badge.Limits{})
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if !*allowForeign && !subjectIs(c, signer.DID()) {
			return fmt.Errorf("%s: the badge's subject is %s, not the holder %s: a verifier will not accept it as yours (--allow-foreign to present it anyway)",
				path, subjectOf(c), signer.DID())
		}
		creds = append(creds, c)
	}
	p, err := issuer.NewPresentation(signer.DID(), creds...)
	if err != nil {
		return err
	}
	out, err := signer.SignPresentation(p, *challenge, *domain)
	if err != nil {
		return err
	}
	_, err = stdout.Write(out)
	return err
}

// subjectIs reports whether did is a subject of c.
func subjectIs(c *badge.Credential, did string) bool {
	for _, s := range c.CredentialSubject {
		if s.ID == did {
			return true
		}
	}
	return false
}

func subjectOf(c *badge.Credential) string {
	for _, s := range c.CredentialSubject {
		if s.ID != "" {
			return s.ID
		}
	}
	return "not given (no credentialSubject id)"
}
