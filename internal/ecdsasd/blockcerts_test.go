package ecdsasd

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/internal/disuite"
	"github.com/badgeproof/badgeproof/internal/rdfc"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

// blockcertsKey is the issuer's key-1-multibase in Blockcerts' issuer
// profile (testdata/vectors/blockcerts/network/issuer-blockcerts.json).
var fixedTime = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

const blockcertsKey = "zQ3shvX9Dd7cAG7ZcJN4d9DksshpVYSGpqEyrLjopoGpk97CR"

func readDoc(t *testing.T, path string) (map[string]json.RawMessage, map[string]json.RawMessage) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var doc, proof map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &doc))
	require.NoError(t, json.Unmarshal(doc["proof"], &proof))
	delete(doc, "proof")
	return doc, proof
}

// Blockcerts' ecdsa-sd-2023 base and derived credentials verify end to end
// (JSON-LD, canonicalization, HMAC labels, grouping); a changed copy fails;
// a disclosure derived here from the base credential verifies, and reveals
// only what the pointers select.
func TestBlockcertsBaseAndDerived(t *testing.T) {
	ctx := context.Background()
	pk, err := keys.ParseMultikey(blockcertsKey)
	require.NoError(t, err)
	for _, f := range []string{"ecdsa-sd-2023-signed-credential.json", "ecdsa-sd-2023-derived-credential.json"} {
		doc, proof := readDoc(t, "../../testdata/vectors/blockcerts/v3/"+f)
		require.NoError(t, Suite{AcceptBase: true}.Verify(ctx, disuite.Env{}, pk, doc, proof), f)
		if strings.Contains(f, "signed") {
			require.ErrorIs(t, Suite{}.Verify(ctx, disuite.Env{}, pk, doc, proof), ErrBaseProof, "a verifier refuses a base proof")
		} else {
			require.NoError(t, Suite{}.Verify(ctx, disuite.Env{}, pk, doc, proof), f)
		}
		changed := map[string]json.RawMessage{}
		for k, v := range doc {
			changed[k] = v
		}
		changed["issuanceDate"] = json.RawMessage(`"2022-05-25T15:15:25Z"`)
		require.ErrorIs(t, Suite{AcceptBase: true}.Verify(ctx, disuite.Env{}, pk, changed, proof), disuite.ErrBadSignature, f)
		other, _ := keys.Generate(keys.P256)
		require.ErrorIs(t, Suite{AcceptBase: true}.Verify(ctx, disuite.Env{}, other.PublicKey(), doc, proof), disuite.ErrBadSignature, f)
	}

	b, err := os.ReadFile("../../testdata/vectors/blockcerts/v3/ecdsa-sd-2023-signed-credential.json")
	require.NoError(t, err)
	var signed map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &signed))
	for _, ptrs := range [][]string{{"/credentialSubject/name"}, {"/issuanceDate"}, {"/credentialSubject/name", "/issuanceDate", "/id"}} {
		reveal, err := Derive(ctx, disuite.Env{}, signed, ptrs)
		require.NoError(t, err, "%v", ptrs)
		rb, err := json.Marshal(reveal)
		require.NoError(t, err)
		doc, proof := readDoc2(t, rb)
		require.NoError(t, Suite{AcceptBase: true}.Verify(ctx, disuite.Env{}, pk, doc, proof), "%v: %s", ptrs, rb)
		if len(ptrs) == 1 && ptrs[0] == "/issuanceDate" {
			require.NotContains(t, string(rb), "Julien Fraichot", "an undisclosed claim is not revealed")
		}
	}
	_, err = Derive(ctx, disuite.Env{}, signed, []string{"/credentialSubject/nope"})
	require.ErrorIs(t, err, ErrPointer)
}

func readDoc2(t *testing.T, b []byte) (map[string]json.RawMessage, map[string]json.RawMessage) {
	var doc, proof map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &doc))
	require.NoError(t, json.Unmarshal(doc["proof"], &proof))
	delete(doc, "proof")
	return doc, proof
}

// A base proof made here (P-256 and P-384 issuers, with and without
// mandatory pointers) verifies, and so do disclosures derived from it.
func TestSignDeriveVerify(t *testing.T) {
	ctx := context.Background()
	doc := map[string]json.RawMessage{
		"@context":          json.RawMessage(`["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"]`),
		"id":                json.RawMessage(`"urn:uuid:1"`),
		"type":              json.RawMessage(`["VerifiableCredential","ExampleAlumniCredential"]`),
		"issuer":            json.RawMessage(`"did:example:issuer"`),
		"validFrom":         json.RawMessage(`"2025-01-01T00:00:00Z"`),
		"credentialSubject": json.RawMessage(`{"alumniOf":{"name":"The School of Examples","id":"did:example:school"},"name":"Kim"}`),
	}
	for _, typ := range []keys.Type{keys.P256, keys.P384} {
		for _, mandatory := range [][]string{nil, {"/issuer", "/validFrom"}} {
			k, err := keys.Generate(typ)
			require.NoError(t, err)
			config := disuite.Config("DataIntegrityProof", Cryptosuite, k.PublicKey().VerificationMethod(), "assertionMethod", fixedTime, "", "")
			proof, err := Sign(ctx, disuite.Env{}, k, k.PublicKey(), doc, config, mandatory)
			require.NoError(t, err)
			require.NoError(t, Suite{AcceptBase: true}.Verify(ctx, disuite.Env{}, k.PublicKey(), doc, proof), "%s %v", typ, mandatory)
			signed := map[string]json.RawMessage{}
			for kk, v := range doc {
				signed[kk] = v
			}
			signed["proof"], _ = json.Marshal(proof)
			reveal, err := Derive(ctx, disuite.Env{}, signed, []string{"/credentialSubject/alumniOf/name"})
			require.NoError(t, err)
			rb, _ := json.Marshal(reveal)
			d, p := readDoc2(t, rb)
			require.NoError(t, Suite{AcceptBase: true}.Verify(ctx, disuite.Env{}, k.PublicKey(), d, p), "%s", rb)
			require.NotContains(t, string(rb), `"Kim"`)
		}
	}
}

// As with the other RDFC suites, a type no context defines would be a
// relative IRI in the canonical form: signing a VC 1.1 credential that
// carries one is refused, and so is verifying one.
func TestUndefinedTypeIsRefused(t *testing.T) {
	ctx := context.Background()
	k, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	doc := func(types string) map[string]json.RawMessage {
		return map[string]json.RawMessage{
			"@context":          json.RawMessage(`["https://www.w3.org/2018/credentials/v1","https://w3id.org/security/data-integrity/v2"]`),
			"type":              json.RawMessage(`[` + types + `]`),
			"issuer":            json.RawMessage(`"did:example:i"`),
			"issuanceDate":      json.RawMessage(`"2020-03-16T22:37:26Z"`),
			"credentialSubject": json.RawMessage(`{"id":"did:example:s"}`),
		}
	}
	config := disuite.Config("DataIntegrityProof", Cryptosuite, k.PublicKey().VerificationMethod(), "assertionMethod", fixedTime, "", "")
	proof, err := Sign(ctx, disuite.Env{}, k, k.PublicKey(), doc(`"VerifiableCredential"`), config, nil)
	require.NoError(t, err)
	require.NoError(t, Suite{AcceptBase: true}.Verify(ctx, disuite.Env{}, k.PublicKey(), doc(`"VerifiableCredential"`), proof))
	require.ErrorIs(t, Suite{AcceptBase: true}.Verify(ctx, disuite.Env{}, k.PublicKey(), doc(`"VerifiableCredential","InvalidType"`), proof), rdfc.ErrUndefinedTerm)
	_, err = Sign(ctx, disuite.Env{}, k, k.PublicKey(), doc(`"VerifiableCredential","InvalidType"`), config, nil)
	require.ErrorIs(t, err, rdfc.ErrUndefinedTerm)
}
