package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/rdfc"
)

// dataModelCheck checks a credential's or presentation's JSON against the
// MUSTs of the VC data model (badge.CheckDataModel) and its JSON-LD terms:
// no protected term redefined, every type an IRI some context defines. It
// returns the failed format check, or nil.
func (v *Verifier) dataModelCheck(ctx context.Context, raw []byte) *Check {
	doc, err := decodeOnce(raw)
	if err != nil {
		return &Check{ID: CheckFormat, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrMalformed, err), Message: err.Error()}
	}
	return v.dataModelCheckDecoded(ctx, raw, doc)
}

// decodeOnce decodes a document for the checks that read it as a whole
// (the data model, its JSON-LD terms, the Open Badges schema), once for all
// of them; numbers stay json.Number, as the schema validator needs.
func decodeOnce(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// dataModelCheckDecoded is dataModelCheck for a document also given
// decoded (decodeOnce); doc is not changed.
func (v *Verifier) dataModelCheckDecoded(ctx context.Context, raw []byte, doc any) *Check {
	if hasBlockcertsContext(raw) {
		// Blockcerts certificates are decided as cert-verifier-js decides
		// them: it accepts ids that are not URLs ("recipients-id") in
		// certificates it verifies, so only the JSON-LD terms and the dates
		// of a VC 2.0 certificate (which it requires to be date-time
		// stamps, proofs' created included) are checked.
		if err := badge.CheckDateStamps(raw); err != nil {
			return &Check{ID: CheckFormat, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrMalformed, err), Message: err.Error()}
		}
		if err := checkTerms(ctx, raw, doc, v.terms); err != nil {
			return &Check{ID: CheckFormat, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrMalformed, err), Message: err.Error()}
		}
		return nil
	}
	if err := badge.CheckDataModelDecoded(doc); err != nil {
		return &Check{ID: CheckFormat, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrMalformed, err), Message: err.Error()}
	}
	if err := badge.CheckRelatedResourcesDecoded(doc, v.cfg.related); err != nil {
		return &Check{ID: CheckFormat, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrMalformed, err), Message: err.Error()}
	}
	if err := checkTerms(ctx, raw, doc, v.terms); err != nil {
		return &Check{ID: CheckFormat, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrMalformed, err), Message: err.Error()}
	}
	return nil
}

// checkTerms is the JSON-LD part of the data model check, shared with the
// issuer: contexts are known (embedded or the caller's), no context
// redefines a protected term, every type of a VC 2.0 document expands to an
// absolute IRI.
func checkTerms(ctx context.Context, raw []byte, doc any, terms *rdfc.TermCache) error {
	err := terms.CheckCredentialTermsDecoded(ctx, raw, doc)
	var uc *rdfc.UnknownContextError
	switch {
	case errors.As(err, &uc):
		return fmt.Errorf("unknown JSON-LD context %s: contexts are held locally and never fetched (add it with WithContexts)", uc.URL)
	case errors.Is(err, rdfc.ErrTermDefinition):
		return fmt.Errorf("breaks the Verifiable Credentials data model: %v", err)
	case err != nil:
		return fmt.Errorf("is not valid JSON-LD: %v", err)
	}
	return nil
}
