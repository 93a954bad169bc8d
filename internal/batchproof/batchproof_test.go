package batchproof

import (
	"crypto/sha256"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/canon"
)

const withProofs = `{
  "@context": ["https://www.w3.org/ns/credentials/v2"],
  "type": ["VerifiableCredential"],
  "issuer": "did:example:issuer",
  "credentialSubject": {"id": "did:example:holder"},
  "proof": [
    {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "proofValue": "zSig"},
    {"type": "DataIntegrityProof", "cryptosuite": "merkle-jcs-2026", "proofValue": "zMerkle"},
    {"type": "DataIntegrityProof", "cryptosuite": "merkle-jcs-2026", "proofValue": "zSecond"}
  ]
}`

func parse(t testing.TB, s string) *badge.Credential {
	t.Helper()
	c, err := badge.ParseCredential([]byte(s), badge.Limits{})
	require.NoError(t, err)
	return c
}

func TestDocument(t *testing.T) {
	c := parse(t, withProofs)
	doc0, err := Document(c, 0)
	require.NoError(t, err)
	require.NotContains(t, doc0, "proof", "the first proof commits to the credential without proofs")

	doc2, err := Document(c, 2)
	require.NoError(t, err)
	var prev []map[string]string
	require.NoError(t, json.Unmarshal(doc2["proof"], &prev))
	require.Len(t, prev, 2)
	require.Equal(t, "zSig", prev[0]["proofValue"])
	require.Equal(t, "zMerkle", prev[1]["proofValue"])

	doc3, err := Document(c, 3)
	require.NoError(t, err, "the index of a proof about to be appended")
	require.NoError(t, json.Unmarshal(doc3["proof"], &prev))
	require.Len(t, prev, 3)

	for _, i := range []int{-1, 4} {
		_, err := Document(c, i)
		require.Error(t, err)
	}
}

func TestLeaf(t *testing.T) {
	c := parse(t, withProofs)
	jcs, err := canon.JCSMembers(c.Unsigned())
	require.NoError(t, err)
	leaf0, err := Leaf(c, 0)
	require.NoError(t, err)
	require.Equal(t, sha256.Sum256(jcs), leaf0)

	leaves := map[[32]byte]bool{leaf0: true}
	for i := 1; i <= 3; i++ {
		l, err := Leaf(c, i)
		require.NoError(t, err)
		leaves[l] = true
	}
	require.Len(t, leaves, 4, "each position in the proof set commits to a different document")

	// Whitespace and member order do not change the leaf; a value does.
	same := parse(t, `{"credentialSubject":{"id":"did:example:holder"},"issuer":"did:example:issuer","type":["VerifiableCredential"],"@context":["https://www.w3.org/ns/credentials/v2"],
	  "proof":{"proofValue":"zSig","cryptosuite":"eddsa-jcs-2022","type":"DataIntegrityProof"}}`)
	want, err := Leaf(c, 1)
	require.NoError(t, err)
	got, err := Leaf(same, 1)
	require.NoError(t, err)
	require.Equal(t, want, got)
	other := parse(t, `{"credentialSubject":{"id":"did:example:holder2"},"issuer":"did:example:issuer","type":["VerifiableCredential"],"@context":["https://www.w3.org/ns/credentials/v2"],
	  "proof":{"proofValue":"zSig","cryptosuite":"eddsa-jcs-2022","type":"DataIntegrityProof"}}`)
	got, err = Leaf(other, 1)
	require.NoError(t, err)
	require.NotEqual(t, want, got)
}

// FuzzLeaf: for any credential the parser accepts, every proof position
// has a document and a leaf, computed without panicking, and computing it
// twice gives the same leaf.
func FuzzLeaf(f *testing.F) {
	f.Add([]byte(withProofs))
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{"n":1e400}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := badge.ParseCredential(data, badge.Limits{})
		if err != nil {
			return
		}
		for i := 0; i <= len(c.Proofs); i++ {
			a, errA := Leaf(c, i)
			b, errB := Leaf(c, i)
			if (errA == nil) != (errB == nil) || a != b {
				t.Fatalf("leaf %d not stable: %x %v, %x %v", i, a, errA, b, errB)
			}
		}
		if _, err := Document(c, len(c.Proofs)+1); err == nil {
			t.Fatal("index past the proof set accepted")
		}
	})
}
