package disuite

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

const chain = "../../testdata/vectors/w3c-di/proof-set-chain/"

func read(t *testing.T, name string) map[string]json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(chain + name)
	require.NoError(t, err)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

// The document each proof of the W3C chain covers is the vector's
// temporary document: the unsecured credential with "proof" holding
// exactly the proofs previousProof names.
func TestCoveredDocumentW3CChain(t *testing.T) {
	signed := read(t, "signedProofChain2.json")
	var proofs []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(signed["proof"], &proofs))
	delete(signed, "proof")
	require.Len(t, proofs, 4)
	for i, want := range map[int]string{2: "proofChainTempDoc1.json", 3: "proofChainTempDoc2.json"} {
		got, err := CoveredDocument(signed, proofs, i)
		require.NoError(t, err)
		a, _ := json.Marshal(got)
		b, _ := json.Marshal(read(t, want))
		require.JSONEq(t, string(b), string(a), "proof %d", i)
	}
	for i := range 2 {
		got, err := CoveredDocument(signed, proofs, i)
		require.NoError(t, err)
		_, has := got["proof"]
		require.False(t, has, "proof %d is not chained", i)
	}
	// previousProof naming a proof the set does not hold fails.
	proofs[3]["previousProof"] = json.RawMessage(`"urn:uuid:not-there"`)
	_, err := CoveredDocument(signed, proofs, 3)
	require.ErrorIs(t, err, ErrPreviousProof)
	// A proof cannot name itself.
	proofs[3]["id"] = json.RawMessage(`"urn:uuid:self"`)
	proofs[3]["previousProof"] = json.RawMessage(`"urn:uuid:self"`)
	_, err = CoveredDocument(signed, proofs, 3)
	require.ErrorIs(t, err, ErrPreviousProof)
	for _, bad := range []string{`""`, `[]`, `[""]`, `{"id":"x"}`, `3`} {
		proofs[3]["previousProof"] = json.RawMessage(bad)
		_, err = CoveredDocument(signed, proofs, 3)
		require.ErrorIs(t, err, ErrMalformed, bad)
	}
}

func TestContextPrefix(t *testing.T) {
	doc := json.RawMessage(`["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"]`)
	require.NoError(t, ContextPrefix(json.RawMessage(`"https://www.w3.org/ns/credentials/v2"`), doc))
	require.NoError(t, ContextPrefix(doc, doc))
	require.ErrorIs(t, ContextPrefix(json.RawMessage(`["https://www.w3.org/ns/credentials/examples/v2"]`), doc), ErrBadSignature)
	require.ErrorIs(t, ContextPrefix(json.RawMessage(`["a","b","c"]`), doc), ErrBadSignature)
	require.ErrorIs(t, ContextPrefix(doc, nil), ErrBadSignature)
}
