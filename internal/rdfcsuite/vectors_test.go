package rdfcsuite

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/internal/disuite"
	"github.com/badgeproof/badgeproof/internal/rdfc"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

const w3c = "../../testdata/vectors/w3c-di"

type vector struct {
	name    string
	suite   Suite
	prefix  string // path prefix of every file, before the part name
	suffix  string // after the part name
	keyFile string
}

// Every W3C vector of the three suites whose contexts are held locally.
var vectors = []vector{
	{"eddsa-rdfc-2022", EdDSA, "eddsa-rdfc-2022/", "DataInt", "eddsa-jcs-2022/keyPair.json"},
	{"ecdsa-rdfc-2019 P-256", ECDSA, "ecdsa-rdfc-2019/ecdsa-rdfc-2019-p256/", "ECDSAP256", "ecdsa-jcs-2019/p256KeyPair.json"},
	{"ecdsa-rdfc-2019 P-384", ECDSA, "ecdsa-rdfc-2019/ecdsa-rdfc-2019-p384/", "ECDSAP384", "ecdsa-jcs-2019/p384KeyPair.json"},
	{"Ed25519Signature2020", Ed25519, "Ed25519Signature2020/", "EdSig", "eddsa-jcs-2022/keyPair.json"},
}

func (v vector) read(t *testing.T, part, ext string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(w3c, v.prefix+part+v.suffix+ext))
	require.NoError(t, err)
	return b
}

func (v vector) hex(t *testing.T, part string) []byte {
	b, err := hex.DecodeString(strings.TrimSpace(string(v.read(t, part, ".txt"))))
	require.NoError(t, err)
	return b
}

func members(t *testing.T, b []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func secretKey(t *testing.T, file string) *keys.PrivateKey {
	b, err := os.ReadFile(filepath.Join(w3c, file))
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

// Each vector's intermediates are reproduced byte for byte: canonical
// document and proof configuration, their hashes, hashData; the published
// signature verifies, and a changed copy does not.
func TestW3CVectors(t *testing.T) {
	ctx := context.Background()
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			signed := members(t, v.read(t, "signed", ".json"))
			proof := members(t, signed["proof"])
			delete(signed, "proof")
			config := members(t, v.read(t, "proofConfig", ".json"))
			sk := secretKey(t, v.keyFile)
			pub := sk.PublicKey()
			require.True(t, strings.HasSuffix(string(proof["verificationMethod"]), pub.Multibase()+`"`))

			got, err := disuite.ProofConfig(signed, proof)
			require.NoError(t, err)
			in, err := Compute(ctx, disuite.Env{}, pub.Type(), signed, got)
			require.NoError(t, err)
			require.Equal(t, string(v.read(t, "canonDoc", ".txt")), string(in.CanonDocument))
			require.Equal(t, string(v.read(t, "proofCanon", ".txt")), string(in.CanonProof))
			require.Equal(t, v.hex(t, "docHash"), in.DocHash)
			require.Equal(t, v.hex(t, "proofHash"), in.ProofHash)
			require.Equal(t, v.hex(t, "combinedHash"), in.HashData)
			// The published proof configuration hashes the same.
			in2, err := Compute(ctx, disuite.Env{}, pub.Type(), signed, config)
			require.NoError(t, err)
			require.Equal(t, in.ProofHash, in2.ProofHash)

			sig := v.hex(t, "sigHex")
			var pv string
			require.NoError(t, json.Unmarshal(proof["proofValue"], &pv))
			require.Equal(t, strings.TrimSpace(string(v.read(t, "sigBTC58", ".txt"))), pv)
			require.Equal(t, pv, dataintegrity.EncodeProofValue(sig))
			require.NoError(t, v.suite.Verify(ctx, disuite.Env{}, pub, signed, proof))

			// Signing reproduces Ed25519 signatures exactly (deterministic);
			// ECDSA signatures are randomized, so they must verify.
			cfg := members(t, v.read(t, "proofConfig", ".json"))
			delete(cfg, "@context")
			out, err := v.suite.Sign(ctx, disuite.Env{}, sk, pub, signed, cfg)
			require.NoError(t, err)
			if pub.Type() == keys.Ed25519 {
				require.JSONEq(t, string(proof["proofValue"]), string(out["proofValue"]))
			}
			require.NoError(t, v.suite.Verify(ctx, disuite.Env{}, pub, signed, out))

			// Changed copies fail.
			tampered := members(t, v.read(t, "signed", ".json"))
			delete(tampered, "proof")
			tampered["name"] = json.RawMessage(`"Alumni Credentia1"`)
			require.ErrorIs(t, v.suite.Verify(ctx, disuite.Env{}, pub, tampered, proof), disuite.ErrBadSignature)
			p2 := members(t, signed2(t, v))
			p2["created"] = json.RawMessage(`"2023-02-24T23:36:39Z"`)
			require.ErrorIs(t, v.suite.Verify(ctx, disuite.Env{}, pub, signed, p2), disuite.ErrBadSignature)
			// Another key of the right type does not verify it.
			other, err := keys.Generate(pub.Type())
			require.NoError(t, err)
			require.ErrorIs(t, v.suite.Verify(ctx, disuite.Env{}, other.PublicKey(), signed, proof), disuite.ErrBadSignature)
		})
	}
}

func signed2(t *testing.T, v vector) []byte {
	return members(t, v.read(t, "signed", ".json"))["proof"]
}

// The "employ" vectors use https://w3id.org/citizenship/v4rc1, which is not
// held locally: canonicalization refuses them by name.
func TestEmployVectorsNeedCitizenshipContext(t *testing.T) {
	for _, v := range vectors[:3] {
		v.prefix += "employ/"
		signed := members(t, v.read(t, "signed", ".json"))
		proof := members(t, signed["proof"])
		delete(signed, "proof")
		sk := secretKey(t, v.keyFile)
		err := v.suite.Verify(context.Background(), disuite.Env{}, sk.PublicKey(), signed, proof)
		var uc *rdfc.UnknownContextError
		require.True(t, errors.As(err, &uc), "%s: %v", v.name, err)
		require.Equal(t, "https://w3id.org/citizenship/v4rc1", uc.URL)
	}
}

// No algorithm confusion: a suite refuses keys of other types.
func TestKeyTypes(t *testing.T) {
	for _, c := range []struct {
		s  Suite
		ok []keys.Type
	}{{EdDSA, []keys.Type{keys.Ed25519}}, {Ed25519, []keys.Type{keys.Ed25519}}, {ECDSA, []keys.Type{keys.P256, keys.P384}}} {
		for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1} {
			err := c.s.CheckKey(typ)
			want := false
			for _, o := range c.ok {
				want = want || o == typ
			}
			if want != (err == nil) {
				t.Errorf("%s with %s: err = %v", c.s.Name(), typ, err)
			}
		}
	}
}

// A proof whose type or cryptosuite names another suite is refused.
func TestWrongProofKind(t *testing.T) {
	v := vectors[0]
	signed := members(t, v.read(t, "signed", ".json"))
	proof := members(t, signed["proof"])
	delete(signed, "proof")
	pub := secretKey(t, v.keyFile).PublicKey()
	proof["cryptosuite"] = json.RawMessage(`"eddsa-jcs-2022"`)
	require.ErrorIs(t, EdDSA.Verify(context.Background(), disuite.Env{}, pub, signed, proof), disuite.ErrMalformed)
	require.ErrorIs(t, Ed25519.Verify(context.Background(), disuite.Env{}, pub, signed, proof), disuite.ErrMalformed)
}

// A type no context defines would be a relative IRI in the canonical
// form, which other processors drop or refuse: signing refuses it, and so
// does verifying a VC 1.1 credential that carries one.
func TestUndefinedTypeIsRefused(t *testing.T) {
	ctx := context.Background()
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	doc := func(types string) map[string]json.RawMessage {
		return members(t, []byte(`{"@context":["https://www.w3.org/2018/credentials/v1","https://w3id.org/security/data-integrity/v2"],"type":[`+types+`],"issuer":"did:example:i","issuanceDate":"2020-03-16T22:37:26Z","credentialSubject":{"id":"did:example:s"}}`))
	}
	cfg := members(t, []byte(`{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","created":"2020-03-16T22:37:26Z","verificationMethod":"did:example:i#k","proofPurpose":"assertionMethod"}`))
	proof, err := EdDSA.Sign(ctx, disuite.Env{}, k, k.PublicKey(), doc(`"VerifiableCredential"`), cfg)
	require.NoError(t, err)
	require.NoError(t, EdDSA.Verify(ctx, disuite.Env{}, k.PublicKey(), doc(`"VerifiableCredential"`), proof))
	require.ErrorIs(t, EdDSA.Verify(ctx, disuite.Env{}, k.PublicKey(), doc(`"VerifiableCredential","InvalidType"`), proof), rdfc.ErrUndefinedTerm)
	_, err = EdDSA.Sign(ctx, disuite.Env{}, k, k.PublicKey(), doc(`"VerifiableCredential","InvalidType"`), cfg)
	require.ErrorIs(t, err, rdfc.ErrUndefinedTerm)

	// A VC 2.0 document is left to the data model check (which maps an
	// undefined type to the issuer-dependent vocabulary), inline contexts
	// and all.
	v2 := members(t, []byte(`{"@context":["https://www.w3.org/ns/credentials/v2",{"Badge":"https://example.org/#Badge"}],"type":["VerifiableCredential","Undefined"],"issuer":"did:example:i","credentialSubject":{"id":"did:example:s"}}`))
	require.NoError(t, CheckTypes(ctx, rdfc.Options{}, v2))
	v2["@context"] = json.RawMessage(`"https://www.w3.org/ns/credentials/v2"`)
	require.NoError(t, CheckTypes(ctx, rdfc.Options{}, v2))
	v1 := doc(`"VerifiableCredential","InvalidType"`)
	require.ErrorIs(t, CheckTypes(ctx, rdfc.Options{}, v1), rdfc.ErrUndefinedTerm)
}
