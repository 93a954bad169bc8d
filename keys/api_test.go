package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/stretchr/testify/require"
)

var allTypes = []Type{Ed25519, P256, P384, Secp256k1}

// The crypto.Signer a PrivateKey is signs as the standard library and decred
// verify, deterministically.
func TestPrivateKeyIsACryptoSigner(t *testing.T) {
	msg := []byte("한국산업인력공단 badge")
	for _, typ := range allTypes {
		t.Run(string(typ), func(t *testing.T) {
			k, err := Generate(typ)
			require.NoError(t, err)
			var signer crypto.Signer = k
			pub, err := PublicKeyFrom(signer.Public())
			require.NoError(t, err)
			require.True(t, pub.Equal(k.PublicKey()))

			digest, opts := msg, crypto.SignerOpts(crypto.Hash(0))
			switch typ {
			case P384:
				d := sha512.Sum384(msg)
				digest, opts = d[:], crypto.SHA384
			case P256, Secp256k1:
				d := sha256.Sum256(msg)
				digest, opts = d[:], crypto.SHA256
			}
			sig, err := signer.Sign(rand.Reader, digest, opts)
			require.NoError(t, err)
			again, err := signer.Sign(rand.Reader, digest, opts)
			require.NoError(t, err)
			require.Equal(t, sig, again, "signatures are deterministic")

			switch typ {
			case Ed25519:
				require.True(t, ed25519.Verify(pub.CryptoPublicKey().(ed25519.PublicKey), msg, sig))
			case Secp256k1:
				s, err := k1ecdsa.ParseDERSignature(sig)
				require.NoError(t, err)
				require.True(t, s.Verify(digest, pub.CryptoPublicKey().(*secp256k1.PublicKey)))
			default:
				require.True(t, ecdsa.VerifyASN1(pub.CryptoPublicKey().(*ecdsa.PublicKey), digest, sig))
			}
			if typ != Ed25519 {
				_, err := signer.Sign(rand.Reader, msg, crypto.Hash(0))
				require.ErrorIs(t, err, ErrUnsupported, "an ECDSA key refuses to sign without a named hash")
				_, err = signer.Sign(rand.Reader, digest[:10], opts)
				require.ErrorIs(t, err, ErrInvalid, "a digest of the wrong length is refused")
			}
		})
	}
}

func TestPublicKeyFrom(t *testing.T) {
	for _, typ := range allTypes {
		k, err := Generate(typ)
		require.NoError(t, err)
		got, err := PublicKeyFrom(k.PublicKey().CryptoPublicKey())
		require.NoError(t, err, typ)
		require.True(t, got.Equal(k.PublicKey()), typ)
	}
	// A secp256k1 key given as an *ecdsa.PublicKey on decred's curve.
	k1, err := Generate(Secp256k1)
	require.NoError(t, err)
	pt := k1.PublicKey().CryptoPublicKey().(*secp256k1.PublicKey)
	got, err := PublicKeyFrom(pt.ToECDSA())
	require.NoError(t, err)
	require.True(t, got.Equal(k1.PublicKey()))

	p521, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	require.NoError(t, err)
	_, err = PublicKeyFrom(&p521.PublicKey)
	require.ErrorIs(t, err, ErrUnsupported)
	_, err = PublicKeyFrom("not a key")
	require.ErrorIs(t, err, ErrUnsupported)
	_, err = PublicKeyFrom((*PublicKey)(nil))
	require.ErrorIs(t, err, ErrInvalid)
}

func TestParsePublicKey(t *testing.T) {
	k, err := Generate(P256)
	require.NoError(t, err)
	for _, s := range []string{k.PublicKey().DID(), k.PublicKey().VerificationMethod(), k.PublicKey().Multibase()} {
		got, err := ParsePublicKey(s)
		require.NoError(t, err, s)
		require.True(t, got.Equal(k.PublicKey()))
	}
	_, err = ParsePublicKey("did:web:example.com")
	require.ErrorIs(t, err, ErrInvalid)
	_, err = ParsePublicKey(k.Multibase())
	require.ErrorIs(t, err, ErrInvalid, "a secret Multikey is not a public key")
}

// Every did:key vector that lists its key as a JWK parses to the same key,
// and its private JWK to the matching private key; our JWKs read back.
func TestJWKVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(vectors, "multikey", "did-method-key-*.json"))
	require.NoError(t, err)
	require.Len(t, files, 3)
	public, private := 0, 0
	for _, file := range files {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		var entries map[string]struct {
			VerificationMethod struct {
				PublicKeyJwk  json.RawMessage `json:"publicKeyJwk"`
				PrivateKeyJwk json.RawMessage `json:"privateKeyJwk"`
			} `json:"verificationMethod"`
		}
		require.NoError(t, json.Unmarshal(raw, &entries))
		for did, e := range entries {
			want, err := ParseDIDKey(did)
			if err != nil || e.VerificationMethod.PublicKeyJwk == nil {
				continue // P-521, or no JWK in this vector
			}
			pk, err := ParsePublicJWK(e.VerificationMethod.PublicKeyJwk)
			require.NoError(t, err, did)
			require.True(t, pk.Equal(want), did)
			public++
			if e.VerificationMethod.PrivateKeyJwk != nil {
				sk, err := ParsePrivateJWK(e.VerificationMethod.PrivateKeyJwk)
				require.NoError(t, err, did)
				require.True(t, sk.PublicKey().Equal(want), did)
				_, err = ParsePublicJWK(e.VerificationMethod.PrivateKeyJwk)
				require.ErrorIs(t, err, ErrInvalid, "a private JWK is not accepted as a public key")
				private++
			}
		}
	}
	require.GreaterOrEqual(t, public, 4)
	require.GreaterOrEqual(t, private, 4)

	for _, typ := range allTypes {
		k, err := Generate(typ)
		require.NoError(t, err)
		pj, err := k.PublicKey().JWK()
		require.NoError(t, err)
		pk, err := ParsePublicJWK(pj)
		require.NoError(t, err)
		require.True(t, pk.Equal(k.PublicKey()))
		sj, err := k.JWK()
		require.NoError(t, err)
		sk, err := ParsePrivateJWK(sj)
		require.NoError(t, err)
		require.Equal(t, k.Multibase(), sk.Multibase())

		other, err := Generate(typ)
		require.NoError(t, err)
		var mixed map[string]string
		require.NoError(t, json.Unmarshal(sj, &mixed))
		var o map[string]string
		oj, _ := other.JWK()
		require.NoError(t, json.Unmarshal(oj, &o))
		mixed["d"] = o["d"]
		mb, _ := json.Marshal(mixed)
		_, err = ParsePrivateJWK(mb)
		require.ErrorIs(t, err, ErrInvalid, "%s: a private JWK whose x does not match d", typ)
	}
}

func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	for _, typ := range allTypes {
		k, err := Generate(typ)
		require.NoError(t, err)
		path := filepath.Join(dir, string(typ)+".json")
		require.NoError(t, WriteFile(path, k))
		st, err := os.Stat(path)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
		require.Error(t, WriteFile(path, k), "an existing key file is never overwritten")
		back, err := ReadFile(path)
		require.NoError(t, err)
		require.Equal(t, k.Multibase(), back.Multibase())
	}
	k, _ := Generate(Ed25519)
	other, _ := Generate(Ed25519)
	b, err := MarshalFile(k)
	require.NoError(t, err)
	bad := strings.Replace(string(b), k.PublicKey().DID(), other.PublicKey().DID(), 1)
	_, err = ParseFile([]byte(bad))
	require.ErrorIs(t, err, ErrInvalid, "an id naming another key is refused")
	bad = strings.Replace(string(b), `"Ed25519"`, `"P-256"`, 1)
	_, err = ParseFile([]byte(bad))
	require.ErrorIs(t, err, ErrInvalid, "a type that disagrees with the key is refused")
}

// Known answer: the secp256k1 key 1 is the generator point, whose Ethereum
// address is well known.
func TestEthereumAddress(t *testing.T) {
	one := make([]byte, 32)
	one[31] = 1
	k, err := NewPrivateKey(Secp256k1, one)
	require.NoError(t, err)
	addr, err := k.PublicKey().EthereumAddress()
	require.NoError(t, err)
	require.Equal(t, "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf", addr)
	ed, _ := Generate(Ed25519)
	_, err = ed.PublicKey().EthereumAddress()
	require.ErrorIs(t, err, ErrUnsupported)
}

func TestParsePublicJWKRefuses(t *testing.T) {
	for _, bad := range []string{
		`{"kty":"OKP","crv":"Ed25519","x":"AAAA"}`,
		`{"kty":"OKP","crv":"X25519","x":"` + strings.Repeat("A", 43) + `"}`,
		`{"kty":"EC","crv":"P-521","x":"AA","y":"AA"}`,
		`{"kty":"EC","crv":"P-256","x":"` + strings.Repeat("A", 43) + `","y":"` + strings.Repeat("A", 43) + `"}`, // not on the curve
		`{"kty":"OKP","crv":"Ed25519","x":"` + strings.Repeat("A", 43) + `","d":"secret"}`,
		`{"kty":"RSA","n":"AQAB","e":"AQAB"}`,
		`[]`,
		`{"kty":"EC","crv":"P-256","x":"` + strings.Repeat("A", 5000) + `"}`,
	} {
		pk, err := ParsePublicJWK([]byte(bad))
		require.Error(t, err, bad)
		require.Nil(t, pk)
	}
}

func FuzzParsePublicJWK(f *testing.F) {
	for _, typ := range allTypes {
		size := 32
		if typ == P384 {
			size = 48
		}
		k, err := NewPrivateKey(typ, bytes.Repeat([]byte{0x11}, size))
		if err != nil {
			f.Fatal(err)
		}
		j, _ := k.PublicKey().JWK()
		f.Add(j)
	}
	f.Add([]byte(`{"kty":"EC","crv":"P-256","x":"","y":""}`))
	f.Add([]byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`)) // RFC 8037
	f.Add([]byte(`{"kty":"OKP","crv":"Ed25519","x":"!!"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		pk, err := ParsePublicJWK(data)
		if err != nil {
			require.True(t, pk == nil)
			return
		}
		j, err := pk.JWK()
		require.NoError(t, err)
		again, err := ParsePublicJWK(j)
		require.NoError(t, err)
		require.True(t, again.Equal(pk), "an accepted JWK writes back to the same key")
	})
}
