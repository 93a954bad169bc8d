package verify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/internal/didweb"
	"github.com/badgeproof/badgeproof/internal/fetch"
	"github.com/badgeproof/badgeproof/internal/ttlcache"
	"github.com/badgeproof/badgeproof/keys"
)

// builtinKeyResolvers returns the resolvers that need I/O (did:web), consulted
// after the trust list and did:key.
func (v *Verifier) builtinKeyResolvers() ([]KeyResolver, error) {
	r := &didWebResolver{offline: v.cfg.offline, ttl: v.cfg.statusTTL, fetcher: v.fetcher}
	if r.ttl <= 0 {
		r.ttl = statusFailureTTL
	}
	// Documents are shared read-only by every caller; expiry is wall-clock
	// time, not the verifier's clock, which may be set to a past date.
	c, err := ttlcache.New(ttlcache.Options[*didDoc]{Size: statusCacheSize})
	if err != nil {
		return nil, err
	}
	r.cache = c
	h, err := newHTTPSKeyResolver(v)
	if err != nil {
		return nil, err
	}
	return []KeyResolver{webResolver{did: r, https: h}}, nil
}

// didWebResolver resolves did:web verification methods: it fetches the DID
// document over HTTPS under the verifier's fetch limits and address rules,
// caches it for a bounded time, and returns a key only when the document
// lists it under the relationship the proof needs (assertionMethod for a
// credential, authentication for a presentation).
type didWebResolver struct {
	fetcher *fetch.Fetcher // nil when offline
	offline bool
	ttl     time.Duration
	cache   *ttlcache.Cache[*didDoc]
}

// didDoc is a resolved DID document, or why it could not be had.
type didDoc struct {
	doc *didweb.Document
	err error
}

func (r *didWebResolver) ResolveKey(ctx context.Context, vm string, purpose ProofPurpose) (*Key, error) {
	if !strings.HasPrefix(vm, didweb.Prefix) {
		return nil, fmt.Errorf("%w: %s is not a did:web", ErrUnknownKey, vm)
	}
	did, frag, ok := strings.Cut(vm, "#")
	if !ok || frag == "" {
		return nil, fmt.Errorf("%w: did:web verification method %q has no #fragment naming a key", ErrMalformed, vm)
	}
	if _, err := didweb.URL(did); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if r.offline {
		return nil, fmt.Errorf("%s not resolved: offline", did)
	}
	doc, err := r.document(ctx, did)
	if err != nil {
		return nil, err
	}
	var m didweb.VerificationMethod
	switch purpose {
	case PurposeAuthentication:
		m, err = authenticationMethod(doc, vm)
	default:
		m, err = doc.AssertionMethod(vm)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnknownKey, err)
	}
	pk, err := methodKey(m)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, vm, err)
	}
	return &Key{ID: m.ID, Controller: doc.ID, Public: pk}, nil
}

// document returns did's DID document from the cache or the network.
func (r *didWebResolver) document(ctx context.Context, did string) (*didweb.Document, error) {
	d, err := r.cache.Get(ctx, did, func(ctx context.Context) (*didDoc, time.Time) {
		doc, err := didweb.Resolve(ctx, r.fetcher, did)
		life := r.ttl
		if err != nil {
			life = min(life, statusFailureTTL)
		}
		return &didDoc{doc: doc, err: classifyDIDError(err)}, time.Now().Add(life)
	})
	if err != nil {
		return nil, fmt.Errorf("%s not resolved: %w", did, err)
	}
	return d.doc, d.err
}

// classifyDIDError maps resolution errors onto the sentinels resolveKey
// sorts by: refusals and bad documents fail, outages are indeterminate.
func classifyDIDError(err error) error {
	switch {
	case err == nil:
		return nil
	case fetch.Refused(err), errors.Is(err, fetch.ErrTooLarge):
		return fmt.Errorf("%w: %w", ErrFetchRefused, err)
	case errors.Is(err, didweb.ErrInvalidDID), errors.Is(err, didweb.ErrMalformed), errors.Is(err, didweb.ErrIDMismatch):
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return err // unavailable: indeterminate
}

// authenticationMethod is AssertionMethod's counterpart for the
// authentication relationship, used for a holder's presentation proof.
func authenticationMethod(doc *didweb.Document, vm string) (didweb.VerificationMethod, error) {
	m, err := doc.VerificationMethod(vm)
	if err != nil {
		return m, err
	}
	for _, id := range doc.AuthenticationIDs {
		if id == m.ID {
			return m, nil
		}
	}
	return didweb.VerificationMethod{}, fmt.Errorf("%s is not listed under authentication of %s", m.ID, doc.ID)
}

// methodKey decodes a verification method's public key: publicKeyMultibase
// (a Multikey) or publicKeyJwk.
func methodKey(m didweb.VerificationMethod) (*keys.PublicKey, error) {
	hasJWK := len(m.PublicKeyJwk) > 0 && string(m.PublicKeyJwk) != "null"
	switch {
	case m.PublicKeyMultibase != "" && hasJWK:
		return nil, errors.New("both publicKeyMultibase and publicKeyJwk")
	case m.PublicKeyMultibase != "":
		return keys.ParseMultikey(m.PublicKeyMultibase)
	case hasJWK:
		return keys.ParsePublicJWK(m.PublicKeyJwk)
	}
	return nil, errors.New("no public key")
}
