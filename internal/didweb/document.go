package didweb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/badgeproof/badgeproof/internal/fetch"
	"github.com/badgeproof/badgeproof/internal/jsonx"
)

var (
	// ErrMalformed: the DID document is not valid JSON of the expected shape.
	ErrMalformed = errors.New("didweb: malformed DID document")
	// ErrIDMismatch: the document's id is not the DID that was resolved.
	ErrIDMismatch = errors.New("didweb: DID document id does not match the DID")
	// ErrMethodNotFound: no verification method with that id.
	ErrMethodNotFound = errors.New("didweb: verification method not found")
	// ErrNotAssertionMethod: the method exists but is not listed under
	// assertionMethod, so it may not verify credentials.
	ErrNotAssertionMethod = errors.New("didweb: verification method is not an assertionMethod")
	// ErrNoKey: the method has neither publicKeyMultibase nor publicKeyJwk, or
	// has both.
	ErrNoKey = errors.New("didweb: verification method has no usable public key")
)

// maxDepth bounds JSON nesting in a DID document; real documents use 4 or 5.
const maxDepth = 32

// VerificationMethod is one entry of verificationMethod (or one embedded in a
// verification relationship). Key material is returned undecoded.
type VerificationMethod struct {
	ID                 string          `json:"id"`
	Type               string          `json:"type"` // Multikey, Ed25519VerificationKey2020, JsonWebKey2020, ...
	Controller         string          `json:"controller"`
	PublicKeyMultibase string          `json:"publicKeyMultibase,omitempty"`
	PublicKeyJwk       json.RawMessage `json:"publicKeyJwk,omitempty"`
}

// Document is a parsed DID document.
type Document struct {
	ID         string
	Controller []string
	Methods    []VerificationMethod // the verificationMethod array
	// AssertionMethodIDs and AuthenticationIDs hold the absolute ids listed
	// under assertionMethod and authentication.
	AssertionMethodIDs []string
	AuthenticationIDs  []string
	Raw                []byte // the bytes parsed

	byID     map[string]VerificationMethod // Methods and embedded methods
	asserted map[string]bool
}

type documentJSON struct {
	ID                 string            `json:"id"`
	Controller         json.RawMessage   `json:"controller"`
	VerificationMethod []json.RawMessage `json:"verificationMethod"`
	AssertionMethod    []json.RawMessage `json:"assertionMethod"`
	Authentication     []json.RawMessage `json:"authentication"`
}

// Accept is the Accept header sent when fetching a DID document.
const Accept = "application/did+json, application/did+ld+json, application/json;q=0.9"

// Resolve fetches and parses the DID document of did. Fetch errors keep their
// fetch sentinels, so fetch.Unavailable tells a server that is down from a
// refused address.
func Resolve(ctx context.Context, f *fetch.Fetcher, did string) (*Document, error) {
	u, err := URL(did)
	if err != nil {
		return nil, err
	}
	body, err := f.Get(ctx, u, Accept)
	if err != nil {
		return nil, fmt.Errorf("didweb: resolving %s: %w", did, err)
	}
	return Parse(did, body)
}

// Parse parses a DID document for did and checks it: valid UTF-8 JSON with no
// duplicate keys and bounded nesting, id equal to did, every verification
// method with an id inside this document (relative "#frag" ids are resolved
// against did), a type and a controller, and no id used twice.
func Parse(did string, data []byte) (*Document, error) {
	if err := checkJSON(data); err != nil {
		return nil, err
	}
	var j documentJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if j.ID != did {
		return nil, fmt.Errorf("%w: resolved %q, document id is %q", ErrIDMismatch, did, j.ID)
	}
	d := &Document{
		ID:       j.ID,
		Raw:      data,
		byID:     map[string]VerificationMethod{},
		asserted: map[string]bool{},
	}
	var err error
	if d.Controller, err = stringOrList(j.Controller, "controller"); err != nil {
		return nil, err
	}
	for _, raw := range j.VerificationMethod {
		m, err := d.parseMethod(raw)
		if err != nil {
			return nil, err
		}
		d.Methods = append(d.Methods, m)
	}
	if d.AssertionMethodIDs, err = d.parseRelationship(j.AssertionMethod, "assertionMethod"); err != nil {
		return nil, err
	}
	if d.AuthenticationIDs, err = d.parseRelationship(j.Authentication, "authentication"); err != nil {
		return nil, err
	}
	for _, id := range d.AssertionMethodIDs {
		d.asserted[id] = true
	}
	return d, nil
}

func (d *Document) parseMethod(raw json.RawMessage) (VerificationMethod, error) {
	var m VerificationMethod
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("%w: verification method: %v", ErrMalformed, err)
	}
	id, err := d.absolute(m.ID)
	if err != nil {
		return m, err
	}
	m.ID = id
	if m.Type == "" {
		return m, fmt.Errorf("%w: verification method %s has no type", ErrMalformed, id)
	}
	if m.Controller == "" {
		return m, fmt.Errorf("%w: verification method %s has no controller", ErrMalformed, id)
	}
	if _, dup := d.byID[id]; dup {
		return m, fmt.Errorf("%w: verification method id %s used twice", ErrMalformed, id)
	}
	d.byID[id] = m
	return m, nil
}

// parseRelationship reads a list of references (strings) and embedded
// methods, returning absolute ids.
func (d *Document) parseRelationship(items []json.RawMessage, name string) ([]string, error) {
	var ids []string
	for _, raw := range items {
		raw = bytes.TrimSpace(raw)
		if len(raw) > 0 && raw[0] == '"' {
			var ref string
			if err := json.Unmarshal(raw, &ref); err != nil {
				return nil, fmt.Errorf("%w: %s: %v", ErrMalformed, name, err)
			}
			id, err := d.absolute(ref)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			ids = append(ids, id)
			continue
		}
		if len(raw) == 0 || raw[0] != '{' {
			return nil, fmt.Errorf("%w: %s entries must be strings or objects, found %.40s", ErrMalformed, name, raw)
		}
		m, err := d.parseMethod(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		ids = append(ids, m.ID)
	}
	return ids, nil
}

// absolute resolves a method id or reference against the document's DID and
// rejects ids that point outside this document.
func (d *Document) absolute(ref string) (string, error) {
	switch {
	case ref == "":
		return "", fmt.Errorf("%w: verification method without id", ErrMalformed)
	case strings.HasPrefix(ref, "#") && len(ref) > 1:
		return d.ID + ref, nil
	case strings.HasPrefix(ref, d.ID+"#") && len(ref) > len(d.ID)+1:
		return ref, nil
	}
	return "", fmt.Errorf("%w: verification method id %q is not of the form %s#fragment", ErrMalformed, ref, d.ID)
}

func stringOrList(raw json.RawMessage, name string) ([]string, error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("%w: %s must be a string or an array of strings", ErrMalformed, name)
	}
	return list, nil
}

// VerificationMethod returns the method with the given id, absolute
// ("did:web:example.com#key-1") or relative ("#key-1"), whether it is in
// verificationMethod or embedded in a relationship. It does not say whether
// the method may verify credentials: see AssertionMethod.
func (d *Document) VerificationMethod(id string) (VerificationMethod, error) {
	abs, err := d.absolute(id)
	if err != nil {
		return VerificationMethod{}, fmt.Errorf("%w: %q is not a method of %s", ErrMethodNotFound, id, d.ID)
	}
	m, ok := d.byID[abs]
	if !ok {
		return VerificationMethod{}, fmt.Errorf("%w: %s in %s", ErrMethodNotFound, abs, d.ID)
	}
	return m, nil
}

// AssertionMethod returns the method with the given id only if the document
// lists it under assertionMethod and it carries exactly one public key form.
// This is the look-up to use when verifying a credential's proof.
func (d *Document) AssertionMethod(id string) (VerificationMethod, error) {
	m, err := d.VerificationMethod(id)
	if err != nil {
		return m, err
	}
	if !d.asserted[m.ID] {
		return VerificationMethod{}, fmt.Errorf("%w: %s is not listed under assertionMethod of %s", ErrNotAssertionMethod, m.ID, d.ID)
	}
	hasMB, hasJWK := m.PublicKeyMultibase != "", len(m.PublicKeyJwk) > 0 && !bytes.Equal(m.PublicKeyJwk, []byte("null"))
	if hasMB == hasJWK {
		return VerificationMethod{}, fmt.Errorf("%w: %s must have exactly one of publicKeyMultibase and publicKeyJwk", ErrNoKey, m.ID)
	}
	return m, nil
}

// IsAssertionMethod reports whether id is listed under assertionMethod.
func (d *Document) IsAssertionMethod(id string) bool {
	abs, err := d.absolute(id)
	return err == nil && d.asserted[abs]
}

// checkJSON applies the SDK's strict JSON rules (internal/jsonx): valid
// UTF-8 and no lone surrogates, no duplicate object keys (they make the
// document mean different things to different parsers), bounded nesting,
// nothing after the document.
func checkJSON(data []byte) error {
	if err := jsonx.Check(data, jsonx.Limits{MaxBytes: len(data) + 1, MaxDepth: maxDepth}); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return nil
}
