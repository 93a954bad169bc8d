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

// KeyResolver finds the key a proof's verificationMethod names. It returns
// an error wrapping ErrUnknownKey when it cannot resolve that kind of id, and
// ErrFetchRefused or another error when resolution was attempted and failed.
type KeyResolver interface {
	ResolveKey(ctx context.Context, verificationMethod string) (*Key, error)
}

// KeyResolverFunc adapts a function to KeyResolver.
type KeyResolverFunc func(ctx context.Context, verificationMethod string) (*Key, error)

// ResolveKey calls f.
func (f KeyResolverFunc) ResolveKey(ctx context.Context, vm string) (*Key, error) { return f(ctx, vm) }

// DIDKeyResolver resolves did:key verification methods without I/O.
var DIDKeyResolver KeyResolver = KeyResolverFunc(func(_ context.Context, vm string) (*Key, error) {
	if !strings.HasPrefix(vm, "did:key:") {
		return nil, fmt.Errorf("%w: %s is not a did:key", ErrUnknownKey, vm)
	}
	pk, err := keys.ParseDIDKey(vm)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return &Key{ID: vm, Controller: pk.DID(), Public: pk}, nil
})

// trustListResolver resolves verification methods named in the trust list.
type trustListResolver struct{ t *TrustList }

func (r trustListResolver) ResolveKey(_ context.Context, vm string) (*Key, error) {
	for i := range r.t.Issuers {
		is := &r.t.Issuers[i]
		for j := range is.Keys {
			if is.Keys[j].ID == vm {
				return &Key{ID: vm, Controller: is.ID, Public: is.Keys[j].key}, nil
			}
		}
	}
	return nil, fmt.Errorf("%w: %s is not in the trust list", ErrUnknownKey, vm)
}

// chainResolver tries resolvers in order; the first that does not answer
// ErrUnknownKey decides.
type chainResolver []KeyResolver

func (c chainResolver) ResolveKey(ctx context.Context, vm string) (*Key, error) {
	var last error = fmt.Errorf("%w: %s", ErrUnknownKey, vm)
	for _, r := range c {
		k, err := r.ResolveKey(ctx, vm)
		if err == nil {
			return k, nil
		}
		if !isUnknownKey(err) {
			return nil, err
		}
		last = err
	}
	return nil, last
}
