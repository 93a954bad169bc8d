package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

// The CLR 2.0 vector cannot be canonicalized here (its CLR and OB extension
// contexts are not among the embedded ones), but its published canonical
// forms can: their hashes are the published ones, and the published
// signature verifies over them with the eddsa-rdfc-2022 hashing this
// verifier uses, while a changed byte of either form does not.
func TestCLRPublishedCanonicalFormsVerify(t *testing.T) {
	doc := readVector(t, "openbadges/clr2/clrv2p0-document-canon.txt")
	proof := readVector(t, "openbadges/clr2/clrv2p0-proof-canon.txt")
	docHash, proofHash := sha256.Sum256(doc), sha256.Sum256(proof)
	require.Equal(t, "768d7015ae69e0210e1c2a45194d9c1d15d7a6022e52b946574a2a27f6fa85fe", hex.EncodeToString(docHash[:]))
	require.Equal(t, "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19", hex.EncodeToString(proofHash[:]))

	clr, err := badge.ParseCredential(readVector(t, "openbadges/clr2/clrv2p0-signed-clrcredential.json"), badge.Limits{})
	require.NoError(t, err)
	require.Len(t, clr.Proofs, 1)
	require.Equal(t, EdDSARDFC2022, clr.Proofs[0].Cryptosuite)
	_, fragment, ok := strings.Cut(clr.Proofs[0].VerificationMethod, "#")
	require.True(t, ok)
	pk, err := keys.ParseMultikey(fragment)
	require.NoError(t, err)
	sig, err := dataintegrity.DecodeProofValue(clr.Proofs[0].ProofValue)
	require.NoError(t, err)
	require.Equal(t, "0c220dadbcfcaa64ab8a8c5002dbe258e6c7746ca71c25e2ea3b7fbffd66568413f53b1d34f5655f3057864bd372bbf0d1e74ea2f8c72e2f4b5790f21a22b70a", hex.EncodeToString(sig))

	hashData := append(proofHash[:], docHash[:]...)
	require.NoError(t, dataintegrity.VerifyHashData(pk, hashData, sig))
	for _, i := range []int{0, 100, len(doc) / 2, len(doc) - 2} {
		changed := append([]byte(nil), doc...)
		changed[i] ^= 1
		h := sha256.Sum256(changed)
		require.ErrorIs(t, dataintegrity.VerifyHashData(pk, append(proofHash[:], h[:]...), sig), dataintegrity.ErrBadSignature, "byte %d", i)
	}
}
