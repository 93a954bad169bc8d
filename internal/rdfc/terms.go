package rdfc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// ErrTermDefinition: a JSON-LD context redefines a protected term (such as
// VerifiableCredential in the VC 2.0 context) or maps a term to something
// that is not an IRI, or a type does not expand to an absolute IRI.
var ErrTermDefinition = errors.New("rdfc: invalid JSON-LD term")

var absoluteIRI = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>"{}|\\^` + "`" + `]*$`)

// CheckTerms expands the JSON-LD document v (decoded with encoding/json)
// with the embedded and the caller's contexts, and fails with
// ErrTermDefinition when a context redefines a protected term or maps a
// term to an invalid IRI, or, with types set, when any type expands to
// something other than an absolute IRI or a blank node (an undefined
// type). Unknown contexts fail with *UnknownContextError. It does not
// modify v.
func (o Options) CheckTerms(ctx context.Context, v map[string]any, types bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = embeddedLoader{extra: o.Contexts}
	out, err := expand(v, opts, o.Contexts, false)
	if err != nil {
		var uc *UnknownContextError
		if errors.As(err, &uc) {
			return uc
		}
		var je *ld.JsonLdError
		if errors.As(err, &je) {
			switch je.Code {
			case ld.ProtectedTermRedefinition, ld.InvalidIRIMapping, ld.InvalidTypeMapping, ld.InvalidTermDefinition, ld.KeywordRedefinition, ld.CyclicIRIMapping:
				return fmt.Errorf("%w: %v", ErrTermDefinition, err)
			}
		}
		return fmt.Errorf("%w: %v", ErrCanonicalize, err)
	}
	if !types {
		return nil
	}
	var bad []string
	walkTypes(out, func(t string) {
		if !strings.HasPrefix(t, "_:") && !absoluteIRI.MatchString(t) {
			bad = append(bad, t)
		}
	})
	if len(bad) > 0 {
		return fmt.Errorf("%w: type %q does not expand to an absolute IRI (no context defines it)", ErrTermDefinition, bad[0])
	}
	return nil
}

// walkTypes calls f with every @type value of an expanded document.
func walkTypes(v any, f func(string)) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walkTypes(e, f)
		}
	case map[string]any:
		if _, isValue := x["@value"]; isValue {
			return // a typed literal's @type is a datatype
		}
		for k, e := range x {
			if k == "@type" {
				for _, t := range toList(e) {
					if s, ok := t.(string); ok {
						f(s)
					}
				}
				continue
			}
			walkTypes(e, f)
		}
	}
}

func toList(v any) []any {
	if a, ok := v.([]any); ok {
		return a
	}
	return []any{v}
}

// ContextV2 is the W3C VC 2.0 base context.
const ContextV2 = "https://www.w3.org/ns/credentials/v2"

// IssuerDependent is the vocabulary for undefined terms the VC 2.0 base
// context held until July 2024.
const IssuerDependent = "https://www.w3.org/ns/credentials/issuer-dependent#"

// CheckCredentialTerms is CheckTerms for a credential or presentation
// (JSON): its proofs are left out (their suites read them), and a VC 2.0
// document is read with the vocabulary the VC 2.0 base context held from
// 2023 until July 2024, mapping undefined terms to IssuerDependent, so that
// credentials issued against it keep passing; a later context can undo it
// ({"@vocab": null}), and then an undefined type fails, as the data model
// requires. (The context as published today, which is the embedded one,
// has no @vocab: a credential that uses undefined terms names
// https://www.w3.org/ns/credentials/undefined-terms/v2 last instead.) VC
// 1.1 has no such vocabulary and does not require types to be defined, so
// types are checked only in VC 2.0 documents.
func (o Options) CheckCredentialTerms(ctx context.Context, raw []byte) error {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidJSON, err)
	}
	delete(m, "proof")
	v2 := false
	if list, ok := m["@context"].([]any); ok && len(list) > 0 && list[0] == ContextV2 {
		v2 = true
		m["@context"] = append([]any{list[0], map[string]any{"@vocab": IssuerDependent}}, list[1:]...)
	} else if m["@context"] == ContextV2 {
		v2 = true
		m["@context"] = []any{ContextV2, map[string]any{"@vocab": IssuerDependent}}
	}
	return o.CheckTerms(ctx, m, v2)
}
