package badge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/internal/jsonx"
)

// Context URLs of the W3C Verifiable Credentials data model.
const (
	ContextV2 = "https://www.w3.org/ns/credentials/v2"
	ContextV1 = "https://www.w3.org/2018/credentials/v1"
	// ContextOB3 is the Open Badges 3.0 context this package writes.
	ContextOB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	// ContextUndefinedTerms is the context a VC 2.0 document names last
	// when it uses terms that none of its other contexts defines, as the
	// data model requires: it maps them into
	// https://www.w3.org/ns/credentials/undefined-term#.
	ContextUndefinedTerms = "https://www.w3.org/ns/credentials/undefined-terms/v2"
)

// DefaultMaxBytes is the default size limit of one credential or presentation.
const DefaultMaxBytes = jsonx.DefaultMaxBytes

// Limits bound the input a parser accepts. Zero values take the defaults
// (1 MiB, nesting depth 64).
type Limits struct {
	MaxBytes int // size of the whole input, in bytes
	MaxDepth int // nesting of objects and arrays
}

// ErrMalformed is wrapped by every parse error.
var ErrMalformed = errors.New("malformed credential")

// ErrTooLarge is wrapped when the input is over the size limit.
var ErrTooLarge = jsonx.ErrTooLarge

// FieldError names the property that is wrong.
type FieldError struct {
	Path string // e.g. credentialSubject.achievement.criteria
	Msg  string
}

func (e *FieldError) Error() string { return e.Path + ": " + e.Msg }

// Unwrap lets errors.Is find ErrMalformed.
func (e *FieldError) Unwrap() error { return ErrMalformed }

func fieldErr(path, format string, args ...any) error {
	return &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// checkBytes checks data strictly and decodes it in the same pass; the
// decoding is kept for the checks that read the document as a whole.
func checkBytes(data []byte, lim Limits) (*jsonx.Decoded, error) {
	d, err := jsonx.Decode(data, jsonx.Limits(lim))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if d.Members == nil {
		return nil, fieldErr("$", "want a JSON object")
	}
	return d, nil
}

// decodeMember decodes member name into v: from doc, the parse's
// decoding, when it has the shape a well-formed credential has, else from
// the member's bytes (decodeField), which also words any error.
func decodeMember(m map[string]json.RawMessage, doc map[string]any, name string, v any) (bool, error) {
	if dv, ok := doc[name]; ok {
		if fromDecoded(dv, v) {
			return true, nil
		}
		reflect.ValueOf(v).Elem().SetZero()
	}
	return decodeField(m, name, v)
}

// decodeField decodes member name into v, naming the property on error.
func decodeField(m map[string]json.RawMessage, name string, v any) (bool, error) {
	raw, ok := m[name]
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			path := name
			if te.Field != "" {
				path += "." + te.Field
			}
			return true, fieldErr(path, "wrong type: got JSON %s, want %s", te.Value, goTypeName(te.Type.String()))
		}
		return true, fieldErr(name, "%v", err)
	}
	return true, nil
}

func goTypeName(t string) string {
	switch {
	case strings.Contains(t, "[]"), strings.HasPrefix(t, "badge.List"), strings.HasSuffix(t, "Strings"):
		return "an array or a single value"
	case t == "string":
		return "a string"
	case t == "bool":
		return "a boolean"
	case strings.HasPrefix(t, "float"), strings.HasPrefix(t, "int"):
		return "a number"
	}
	return "an object (" + t + ")"
}

func parseTime(m map[string]json.RawMessage, doc map[string]any, name string) (*time.Time, error) {
	var s string
	ok, err := decodeMember(m, doc, name, &s)
	if err != nil || !ok {
		return nil, err
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, fieldErr(name, "%q is not an RFC 3339 date-time with a time zone", s)
	}
	return &t, nil
}

func parseContext(m map[string]json.RawMessage, doc map[string]any) ([]json.RawMessage, error) {
	raw, ok := m["@context"]
	if !ok {
		return nil, fieldErr("@context", "missing")
	}
	ctx, err := rawItems(raw, doc != nil)
	if err != nil {
		return nil, fieldErr("@context", "%v", err)
	}
	if len(ctx) == 0 {
		return nil, fieldErr("@context", "empty")
	}
	first, ok := nthItem(doc["@context"], 0, len(ctx)).(string)
	if !ok && json.Unmarshal(ctx[0], &first) != nil || (first != ContextV2 && first != ContextV1) {
		return nil, fieldErr("@context", "first entry must be %s or %s, got %s", ContextV2, ContextV1, ctx[0])
	}
	return ctx, nil
}

func parseProofs(m map[string]json.RawMessage, doc map[string]any) ([]Proof, error) {
	raw, ok := m["proof"]
	if !ok {
		return nil, nil
	}
	items, err := rawItems(raw, doc != nil)
	if err != nil {
		return nil, fieldErr("proof", "%v", err)
	}
	proofs := make([]Proof, len(items))
	for i, it := range items {
		path := "proof[" + strconv.Itoa(i) + "]"
		if len(bytes.TrimSpace(it)) == 0 || bytes.TrimSpace(it)[0] != '{' {
			return nil, fieldErr(path, "want an object")
		}
		// The decoding and the members' bytes of the parse, when they have
		// the shapes of a well-formed proof; else encoding/json, which also
		// words any error.
		p := &proofs[i]
		dp, _ := nthItem(doc["proof"], i, len(items)).(map[string]any)
		if dp == nil || !fromDecoded(dp, p) {
			*p = Proof{}
			if err := json.Unmarshal(it, p); err != nil {
				return nil, fieldErr(path, "%v", err)
			}
		}
		if p.members = jsonx.Members(it); p.members == nil {
			if err := json.Unmarshal(it, &p.members); err != nil {
				return nil, fieldErr(path, "%v", err)
			}
		}
		p.raw = it
		if p.Type == "" {
			return nil, fieldErr(path+".type", "missing")
		}
	}
	return proofs, nil
}

// ParseCredential parses one credential strictly. The returned error wraps
// ErrMalformed and names what is wrong and where.
func ParseCredential(data []byte, lim Limits) (*Credential, error) {
	d, err := checkBytes(data, lim)
	if err != nil {
		return nil, err
	}
	return credentialFromMembers(data, d.Members, d.Value.(map[string]any), lim)
}

func credentialFromMembers(data []byte, m map[string]json.RawMessage, doc map[string]any, lim Limits) (*Credential, error) {
	c := &Credential{raw: data, members: m, decoded: doc}
	var err error
	if c.Context, err = parseContext(m, doc); err != nil {
		return nil, err
	}
	fields := []struct {
		name string
		v    any
	}{
		{"id", &c.ID}, {"type", &c.Type}, {"issuer", &c.Issuer}, {"name", &c.Name}, {"description", &c.Description},
		{"credentialSubject", (*List[Subject])(&c.CredentialSubject)},
		{"credentialStatus", (*List[Status])(&c.CredentialStatus)},
		{"credentialSchema", (*List[Schema])(&c.CredentialSchema)},
		{"evidence", (*List[Evidence])(&c.Evidence)},
	}
	for _, f := range fields {
		if _, err := decodeMember(m, doc, f.name, f.v); err != nil {
			return nil, err
		}
	}
	if c.Proofs, err = parseProofs(m, doc); err != nil {
		return nil, err
	}
	for _, d := range []struct {
		dst         **time.Time
		name, alias string
	}{{&c.ValidFrom, "validFrom", "issuanceDate"}, {&c.ValidUntil, "validUntil", "expirationDate"}} {
		if *d.dst, err = parseTime(m, doc, d.name); err != nil {
			return nil, err
		}
		if *d.dst == nil {
			if *d.dst, err = parseTime(m, doc, d.alias); err != nil {
				return nil, err
			}
		}
	}
	if err := c.checkRequired(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Credential) checkRequired() error {
	if !c.Type.Has("VerifiableCredential") {
		return fieldErr("type", "must include VerifiableCredential, got %v", []string(c.Type))
	}
	if c.Issuer.ID == "" {
		return fieldErr("issuer", "missing (a URI or an object with id)")
	}
	if len(c.CredentialSubject) == 0 {
		return fieldErr("credentialSubject", "missing")
	}
	if c.ValidFrom != nil && c.ValidUntil != nil && c.ValidUntil.Before(*c.ValidFrom) {
		return fieldErr("validUntil", "%s is before validFrom %s", c.ValidUntil.Format(time.RFC3339), c.ValidFrom.Format(time.RFC3339))
	}
	if !c.IsOpenBadge() && !c.IsCLR() {
		return nil
	}
	// Open Badges 3.0 / CLR 2.0 required properties.
	if c.ID == "" {
		return fieldErr("id", "missing (required for Open Badges)")
	}
	if c.Name.IsZero() {
		return fieldErr("name", "missing (required for Open Badges)")
	}
	if c.ValidFrom == nil {
		return fieldErr("validFrom", "missing (required for Open Badges; issuanceDate in VC 1.1)")
	}
	if len(c.Issuer.Type) == 0 {
		return fieldErr("issuer.type", "missing (an Open Badges issuer is a Profile object with id and type)")
	}
	if c.IsCLR() {
		return nil
	}
	for i, s := range c.CredentialSubject {
		path := "credentialSubject"
		if len(c.CredentialSubject) > 1 {
			path = fmt.Sprintf("credentialSubject[%d]", i)
		}
		if s.Achievement == nil {
			return fieldErr(path+".achievement", "missing (required for Open Badges)")
		}
		a := s.Achievement
		switch {
		case a.ID == "":
			return fieldErr(path+".achievement.id", "missing")
		case len(a.Type) == 0:
			return fieldErr(path+".achievement.type", "missing")
		case a.Name.IsZero():
			return fieldErr(path+".achievement.name", "missing")
		case a.Description.IsZero():
			return fieldErr(path+".achievement.description", "missing")
		case a.Criteria == nil:
			return fieldErr(path+".achievement.criteria", "missing")
		}
	}
	return nil
}

// ParsePresentation parses a VerifiablePresentation and each credential in
// it. Each credential keeps its own original bytes.
func ParsePresentation(data []byte, lim Limits) (*Presentation, error) {
	d, err := checkBytes(data, lim)
	if err != nil {
		return nil, err
	}
	return presentationFromMembers(data, d.Members, d.Value.(map[string]any), lim)
}

// Parse parses a credential or a presentation, whichever data holds (by its
// type), checking and reading the bytes once. Exactly one of the results is
// non-nil when err is nil.
func Parse(data []byte, lim Limits) (*Credential, *Presentation, error) {
	d, err := checkBytes(data, lim)
	if err != nil {
		return nil, nil, err
	}
	m, doc := d.Members, d.Value.(map[string]any)
	var typ Strings
	if _, err := decodeMember(m, doc, "type", &typ); err != nil {
		return nil, nil, err
	}
	if typ.Has("VerifiablePresentation") {
		p, err := presentationFromMembers(data, m, doc, lim)
		return nil, p, err
	}
	c, err := credentialFromMembers(data, m, doc, lim)
	return c, nil, err
}

func presentationFromMembers(data []byte, m map[string]json.RawMessage, doc map[string]any, lim Limits) (*Presentation, error) {
	var err error
	p := &Presentation{raw: data, members: m, decoded: doc}
	if p.Context, err = parseContext(m, doc); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		v    any
	}{{"id", &p.ID}, {"type", &p.Type}, {"holder", (*holderID)(&p.Holder)}} {
		if _, err := decodeMember(m, doc, f.name, f.v); err != nil {
			return nil, err
		}
	}
	if !p.Type.Has("VerifiablePresentation") {
		return nil, fieldErr("type", "must include VerifiablePresentation, got %v", []string(p.Type))
	}
	if p.Proofs, err = parseProofs(m, doc); err != nil {
		return nil, err
	}
	if raw, ok := m["verifiableCredential"]; ok {
		var items []json.RawMessage
		if err := oneOrMany(raw, &items); err != nil {
			return nil, fieldErr("verifiableCredential", "%v", err)
		}
		for i, it := range items {
			var cm map[string]json.RawMessage
			if err := json.Unmarshal(it, &cm); err != nil {
				return nil, fieldErr(fmt.Sprintf("verifiableCredential[%d]", i), "want a credential object (enveloped credentials are not supported)")
			}
			c, err := credentialFromMembers(it, cm, nthObject(doc["verifiableCredential"], i, len(items)), lim)
			if err != nil {
				var fe *FieldError
				if errors.As(err, &fe) {
					return nil, fieldErr(fmt.Sprintf("verifiableCredential[%d].%s", i, fe.Path), "%s", fe.Msg)
				}
				return nil, fmt.Errorf("verifiableCredential[%d]: %w", i, err)
			}
			p.Credentials = append(p.Credentials, c)
		}
	}
	return p, nil
}

// nthObject is item i of a one-or-many value of n items, when it is an
// object.
func nthObject(v any, i, n int) map[string]any {
	m, _ := nthItem(v, i, n).(map[string]any)
	return m
}

// nthItem is item i of a decoded one-or-many value of n items (nil when it
// has a different number).
func nthItem(v any, i, n int) any {
	if a, ok := v.([]any); ok {
		if len(a) != n || i >= n {
			return nil
		}
		return a[i]
	}
	if n != 1 || i != 0 {
		return nil
	}
	return v
}

// Kind tells what a document is without fully parsing it.
type Kind int

// Document kinds.
const (
	KindUnknown Kind = iota
	KindCredential
	KindPresentation
)

// Sniff reports whether data looks like a credential or a presentation, from
// its type member. It does not validate.
func Sniff(data []byte) Kind {
	var head struct {
		Type Strings `json:"type"`
	}
	if json.Unmarshal(data, &head) != nil {
		return KindUnknown
	}
	switch {
	case head.Type.Has("VerifiablePresentation"):
		return KindPresentation
	case head.Type.Has("VerifiableCredential"):
		return KindCredential
	}
	return KindUnknown
}

// rawItems splits a one-or-many member into its values. When checked, the
// strict parse has checked raw, so an array is split without decoding it.
func rawItems(raw json.RawMessage, checked bool) ([]json.RawMessage, error) {
	if checked && len(raw) > 0 {
		if raw[0] != '[' {
			return []json.RawMessage{raw}, nil
		}
		if items := jsonx.Elements(raw); items != nil {
			return items, nil
		}
	}
	var items []json.RawMessage
	err := oneOrMany(raw, &items)
	return items, err
}
