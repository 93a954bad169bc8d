package keys

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mr-tron/base58"
	"github.com/stretchr/testify/require"
)

const vectors = "../testdata/vectors"

// keyMaterial walks a did:key vector entry and returns the public and secret
// key bytes it lists, in whichever encoding the vector uses.
func keyMaterial(t *testing.T, entry map[string]any) (pub, sec []byte) {
	t.Helper()
	for _, name := range []string{"verificationMethod", "verificationKeyPair"} {
		vm, ok := entry[name].(map[string]any)
		if !ok {
			continue
		}
		if jwk, ok := vm["publicKeyJwk"].(map[string]any); ok && jwk["kty"] == "EC" {
			x, err := base64.RawURLEncoding.DecodeString(jwk["x"].(string))
			require.NoError(t, err)
			y, err := base64.RawURLEncoding.DecodeString(jwk["y"].(string))
			require.NoError(t, err)
			pub = append(append([]byte{4}, x...), y...)
		}
		if jwk, ok := vm["publicKeyJwk"].(map[string]any); ok && jwk["kty"] == "OKP" {
			x, err := base64.RawURLEncoding.DecodeString(jwk["x"].(string))
			require.NoError(t, err)
			pub = x
		}
		if jwk, ok := vm["privateKeyJwk"].(map[string]any); ok {
			d, err := base64.RawURLEncoding.DecodeString(jwk["d"].(string))
			require.NoError(t, err)
			sec = d
		}
		if s, ok := vm["publicKeyBase58"].(string); ok {
			b, err := base58.Decode(s)
			require.NoError(t, err)
			pub = b
		}
		if s, ok := vm["privateKeyBase58"].(string); ok {
			b, err := base58.Decode(s)
			require.NoError(t, err)
			sec = b
		}
	}
	if s, ok := entry["seed"].(string); ok && sec == nil {
		b, err := hex.DecodeString(s)
		require.NoError(t, err)
		sec = b
	}
	return pub, sec
}

func TestDIDKeyVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(vectors, "multikey", "did-method-key-*.json"))
	require.NoError(t, err)
	require.Len(t, files, 3)
	checked, withSecret := 0, 0
	for _, file := range files {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		var entries map[string]map[string]any
		require.NoError(t, json.Unmarshal(raw, &entries))
		for did, entry := range entries {
			t.Run(did, func(t *testing.T) {
				pk, err := ParseDIDKey(did)
				if strings.HasPrefix(did, "did:key:z2J9") { // P-521: not a supported curve
					require.ErrorIs(t, err, ErrUnsupported)
					return
				}
				require.NoError(t, err)
				require.Equal(t, did, pk.DID())
				require.Equal(t, did+"#"+strings.TrimPrefix(did, "did:key:"), pk.VerificationMethod())
				pub, sec := keyMaterial(t, entry)
				if pub != nil {
					want, err := NewPublicKey(pk.Type(), pub)
					require.NoError(t, err)
					require.True(t, want.Equal(pk), "vector's listed key differs from the did:key")
				}
				if sec != nil && pk.Type() != Ed25519 || sec != nil && len(sec) == 32 {
					if pk.Type() == Ed25519 && len(sec) == 64 {
						sec = sec[:32]
					}
					sk, err := NewPrivateKey(pk.Type(), sec)
					require.NoError(t, err)
					require.Equal(t, did, sk.PublicKey().DID())
					withSecret++
				}
				checked++
			})
		}
	}
	require.GreaterOrEqual(t, checked, 15)
	require.GreaterOrEqual(t, withSecret, 8)
}

func TestW3CKeyPairs(t *testing.T) {
	for _, f := range []string{"ecdsa-jcs-2019/p256KeyPair.json", "ecdsa-jcs-2019/p384KeyPair.json", "eddsa-jcs-2022/keyPair.json"} {
		raw, err := os.ReadFile(filepath.Join(vectors, "w3c-di", f))
		require.NoError(t, err)
		var kp map[string]string
		require.NoError(t, json.Unmarshal(raw, &kp))
		secret := kp["secretKeyMultibase"]
		if secret == "" {
			secret = kp["privateKeyMultibase"]
		}
		sk, err := ParseSecretMultikey(secret)
		require.NoError(t, err, f)
		require.Equal(t, kp["publicKeyMultibase"], sk.PublicKey().Multibase(), f)
		require.Equal(t, secret, sk.Multibase(), f)
		pk, err := ParseMultikey(kp["publicKeyMultibase"])
		require.NoError(t, err)
		require.True(t, pk.Equal(sk.PublicKey()))
		_, err = ParseMultikey(secret)
		require.ErrorIs(t, err, ErrInvalid, "a secret key is not a public key")
		_, err = ParseSecretMultikey(kp["publicKeyMultibase"])
		require.ErrorIs(t, err, ErrInvalid)
	}
}

func TestRoundTripAllTypes(t *testing.T) {
	for _, typ := range []Type{Ed25519, P256, P384, Secp256k1} {
		sk, err := Generate(typ)
		require.NoError(t, err)
		sk2, err := ParseSecretMultikey(sk.Multibase())
		require.NoError(t, err)
		require.True(t, sk.PublicKey().Equal(sk2.PublicKey()))
		pk, err := ParseDIDKey(sk.PublicKey().VerificationMethod())
		require.NoError(t, err)
		require.True(t, pk.Equal(sk.PublicKey()))
		require.Equal(t, typ, pk.Type())
		parsed, err := ParseType(strings.ToLower(string(typ)))
		require.NoError(t, err)
		require.Equal(t, typ, parsed)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, in := range []string{"", "z", "f00", "zzzz0OIl", "did:web:example.com", "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#zother",
		"z" + strings.Repeat("1", 300), "z6Mk", "zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZp"} {
		var err error
		if strings.HasPrefix(in, "did:") {
			_, err = ParseDIDKey(in)
		} else {
			_, err = ParseMultikey(in)
		}
		require.Error(t, err, in)
		require.True(t, errors.Is(err, ErrInvalid) || errors.Is(err, ErrUnsupported), in)
	}
	// a P-256 x coordinate larger than the field prime
	bad := append([]byte{2}, bytes.Repeat([]byte{0xff}, 32)...)
	_, err := NewPublicKey(P256, bad)
	require.ErrorIs(t, err, ErrInvalid)
}

func FuzzParseMultikey(f *testing.F) {
	for _, s := range []string{"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP",
		"z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ", "zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", "z", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pk, err := ParseMultikey(s)
		if err != nil {
			return
		}
		again, err := ParseMultikey(pk.Multibase())
		if err != nil || !again.Equal(pk) {
			t.Fatalf("re-encoding %q does not round trip: %v", s, err)
		}
		if _, err := ParseSecretMultikey(s); err == nil {
			t.Fatalf("%q decodes as both a public and a secret key", s)
		}
	})
}
