package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"

	"github.com/badgeproof/badgeproof/verify/verifyhttp"
)

// demoFiles is what writeDemoFiles made.
type demoFiles struct {
	root   string                 // the ministry's did:key, the trust list's root key
	badges []verifyhttp.DemoBadge // the demo badges, each in badges/NAME.json
	status http.Handler           // serves the status list at demoStatusPath; nil without a status base
}

// writeDemoFiles builds the embedded demo in dir (a fresh directory) and
// leaves there what a verifier outside this program reads to check the
// demo's badges:
//
//	trust-list.json    the trust list credential the ministry signed
//	ledger/            the embedded ledger the badges are anchored on
//	badges/NAME.json   each demo badge: qualification, degree, ..., tampered
//
// statusBase is as for newDemo: when it is given, the revoked badge is
// among them and the returned status handler, served at demoStatusPath
// under statusBase, answers for its status list.
func writeDemoFiles(ctx context.Context, dir, statusBase string) (*demoFiles, error) {
	d, err := newDemo(ctx, dir, statusBase)
	if err != nil {
		return nil, err
	}
	f := &demoFiles{root: d.ministry.did(), badges: d.badges}
	if d.revocation != nil {
		f.status = d.revocation // serves the list it published; needs no open directory
	}
	// Close the ledger, so that the reader opens it as its own.
	if err := d.Close(); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "trust-list.json"), d.trustDoc, 0o644); err != nil {
		return nil, err
	}
	if err := os.Mkdir(filepath.Join(dir, "badges"), 0o755); err != nil {
		return nil, err
	}
	for _, b := range d.badges {
		if err := os.WriteFile(filepath.Join(dir, "badges", b.Name+".json"), b.Data, 0o644); err != nil {
			return nil, err
		}
	}
	return f, nil
}
