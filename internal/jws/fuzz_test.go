package jws

import (
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/keys"
)

// fuzzKey is a fixed Ed25519 key the seeds are signed with, so that the
// fuzzer starts from tokens whose signatures verify.
func fuzzKey(f *testing.F) *keys.PrivateKey {
	k, err := keys.NewPrivateKey(keys.Ed25519, make([]byte, 32))
	if err != nil {
		f.Fatal(err)
	}
	return k
}

// FuzzParse feeds arbitrary strings to Parse and verifies what parses.
// Nothing may panic; a token over the size limit is refused as too large
// before anything is decoded; what parses has a known, non-HMAC alg or is
// refused by Verify.
func FuzzParse(f *testing.F) {
	k := fuzzKey(f)
	for _, payload := range []string{`{}`, `{"vc":{"type":["VerifiableCredential"]}}`, `{"sub":"x","status_list":{"bits":1,"lst":"eNrbuRgAAhcBXQ"}}`} {
		tok, err := Sign(k, map[string]any{"typ": "JWT", "kid": k.PublicKey().VerificationMethod()}, []byte(payload))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok)
	}
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("eyJhbGciOiJIUzI1NiJ9.e30.AQID")
	f.Add("eyJhbGciOiJFUzI1NiIsImNyaXQiOlsieCJdfQ.e30.AQID")
	f.Add("a.b.c")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := Parse(s, 1<<16)
		if len(s) > MaxTokenBytes && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("a token of %d bytes was not refused as too large: %v", len(s), err)
		}
		if err != nil {
			return
		}
		alg := tok.Header.Alg
		if alg == "" || strings.EqualFold(alg, "none") || strings.HasPrefix(strings.ToUpper(alg), "HS") {
			t.Fatalf("Parse accepted alg %q", alg)
		}
		if len(tok.Payload) > 1<<16 {
			t.Fatalf("payload of %d bytes passed a limit of %d", len(tok.Payload), 1<<16)
		}
		err = tok.Verify(k.Public(), Algorithms())
		if err == nil && alg != EdDSA {
			t.Fatalf("an %s token verified with an Ed25519 key", alg)
		}
	})
}

// FuzzParseJWKS feeds arbitrary bytes to ParseJWKS: no panic, and a set
// that parses holds 1 to maxJWKSKeys public keys.
func FuzzParseJWKS(f *testing.F) {
	k := fuzzKey(f)
	pub, err := MarshalPublicJWK(k.Public())
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"keys":[` + string(pub) + `]}`))
	f.Add([]byte(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`))
	f.Add([]byte(`{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA","use":"enc"}]}`))
	f.Add([]byte(`{"keys":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := ParseJWKS(data)
		if err != nil {
			return
		}
		if len(set) > maxJWKSKeys {
			t.Fatalf("%d keys passed a limit of %d", len(set), maxJWKSKeys)
		}
		for _, k := range set {
			if k.Key == nil {
				t.Fatal("a nil key in a parsed set")
			}
			if _, err := MarshalPublicJWK(k.Key); err != nil {
				t.Fatalf("a parsed key does not marshal again: %v", err)
			}
		}
	})
}

// FuzzParseDIDJWK: no panic, and what parses names itself the same way
// once marshalled again.
func FuzzParseDIDJWK(f *testing.F) {
	k := fuzzKey(f)
	did, err := DIDJWK(k.Public())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(did)
	f.Add(did + "#0")
	f.Add(did + "#1")
	f.Add("did:jwk:eyJrdHkiOiJPS1AifQ")
	f.Fuzz(func(t *testing.T, s string) {
		pub, _, err := ParseDIDJWK(s)
		if err != nil {
			return
		}
		if _, err := DIDJWK(pub); err != nil {
			t.Fatalf("a parsed did:jwk key does not marshal again: %v", err)
		}
	})
}

// FuzzVerifyChain feeds arbitrary x5c entries: no panic, and nothing
// verifies against an empty root pool.
func FuzzVerifyChain(f *testing.F) {
	from := x5cNow.Add(-time.Hour)
	root := newCert(f, "Root", nil, true, from, x5cNow.Add(time.Hour))
	leaf := newCert(f, "Leaf", root, false, from, x5cNow.Add(time.Hour))
	c := chainOf(leaf, root)
	f.Add(c[0], c[1])
	f.Add("AAAA", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		chain := []string{a}
		if b != "" {
			chain = append(chain, b)
		}
		if _, err := VerifyChain(chain, x509.NewCertPool(), x5cNow); err == nil {
			t.Fatal("a chain verified against no roots")
		}
	})
}
