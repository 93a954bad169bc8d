// Command embed is the smallest program an HR vendor writes with badgeproof:
// verify one badge file and print the verdict and each check.
//
//	embed (--trust FILE --trust-key ROOT | --trust-key ISSUER...) [--ledger DIR] BADGE.json
//
// It exits 0 when the badge verified, 1 when it did not, 2 on usage errors.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/verify"
)

type keyList []string

func (k *keyList) String() string     { return fmt.Sprint(*k) }
func (k *keyList) Set(s string) error { *k = append(*k, s); return nil }

func main() {
	var trustKeys keyList
	trustFile := flag.String("trust", "", "trust list `FILE`, signed by a --trust-key")
	ledgerDir := flag.String("ledger", "", "embedded ledger `DIR` the badges are anchored on")
	flag.Var(&trustKeys, "trust-key", "trusted issuer or trust-list root `KEY` (did:key); repeatable")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: embed [--trust FILE] [--trust-key DID]... [--ledger DIR] BADGE.json")
		os.Exit(2)
	}

	var opts []verify.Option
	switch {
	case *trustFile != "":
		// A trust list file must be signed by one of the root keys given.
		tl, err := verify.LoadTrustList(*trustFile, trustKeys, time.Now())
		check(err)
		opts = append(opts, verify.WithTrustList(tl))
	case len(trustKeys) > 0:
		for _, k := range trustKeys {
			opts = append(opts, verify.WithTrustedKey(k))
		}
	default:
		fmt.Fprintln(os.Stderr, "embed: give --trust FILE with its root --trust-key, or the issuers' --trust-key")
		os.Exit(2)
	}
	if *ledgerDir != "" {
		// Read-only: a verifier never creates a ledger (a mistyped
		// directory is an error) and refuses a damaged one.
		l, err := ledger.OpenReadOnly(*ledgerDir)
		check(err)
		defer l.Close()
		opts = append(opts, verify.WithAnchorResolver(l))
	}
	v, err := verify.New(opts...)
	check(err)
	data, err := os.ReadFile(flag.Arg(0))
	check(err)

	report := v.Verify(context.Background(), data, verify.Binding{})
	fmt.Println(report.Status)
	for _, c := range report.Checks {
		fmt.Printf("  %-9s %-13s %s\n", c.ID, c.Status, c.Message)
	}
	if !report.Verified {
		os.Exit(1)
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "embed:", err)
		os.Exit(2)
	}
}
