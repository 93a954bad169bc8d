package verify

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/decoded"
	"github.com/badgeproof/badgeproof/internal/obschema"
)

// formatCheck reports what the credential parsed as. An Open Badges 3.0
// achievement credential (OpenBadgeCredential, AchievementCredential) must
// also satisfy the official 1EdTech JSON schema, unless the Verifier was
// built WithoutSchemaValidation; single values stand for one-element arrays
// there, as the data model allows.
func (v *Verifier) formatCheck(c *badge.Credential) Check {
	kind := "Verifiable Credential"
	switch {
	case c.IsCLR():
		kind = "CLR 2.0 ClrCredential"
	case c.IsOpenBadge():
		kind = "Open Badges 3.0 credential"
	}
	// The decoding of the parse serves the data model, its terms and the
	// schema; none of them changes it.
	var doc any
	if d := decoded.Value(c); d != nil {
		doc = d
	} else {
		var err error
		if doc, err = decodeOnce(c.Raw()); err != nil {
			return Check{ID: CheckFormat, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrMalformed, err), Message: err.Error()}
		}
	}
	if f := v.dataModelCheckDecoded(context.Background(), c.Raw(), doc); f != nil {
		return *f
	}
	schema := ""
	if c.IsOpenBadge() && !c.IsCLR() {
		if !v.cfg.schema {
			schema = "; Open Badges JSON schema not checked (WithoutSchemaValidation)"
		} else if err := validateSchema(c.Raw(), doc); err != nil {
			return schemaFailure(err)
		} else {
			schema = "; satisfies the Open Badges 3.0 achievement credential JSON schema"
		}
	}
	f, note := v.credentialSchemaCheck(c)
	if f != nil {
		return *f
	}
	return Check{ID: CheckFormat, Status: StatusPassed, Message: fmt.Sprintf("well-formed %s (%s)%s%s", kind, strings.Join(c.Type, ", "), schema, note)}
}

// validateSchema checks an Open Badges credential against the schema, from
// its decoding, within the schema's own size limit.
func validateSchema(raw []byte, doc any) error {
	if len(raw) > obschema.MaxSize {
		return obschema.Validate(raw) // refuses it by size
	}
	return obschema.ValidateDecoded(doc)
}

// schemaFailure names each schema violation by its JSON pointer.
func schemaFailure(err error) Check {
	var ve *obschema.ValidationError
	if !errors.As(err, &ve) {
		return Check{ID: CheckFormat, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrMalformed, err),
			Message: fmt.Sprintf("cannot validate against the Open Badges 3.0 JSON schema: %v", err)}
	}
	parts := make([]string, 0, len(ve.Failures))
	for _, f := range ve.Failures {
		p := f.Pointer
		if p == "" {
			p = "/"
		}
		parts = append(parts, fmt.Sprintf("at %s: %s", p, f.Message))
	}
	return Check{ID: CheckFormat, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrMalformed, err),
		Message: fmt.Sprintf("does not satisfy the Open Badges 3.0 achievement credential JSON schema (%d problems): %s", len(parts), strings.Join(parts, "; "))}
}
