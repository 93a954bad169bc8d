package verify

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/internal/didweb"
	"github.com/badgeproof/badgeproof/internal/fetch"
	"github.com/badgeproof/badgeproof/internal/ttlcache"
)

// httpsKeyResolver resolves verification methods that are https URLs
// (https://example.edu/issuers/565049#key-1): the part before the fragment
// is a controller document (W3C Controlled Identifiers 1.0) or an Open
// Badges issuer profile listing its keys under verificationMethod, fetched
// with the did:web limits and address rules, cached for a bounded time. The
// document's id must be the URL it was fetched from, and the key is
// returned only when the document lists it under the proof's relationship;
// the key's controller is the document's id, so an issuer whose id is that
// URL signed with its own key.
type httpsKeyResolver struct {
	fetcher *fetch.Fetcher // nil when offline
	offline bool
	ttl     time.Duration
	cache   *ttlcache.Cache[*didDoc]
}

func newHTTPSKeyResolver(v *Verifier) (*httpsKeyResolver, error) {
	r := &httpsKeyResolver{offline: v.cfg.offline, ttl: v.cfg.statusTTL, fetcher: v.fetcher}
	if r.ttl <= 0 {
		r.ttl = statusFailureTTL
	}
	c, err := ttlcache.New(ttlcache.Options[*didDoc]{Size: statusCacheSize})
	if err != nil {
		return nil, err
	}
	r.cache = c
	return r, nil
}

// webResolver sends https verification methods to the controller
// document resolver and every other one to the did:web resolver.
type webResolver struct {
	did   *didWebResolver
	https *httpsKeyResolver
}

func (w webResolver) ResolveKey(ctx context.Context, vm string, purpose ProofPurpose) (*Key, error) {
	if strings.HasPrefix(vm, "https://") {
		return w.https.ResolveKey(ctx, vm, purpose)
	}
	return w.did.ResolveKey(ctx, vm, purpose)
}

// controllerAccept asks for a controller document or a JSON-LD profile.
const controllerAccept = "application/cid+json, application/did+json, application/ld+json, application/json;q=0.9"

func (r *httpsKeyResolver) ResolveKey(ctx context.Context, vm string, purpose ProofPurpose) (*Key, error) {
	if !strings.HasPrefix(vm, "https://") {
		return nil, fmt.Errorf("%w: %s is not an https verification method", ErrUnknownKey, vm)
	}
	docURL, frag, ok := strings.Cut(vm, "#")
	if !ok || frag == "" {
		return nil, fmt.Errorf("%w: https verification method %q has no #fragment naming a key in its controller document", ErrMalformed, vm)
	}
	if u, err := url.Parse(docURL); err != nil || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("%w: %q is not an https URL", ErrMalformed, docURL)
	}
	if r.offline {
		return nil, fmt.Errorf("controller document %s not fetched: offline", docURL)
	}
	d, err := r.cache.Get(ctx, docURL, func(ctx context.Context) (*didDoc, time.Time) {
		doc, err := r.fetch(ctx, docURL)
		life := r.ttl
		if err != nil {
			life = min(life, statusFailureTTL)
		}
		return &didDoc{doc: doc, err: classifyDIDError(err)}, time.Now().Add(life)
	})
	if err != nil {
		return nil, fmt.Errorf("controller document %s not fetched: %w", docURL, err)
	}
	if d.err != nil {
		return nil, d.err
	}
	var m didweb.VerificationMethod
	if purpose == PurposeAuthentication {
		m, err = authenticationMethod(d.doc, vm)
	} else {
		m, err = d.doc.AssertionMethod(vm)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnknownKey, err)
	}
	pk, err := methodKey(m)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, vm, err)
	}
	return &Key{ID: m.ID, Controller: d.doc.ID, Public: pk}, nil
}

func (r *httpsKeyResolver) fetch(ctx context.Context, docURL string) (*didweb.Document, error) {
	body, err := r.fetcher.Get(ctx, docURL, controllerAccept)
	if err != nil {
		return nil, fmt.Errorf("fetching controller document %s: %w", docURL, err)
	}
	return didweb.Parse(docURL, body)
}
