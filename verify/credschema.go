package verify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// WithCredentialSchemas gives the Verifier JSON Schema documents by id, the
// URL a credential names in credentialSchema. Schemas are never fetched: a
// credential whose credentialSchema names a schema given here is validated
// against it, and the format check fails (malformed) when it does not
// conform; a schema not given is reported as not checked. A Blockcerts
// credential (type BlockcertsCredential) has each credentialSubject
// validated, as cert-verifier-js validates it; any other credential is
// validated whole, as the W3C VC JSON Schema specification says. A
// document that is not a JSON Schema, or that refers to another document,
// fails New. The option may be given more than once; an id given twice
// fails New.
func WithCredentialSchemas(docs map[string][]byte) Option {
	return func(c *config) error {
		if len(docs) == 0 {
			return errors.New("verify: WithCredentialSchemas: no schema given")
		}
		if c.credSchemas == nil {
			c.credSchemas = map[string]*jsonschema.Schema{}
		}
		for id, doc := range docs {
			if _, dup := c.credSchemas[id]; dup {
				return fmt.Errorf("verify: WithCredentialSchemas: two schemas for %s", id)
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
			if err != nil {
				return fmt.Errorf("verify: WithCredentialSchemas: %s: %w", id, err)
			}
			comp := jsonschema.NewCompiler()
			comp.UseLoader(refuseLoader{})
			if err := comp.AddResource(id, v); err != nil {
				return fmt.Errorf("verify: WithCredentialSchemas: %s: %w", id, err)
			}
			s, err := comp.Compile(id)
			if err != nil {
				return fmt.Errorf("verify: WithCredentialSchemas: %s: %w", id, err)
			}
			c.credSchemas[id] = s
		}
		return nil
	}
}

// refuseLoader loads nothing: only the given schema documents are read.
type refuseLoader struct{}

func (refuseLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("schema %s is not fetched: give it with WithCredentialSchemas", url)
}

// credentialSchemaCheck validates c against the schemas its
// credentialSchema names that the Verifier holds. It returns a failed
// format check, or a note for the passed one.
func (v *Verifier) credentialSchemaCheck(c *badge.Credential) (*Check, string) {
	if len(c.CredentialSchema) == 0 {
		return nil, ""
	}
	var targets []json.RawMessage
	if c.Type.Has("BlockcertsCredential") {
		raw := bytes.TrimSpace(c.Members()["credentialSubject"])
		if len(raw) > 0 && raw[0] == '[' {
			if err := json.Unmarshal(raw, &targets); err != nil {
				return nil, ""
			}
		} else {
			targets = []json.RawMessage{raw}
		}
	} else {
		targets = []json.RawMessage{c.Raw()}
	}
	var notes []string
	for _, cs := range c.CredentialSchema {
		s := v.cfg.credSchemas[cs.ID]
		if s == nil {
			notes = append(notes, fmt.Sprintf("credentialSchema %s not checked (not given with WithCredentialSchemas)", cs.ID))
			continue
		}
		for _, t := range targets {
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(t))
			if err == nil {
				err = s.Validate(doc)
			}
			if err != nil {
				what := "the credential"
				if len(targets) > 1 || c.Type.Has("BlockcertsCredential") {
					what = "its credentialSubject"
				}
				return &Check{ID: CheckFormat, Status: StatusFailed, Err: fmt.Errorf("%w: credentialSchema %s: %v", ErrMalformed, cs.ID, err),
					Message: fmt.Sprintf("%s does not conform to its credentialSchema %s: %s", what, cs.ID, oneLine(err.Error()))}, ""
			}
		}
		notes = append(notes, "conforms to its credentialSchema "+cs.ID)
	}
	return nil, "; " + strings.Join(notes, "; ")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
