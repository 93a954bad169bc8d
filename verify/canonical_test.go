package verify

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/canon"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

// The JCS forms a signature is checked over come from the parse's
// decoding (canonicalJCS); they are the bytes the members give.
func TestCanonicalJCSAgreesWithMembers(t *testing.T) {
	var docs [][]byte
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1} {
		is := newTestIssuer(t, typ)
		docs = append(docs, is.sign(t, is.qualification(t, "urn:uuid:canon", "did:example:holder")))
	}
	vectors, err := filepath.Glob("../testdata/vectors/w3c-di/*/*.json")
	require.NoError(t, err)
	for _, f := range vectors {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		docs = append(docs, b)
	}
	checked := 0
	for _, data := range docs {
		c, err := badge.ParseCredential(data, badge.Limits{})
		if err != nil {
			continue
		}
		for i := range c.Proofs {
			members := c.Proofs[i].Members()
			if _, chained := members["previousProof"]; chained {
				require.Nil(t, canonicalJCS(c, i))
				continue
			}
			cj := canonicalJCS(c, i)
			require.NotNil(t, cj)
			wantDoc, err := canon.JCSMembers(c.Unsigned())
			require.NoError(t, err)
			delete(members, "proofValue")
			wantProof, err := canon.JCSMembers(members)
			require.NoError(t, err)
			require.Equal(t, string(wantDoc), string(cj.Document))
			require.Equal(t, string(wantProof), string(cj.ProofConfig))
			checked++
		}
	}
	require.GreaterOrEqual(t, checked, 4)
	t.Logf("%d proofs", checked)

	// A credential not made by badge's parsers has no decoding.
	var c badge.Credential
	require.Nil(t, canonicalJCS(&c, 0))
}
