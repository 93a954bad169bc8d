package dataintegrity

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

const w3c = "../../testdata/vectors/w3c-di"

type w3cVector struct {
	name, dir, keyFile, suffix string
}

var w3cVectors = []w3cVector{
	{"ecdsa-jcs-2019 P-256", "ecdsa-jcs-2019", "p256KeyPair.json", "ecdsa-jcs-2019-p256/%sJCSECDSAP256"},
	{"ecdsa-jcs-2019 P-384", "ecdsa-jcs-2019", "p384KeyPair.json", "ecdsa-jcs-2019-p384/%sJCSECDSAP384"},
	{"eddsa-jcs-2022", "eddsa-jcs-2022", "keyPair.json", "eddsa-jcs-2022/%sJCS"},
}

func (v w3cVector) read(t *testing.T, part, ext string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(w3c, v.dir, strings.Replace(v.suffix, "%s", part, 1)+ext))
	require.NoError(t, err)
	return b
}

func (v w3cVector) text(t *testing.T, part string) string {
	return strings.TrimSpace(string(v.read(t, part, ".txt")))
}

func members(t *testing.T, b []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func (v w3cVector) secretKey(t *testing.T) *keys.PrivateKey {
	b, err := os.ReadFile(filepath.Join(w3c, v.dir, v.keyFile))
	require.NoError(t, err)
	var kp map[string]string
	require.NoError(t, json.Unmarshal(b, &kp))
	s := kp["secretKeyMultibase"]
	if s == "" {
		s = kp["privateKeyMultibase"]
	}
	sk, err := keys.ParseSecretMultikey(s)
	require.NoError(t, err)
	require.Equal(t, kp["publicKeyMultibase"], sk.PublicKey().Multibase())
	return sk
}

// TestW3CSigningReproducesVectors signs the unsigned vector with the vector's
// key and compares every published intermediate value and the signature.
func TestW3CSigningReproducesVectors(t *testing.T) {
	for _, v := range w3cVectors {
		t.Run(v.name, func(t *testing.T) {
			sk := v.secretKey(t)
			unsigned, err := os.ReadFile(filepath.Join(w3c, v.dir, "unsigned.json"))
			require.NoError(t, err)
			doc := members(t, unsigned)
			config := members(t, v.read(t, "proofConfig", ".json"))
			var created string
			require.NoError(t, json.Unmarshal(config["created"], &created))
			ts, err := time.Parse(time.RFC3339, created)
			require.NoError(t, err)
			var vm string
			require.NoError(t, json.Unmarshal(config["verificationMethod"], &vm))

			in, err := Compute(sk.Type(), doc, config)
			require.NoError(t, err)
			require.Equal(t, v.text(t, "canonDoc"), string(in.CanonDocument))
			require.Equal(t, v.text(t, "proofCanon"), string(in.CanonProof))
			require.Equal(t, v.text(t, "docHash"), hex.EncodeToString(in.DocHash))
			require.Equal(t, v.text(t, "proofHash"), hex.EncodeToString(in.ProofHash))
			require.Equal(t, v.text(t, "combinedHash"), hex.EncodeToString(in.HashData))

			proof, err := Sign(sk, sk.PublicKey(), doc, Options{VerificationMethod: vm, Created: ts})
			require.NoError(t, err)
			var pv string
			require.NoError(t, json.Unmarshal(proof["proofValue"], &pv))
			require.Equal(t, v.text(t, "sigBTC58"), pv)
			sig, err := DecodeProofValue(pv)
			require.NoError(t, err)
			require.Equal(t, v.text(t, "sigHex"), hex.EncodeToString(sig))

			signed := members(t, v.read(t, "signed", ".json"))
			var published map[string]any
			require.NoError(t, json.Unmarshal(signed["proof"], &published))
			var ours map[string]any
			b, _ := json.Marshal(proof)
			require.NoError(t, json.Unmarshal(b, &ours))
			require.Equal(t, published, ours)
		})
	}
}

func TestW3CSignedVectorsVerify(t *testing.T) {
	for _, v := range w3cVectors {
		t.Run(v.name, func(t *testing.T) {
			signed := members(t, v.read(t, "signed", ".json"))
			proof := members(t, signed["proof"])
			delete(signed, "proof")
			var vm string
			require.NoError(t, json.Unmarshal(proof["verificationMethod"], &vm))
			pk, err := keys.ParseDIDKey(vm)
			require.NoError(t, err)
			require.NoError(t, Verify(pk, signed, proof))

			// a different document
			changed := map[string]json.RawMessage{}
			for k, val := range signed {
				changed[k] = val
			}
			changed["name"] = json.RawMessage(`"Alumni Credentia1"`)
			require.ErrorIs(t, Verify(pk, changed, proof), ErrBadSignature)
			// a different proof option
			p2 := map[string]json.RawMessage{}
			for k, val := range proof {
				p2[k] = val
			}
			p2["created"] = json.RawMessage(`"2023-02-24T23:36:39Z"`)
			require.ErrorIs(t, Verify(pk, signed, p2), ErrBadSignature)
			// another key of the right type
			other, err := keys.Generate(pk.Type())
			require.NoError(t, err)
			require.ErrorIs(t, Verify(other.PublicKey(), signed, proof), ErrBadSignature)
		})
	}
}

func TestKeySuiteConfusion(t *testing.T) {
	doc := map[string]json.RawMessage{"id": json.RawMessage(`"urn:x"`)}
	ed, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	p256, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	proof, err := Sign(ed, ed.PublicKey(), doc, Options{})
	require.NoError(t, err)
	proof["cryptosuite"] = json.RawMessage(`"ecdsa-jcs-2019"`)
	require.ErrorIs(t, Verify(ed.PublicKey(), doc, proof), ErrKeyMismatch)
	proof2, err := Sign(p256, p256.PublicKey(), doc, Options{})
	require.NoError(t, err)
	proof2["cryptosuite"] = json.RawMessage(`"eddsa-jcs-2022"`)
	require.ErrorIs(t, Verify(p256.PublicKey(), doc, proof2), ErrKeyMismatch)
	proof2["cryptosuite"] = json.RawMessage(`"rsa-2099"`)
	require.ErrorIs(t, Verify(p256.PublicKey(), doc, proof2), ErrUnsupported)
}

func TestAllCurvesDeterministic(t *testing.T) {
	doc := map[string]json.RawMessage{"@context": json.RawMessage(`["https://www.w3.org/ns/credentials/v2"]`), "name": json.RawMessage(`"배지"`)}
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1} {
		sk, err := keys.Generate(typ)
		require.NoError(t, err)
		a, err := Sign(sk, sk.PublicKey(), doc, Options{})
		require.NoError(t, err)
		b, err := Sign(sk, sk.PublicKey(), doc, Options{})
		require.NoError(t, err)
		require.Equal(t, string(a["proofValue"]), string(b["proofValue"]), "%s signing is deterministic", typ)
		require.NoError(t, Verify(sk.PublicKey(), doc, a), typ)
		doc2 := map[string]json.RawMessage{"@context": doc["@context"], "name": json.RawMessage(`"배지!"`)}
		require.ErrorIs(t, Verify(sk.PublicKey(), doc2, a), ErrBadSignature, typ)
	}
}

func FuzzDecodeProofValue(f *testing.F) {
	f.Add("z5ptCet75SaEgzG4v4zJhbJtfNi74Wv7Fq15hhKouJQQjEPQvPZKaYxcMXAMLPQS2FXrkCWokNJkFVkwxNzZfD5oT")
	f.Add("z")
	f.Add("u0000")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := DecodeProofValue(s)
		if err == nil && EncodeProofValue(b) != s && len(s) > 1 && s[1] != '1' {
			t.Fatalf("%q does not round trip", s)
		}
	})
}
