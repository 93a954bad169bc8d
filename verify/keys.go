package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/badgeproof/badgeproof/keys"
)

// Key is a resolved verification method.
type Key struct {
	ID         string // the verification method id
	Controller string // the DID (or issuer id) that controls the key
	Public     *keys.PublicKey
}

// ProofPurpose is the verification relationship a proof's key must be
// listed under in its controller's document.
type ProofPurpose string

// The proof purposes the Verifier asks keys for.
const (
	// PurposeAssertion: a credential's proof (assertionMethod).
	PurposeAssertion ProofPurpose = "assertionMethod"
	// PurposeAuthentication: a holder's presentation proof (authentication).
	PurposeAuthentication ProofPurpose = "authentication"
)

// KeyResolver finds the key a proof's verificationMethod names, for the
// given purpose: a resolver that reads controller documents returns a key
// only when the document lists it under that relationship.
//
// Errors tell the Verifier what to report:
//   - wrapping ErrUnknownKey: this resolver does not handle that kind of
//     id, or its document does not list the key; the next resolver is asked,
//     and if none knows it the signature check fails with unknown_key;
//   - wrapping ErrMalformed or ErrFetchRefused: the id or its document is
//     bad, or the URL is refused; the signature check fails;
//   - any other error: the key could not be had now (offline, a server down
//     or slow); the signature check is indeterminate (key_unavailable).
//
// Resolvers are called concurrently and must honour ctx.
type KeyResolver interface {
	ResolveKey(ctx context.Context, verificationMethod string, purpose ProofPurpose) (*Key, error)
}

// KeyResolverFunc adapts a function to KeyResolver.
type KeyResolverFunc func(ctx context.Context, verificationMethod string, purpose ProofPurpose) (*Key, error)

// ResolveKey calls f.
func (f KeyResolverFunc) ResolveKey(ctx context.Context, vm string, purpose ProofPurpose) (*Key, error) {
	return f(ctx, vm, purpose)
}

// DIDKeyResolver returns the resolver of did:key verification methods,
// which needs no I/O. Every Verifier consults it after the trust list and
// the caller's resolvers; it is exported for resolvers that wrap it.
func DIDKeyResolver() KeyResolver { return didKeyResolver{} }

type didKeyResolver struct{}

func (didKeyResolver) ResolveKey(_ context.Context, vm string, _ ProofPurpose) (*Key, error) {
	if !strings.HasPrefix(vm, "did:key:") {
		return nil, fmt.Errorf("%w: %s is not a did:key", ErrUnknownKey, vm)
	}
	pk, err := keys.ParseDIDKey(vm)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return &Key{ID: vm, Controller: pk.DID(), Public: pk}, nil
}

// trustListResolver resolves verification methods named in the trust list.
type trustListResolver struct{ t *trustIndex }

func (r trustListResolver) ResolveKey(_ context.Context, vm string, _ ProofPurpose) (*Key, error) {
	if k, is := r.t.keyByID(vm); k != nil {
		return &Key{ID: vm, Controller: is.ID, Public: k.pub}, nil
	}
	return nil, fmt.Errorf("%w: %s is not in the trust list", ErrUnknownKey, vm)
}

// chainResolver tries resolvers in order; the first that does not answer
// ErrUnknownKey decides.
type chainResolver []KeyResolver

func (c chainResolver) ResolveKey(ctx context.Context, vm string, purpose ProofPurpose) (*Key, error) {
	var last error // the last resolver's "unknown key"
	for _, r := range c {
		k, err := r.ResolveKey(ctx, vm, purpose)
		if err == nil {
			if k == nil || k.Public == nil {
				return nil, fmt.Errorf("%w: a key resolver returned no key for %s", ErrUnknownKey, vm)
			}
			return k, nil
		}
		if !isUnknownKey(err) {
			return nil, err
		}
		last = err
	}
	if last == nil {
		last = fmt.Errorf("%w: %s", ErrUnknownKey, vm)
	}
	return nil, last
}
