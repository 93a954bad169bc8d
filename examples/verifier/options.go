package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/anchor/ethereum"
	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/verify"
)

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// verifierFlags are the flags serve and verify share.
type verifierFlags struct {
	trust            string
	trustKeys        listFlag
	ethRPC           listFlag
	ledgers          listFlag
	offline          bool
	allowLoopback    bool
	allowTestAnchors bool
	now              string
	ethConfirmations uint64
	issuerProfiles   listFlag // Blockcerts issuer profiles and controller documents
	revocationLists  listFlag // URL=FILE
	contexts         listFlag // URL=FILE
	relatedResources listFlag // URL=FILE
	anyIssuer        bool     // --without-issuer-trust-unsafe
	// wrapAnchors, when set, wraps the anchor resolver (serve's metrics).
	wrapAnchors func(anchor.Resolver) (anchor.Resolver, error)
}

func (f *verifierFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.trust, "trust", "", "trust list `FILE` (plain, or a credential signed by a --trust-key)")
	fs.Var(&f.trustKeys, "trust-key", "trust this `KEY`'s controller as an issuer (did:key or Multikey); repeatable")
	fs.Var(&f.ethRPC, "eth-rpc", "Ethereum JSON-RPC endpoint as `NETWORK=URL` (mainnet, sepolia or a chain id); repeatable")
	fs.Var(&f.ledgers, "ledger", "embedded ledger `DIR`; repeatable")
	fs.BoolVar(&f.offline, "offline", false, "no network access: what needs it is indeterminate")
	fs.BoolVar(&f.allowLoopback, "allow-loopback", false, "let status list and did:web fetches go to loopback addresses")
	fs.BoolVar(&f.allowTestAnchors, "allow-test-anchors", false, "accept test anchors such as Blockcerts mocknet (reported as not anchored)")
	fs.StringVar(&f.now, "now", "", "verify as of this RFC 3339 `TIME` instead of now")
	fs.Var(&f.issuerProfiles, "issuer-profile", "an issuer's profile or controller document `FILE` (Blockcerts and Open Badges issuer profiles, DID documents), used instead of fetching it; repeatable")
	fs.Var(&f.revocationLists, "revocation-list", "a Blockcerts revocation list as `URL=FILE`, used instead of fetching URL; repeatable")
	fs.Var(&f.contexts, "context", "a JSON-LD context as `URL=FILE`, beside the ones the verifier holds; repeatable")
	fs.BoolVar(&f.anyIssuer, "without-issuer-trust-unsafe", false, "accept any issuer whose signature verifies (every other check still runs): for inspecting credentials and running conformance suites, never for decisions")
	fs.Var(&f.relatedResources, "related-resource", "the content of a resource credentials pin in relatedResource, as `URL=FILE`: a digest that does not match fails; repeatable")
	fs.Uint64Var(&f.ethConfirmations, "eth-confirmations", 1, "`N` confirmations an Ethereum anchor needs; fewer is indeterminate (12 or more on public chains)")
}

// build turns the flags into verifier options; closers release ledgers.
func (f *verifierFlags) build() ([]verify.Option, func(), error) {
	var opts []verify.Option
	var closers []func()
	closeAll := func() {
		for _, c := range closers {
			c()
		}
	}
	now := time.Now
	if f.now != "" {
		t, err := time.Parse(time.RFC3339, f.now)
		if err != nil {
			return nil, closeAll, fmt.Errorf("--now: %w", err)
		}
		now = func() time.Time { return t }
		opts = append(opts, verify.WithClock(now))
	}
	for _, k := range f.trustKeys {
		opts = append(opts, verify.WithTrustedKey(k))
	}
	if f.anyIssuer && (f.trust != "" || len(f.trustKeys) > 0) {
		return nil, closeAll, errors.New("--without-issuer-trust-unsafe conflicts with --trust and --trust-key")
	}
	switch {
	case f.trust != "" && len(f.trustKeys) > 0:
		// Root keys given: the list must be signed by one of them.
		tl, err := verify.LoadTrustList(f.trust, f.trustKeys, now())
		if err != nil {
			return nil, closeAll, err
		}
		opts = append(opts, verify.WithTrustList(tl))
	case f.trust != "":
		tl, err := verify.LoadUnsignedTrustList(f.trust)
		if err != nil {
			return nil, closeAll, err
		}
		opts = append(opts, verify.WithTrustList(tl))
	case f.anyIssuer:
		opts = append(opts, verify.WithoutIssuerTrustUnsafe())
	case len(f.trustKeys) == 0:
		// Nothing trusted: every check runs, and the issuer check says so.
		opts = append(opts, verify.WithoutTrustList())
	}
	docOpts, err := f.documentOptions()
	if err != nil {
		return nil, closeAll, err
	}
	opts = append(opts, docOpts...)
	if f.offline {
		opts = append(opts, verify.WithOffline())
	}
	if f.allowLoopback {
		opts = append(opts, verify.WithAllowLoopback())
	}
	if f.allowTestAnchors {
		opts = append(opts, verify.WithAllowTestAnchors())
	}
	mux := &anchor.Mux{}
	resolvers := 0
	for _, dir := range f.ledgers {
		// Read-only: a verifier never creates or changes a ledger, so a
		// mistyped directory is an error, not a new empty ledger.
		l, err := ledger.OpenReadOnly(dir)
		if err != nil {
			closeAll()
			return nil, func() {}, fmt.Errorf("--ledger %s: %w", dir, err)
		}
		closers = append(closers, func() { l.Close() })
		mux.HandleNetwork(anchor.ChainLedger, l.ID(), l)
		resolvers++
	}
	endpoints := map[string][]string{}
	var networks []string
	for _, spec := range f.ethRPC {
		network, url, ok := strings.Cut(spec, "=")
		if !ok || network == "" || url == "" {
			closeAll()
			return nil, func() {}, errors.New("--eth-rpc wants NETWORK=URL, e.g. sepolia=https://rpc.example or 1337=http://127.0.0.1:8545")
		}
		if _, seen := endpoints[network]; !seen {
			networks = append(networks, network)
		}
		endpoints[network] = append(endpoints[network], url)
	}
	for _, network := range networks {
		r, err := ethereum.NewResolver(network, endpoints[network], ethereum.WithMinConfirmations(f.ethConfirmations))
		if err != nil {
			closeAll()
			return nil, func() {}, fmt.Errorf("--eth-rpc %s: %w", network, err)
		}
		mux.HandleNetwork(anchor.ChainEthereum, network, r)
		resolvers++
	}
	if resolvers > 0 {
		var r anchor.Resolver = mux
		if f.wrapAnchors != nil {
			var err error
			if r, err = f.wrapAnchors(mux); err != nil {
				closeAll()
				return nil, func() {}, err
			}
		}
		opts = append(opts, verify.WithAnchorResolver(r))
	}
	return opts, closeAll, nil
}
