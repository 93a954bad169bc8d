package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/blockcerts"
	"github.com/badgeproof/badgeproof/internal/budget"
)

// isBlockcertsMerkleSuite reports whether a proof of this kind (suiteName)
// is a Blockcerts v3 Merkle proof.
func isBlockcertsMerkleSuite(name string) bool {
	switch name {
	case MerkleProof2019Suite, MerkleProof2019, ChainedProof2021:
		return true
	}
	return false
}

// checkPresentationMerkle checks proof number i of a Blockcerts presentation
// anchored with a Merkle proof, as cert-verifier-js does: the target hash
// of the presentation without that proof (each credential inside as
// presented, in a graph of its own), the path to the root, the anchors,
// and the anchoring key against the Blockcerts profile of the
// verification method's document (cert-verifier-js takes the
// presentation's issuer from there). It reports the merkle, anchor and
// issuer checks in r and returns false when one of them failed.
//
// Such a proof is the issuer's (or an anchoring service's), not the
// holder's: it shows that the presentation is the one anchored, never who
// presents it.
func (v *Verifier) checkPresentationMerkle(ctx context.Context, r *Report, bud *budget.Budget, p *badge.Presentation, i int) bool {
	anchorer, _, _ := strings.Cut(p.Proofs[i].VerificationMethod, "#")
	st := &credState{cred: &badge.Credential{Issuer: badge.Profile{ID: anchorer}}, report: r, budget: bud}
	doc, err := blockcerts.Decode(p.Raw())
	var res *blockcerts.Result
	if err == nil {
		res, err = doc.VerifyV3(ctx, bud, i)
	}
	if err != nil {
		v.blockcertsMerkleFailure(st, i, err)
	} else {
		r.set(Check{ID: CheckMerkle, Status: StatusPassed,
			Message: fmt.Sprintf("presentation proof[%d]: the presentation hashes to %x (RDFC-1.0), its targetHash, and reaches Merkle root %x", i, res.TargetHash[:8], res.MerkleRoot)})
		before := len(st.records)
		v.checkAnchors(ctx, st, i, res.MerkleRoot[:], res.Anchors)
		if anchorer != "" {
			v.checkBlockcertsKeys(st, st.records[before:])
		}
	}
	for _, id := range []CheckID{CheckMerkle, CheckAnchor, CheckIssuer} {
		if c := r.Check(id); c != nil && c.Status == StatusFailed {
			return false
		}
	}
	return true
}
