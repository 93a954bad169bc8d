package issuer

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/badgeproof/badgeproof/badge"
)

// DataIntegrityContext is the JSON-LD context that defines
// DataIntegrityProof and its properties. The VC 2.0 context includes it; a
// VC 1.1 document does not, so the signer adds it (context injection, as
// the Data Integrity specification describes) before signing a document
// that carries no proof yet.
const DataIntegrityContext = "https://w3id.org/security/data-integrity/v2"

// contextsDefiningDataIntegrity are the contexts whose terms include
// DataIntegrityProof, cryptosuite and proofValue.
var contextsDefiningDataIntegrity = []string{badge.ContextV2, DataIntegrityContext, "https://w3id.org/security/data-integrity/v1"}

// injectDataIntegrityContext appends DataIntegrityContext to members'
// @context when none of its entries defines Data Integrity proofs. A
// document that already carries a proof is left alone: changing its
// context would break that proof.
func injectDataIntegrityContext(members map[string]json.RawMessage) error {
	if _, signed := members["proof"]; signed {
		return nil
	}
	raw, ok := members["@context"]
	if !ok {
		return nil // the data model check reports it
	}
	var ctx any
	if err := json.Unmarshal(raw, &ctx); err != nil {
		return fmt.Errorf("issuer: @context: %w", err)
	}
	ctx, changed := withDataIntegrityContext(ctx)
	if !changed {
		return nil
	}
	b, err := json.Marshal(ctx)
	if err != nil {
		return fmt.Errorf("issuer: @context: %w", err)
	}
	members["@context"] = b
	return nil
}

// withDataIntegrityContext returns a decoded @context value with
// DataIntegrityContext appended, and true, when none of its entries
// defines Data Integrity proofs; else ctx and false. ctx is not changed.
func withDataIntegrityContext(ctx any) (any, bool) {
	entries, isList := ctx.([]any)
	if !isList {
		entries = []any{ctx} // a single context: a string or an object
	}
	for _, e := range entries {
		if url, ok := e.(string); ok && slices.Contains(contextsDefiningDataIntegrity, url) {
			return ctx, false
		}
	}
	return append(slices.Clip(entries), DataIntegrityContext), true
}
