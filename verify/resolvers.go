package verify

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/internal/didweb"
	"github.com/badgeproof/badgeproof/internal/fetch"
	"github.com/badgeproof/badgeproof/internal/ttlcache"
	"github.com/badgeproof/badgeproof/keys"
)

// Verification relationships a proof's key must be listed under.
const (
	purposeAssertion      = "assertionMethod"
	purposeAuthentication = "authentication"
)

type purposeKey struct{}

// withProofPurpose tells key resolvers which verification relationship the
// key is wanted for. Without it, resolvers assume assertionMethod (a
// credential's proof), the stricter default.
func withProofPurpose(ctx context.Context, purpose string) context.Context {
	return context.WithValue(ctx, purposeKey{}, purpose)
}

func proofPurpose(ctx context.Context) string {
	if p, ok := ctx.Value(purposeKey{}).(string); ok && p != "" {
		return p
	}
	return purposeAssertion
}

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
	return []KeyResolver{r}, nil
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

func (r *didWebResolver) ResolveKey(ctx context.Context, vm string) (*Key, error) {
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
	purpose := proofPurpose(ctx)
	var m didweb.VerificationMethod
	switch purpose {
	case purposeAuthentication:
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
// (a Multikey) or publicKeyJwk (OKP Ed25519; EC P-256, P-384, secp256k1).
func methodKey(m didweb.VerificationMethod) (*keys.PublicKey, error) {
	hasJWK := len(m.PublicKeyJwk) > 0 && string(m.PublicKeyJwk) != "null"
	switch {
	case m.PublicKeyMultibase != "" && hasJWK:
		return nil, errors.New("both publicKeyMultibase and publicKeyJwk")
	case m.PublicKeyMultibase != "":
		return keys.ParseMultikey(m.PublicKeyMultibase)
	case hasJWK:
		return jwkKey(m.PublicKeyJwk)
	}
	return nil, errors.New("no public key")
}

// jwkKey decodes a public JWK (RFC 7517, 8037).
func jwkKey(raw json.RawMessage) (*keys.PublicKey, error) {
	var j struct {
		Kty string  `json:"kty"`
		Crv string  `json:"crv"`
		X   string  `json:"x"`
		Y   string  `json:"y"`
		D   *string `json:"d"`
	}
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, fmt.Errorf("publicKeyJwk: %v", err)
	}
	if j.D != nil {
		return nil, errors.New("publicKeyJwk holds a private key")
	}
	x, err := base64.RawURLEncoding.DecodeString(j.X)
	if err != nil {
		return nil, fmt.Errorf("publicKeyJwk x: %v", err)
	}
	switch {
	case j.Kty == "OKP" && j.Crv == "Ed25519":
		return keys.NewPublicKey(keys.Ed25519, x)
	case j.Kty == "EC":
		var t keys.Type
		size := 32
		switch j.Crv {
		case "P-256":
			t = keys.P256
		case "P-384":
			t, size = keys.P384, 48
		case "secp256k1":
			t = keys.Secp256k1
		default:
			return nil, fmt.Errorf("publicKeyJwk: unsupported EC curve %q", j.Crv)
		}
		y, err := base64.RawURLEncoding.DecodeString(j.Y)
		if err != nil {
			return nil, fmt.Errorf("publicKeyJwk y: %v", err)
		}
		if len(x) != size || len(y) != size {
			return nil, fmt.Errorf("publicKeyJwk: %s coordinates must be %d bytes", j.Crv, size)
		}
		point := append(append([]byte{4}, x...), y...)
		return keys.NewPublicKey(t, point)
	}
	return nil, fmt.Errorf("publicKeyJwk: unsupported key type %q/%q", j.Kty, j.Crv)
}
