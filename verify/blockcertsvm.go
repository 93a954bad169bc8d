package verify

import (
	"context"
	"fmt"
	"strings"
)

// checkBlockcertsMethod checks the verificationMethod a Blockcerts Merkle
// proof names when the issuer is a DID, as cert-verifier-js does: the
// method must be one of the issuer's DID (a method of another DID is an
// identity mismatch) and listed in its DID document (given with
// WithControllerDocuments, or resolved); a document that cannot be had
// leaves the issuer check undecided. A did:key issuer, and a
// ChainedProof2021 (an anchoring service's witness), are not checked.
func (v *Verifier) checkBlockcertsMethod(ctx context.Context, st *credState, i int) {
	p := &st.cred.Proofs[i]
	vm := p.VerificationMethod
	issuer := st.cred.Issuer.ID
	// A did:key issuer has no document to control; a chained Merkle proof
	// is the anchoring service's witness, not the issuer's.
	if vm == "" || !strings.HasPrefix(issuer, "did:") || strings.HasPrefix(issuer, "did:key:") || p.Type == ChainedProof2021 {
		return
	}
	did, _, _ := strings.Cut(vm, "#")
	if did != issuer {
		st.report.set(Check{ID: CheckIssuer, Status: StatusFailed, Err: ErrKeyNotIssuer,
			Message: fmt.Sprintf("proof[%d]: the anchoring key %s belongs to %s, not to the issuer %s: the issuer's identity does not match the verification method", i, vm, did, issuer)})
		return
	}
	if doc := v.cfg.controllerDocs[issuer]; doc != nil {
		// The document given for the issuer decides: the method must be
		// one of its verification methods (Blockcerts does not ask for a
		// relationship).
		if _, err := doc.VerificationMethod(vm); err != nil {
			st.report.set(Check{ID: CheckIssuer, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrUnknownKey, err),
				Message: fmt.Sprintf("proof[%d]: the issuer's DID document does not list the anchoring key %s", i, vm)})
			return
		}
		st.report.set(Check{ID: CheckIssuer, Status: StatusPassed,
			Message: fmt.Sprintf("proof[%d]: the anchoring key %s is listed in the issuer's DID document", i, vm)})
		return
	}
	key, err := v.keys.ResolveKey(ctx, vm, PurposeAssertion)
	switch {
	case err == nil && key.Controller == issuer:
		st.report.set(Check{ID: CheckIssuer, Status: StatusPassed,
			Message: fmt.Sprintf("proof[%d]: the anchoring key %s is listed in the issuer's DID document", i, vm)})
	case err == nil:
		st.report.set(Check{ID: CheckIssuer, Status: StatusFailed, Err: ErrKeyNotIssuer,
			Message: fmt.Sprintf("proof[%d]: the anchoring key %s is controlled by %s, not the issuer %s", i, vm, key.Controller, issuer)})
	default:
		st.report.set(Check{ID: CheckIssuer, Status: StatusIndeterminate, Err: fmt.Errorf("%w: %w", ErrKeyUnavailable, err),
			Message: fmt.Sprintf("proof[%d]: the issuer's DID document could not be had to check the anchoring key %s: %v", i, vm, err)})
	}
}
