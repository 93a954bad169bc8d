package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/badgeproof/badgeproof/internal/didweb"
)

// WithControllerDocuments gives the Verifier controller documents to
// resolve verification methods from without any fetch: W3C controller
// documents, DID documents (did:web, did:ion, ... — a DID resolution result
// with a didDocument member is read too) and issuer profiles that list
// their keys under verificationMethod (Open Badges, Blockcerts v3). A
// verification method whose document is given is resolved from it, for
// the proof's relationship (assertionMethod, authentication), also when
// the Verifier is offline; a key the document does not list is left to the
// other resolvers (an online fetch of the document), and fails
// (unknown_key) when none knows it. A document that does not parse, or two documents with one
// id, fail New. The option may be given more than once.
func WithControllerDocuments(docs ...[]byte) Option {
	return func(c *config) error {
		if len(docs) == 0 {
			return errors.New("verify: WithControllerDocuments: no document given")
		}
		if c.controllerDocs == nil {
			c.controllerDocs = map[string]*didweb.Document{}
		}
		for i, b := range docs {
			d, err := parseControllerDocument(b)
			if err != nil {
				return fmt.Errorf("verify: controller document %d: %w", i, err)
			}
			if _, dup := c.controllerDocs[d.ID]; dup {
				return fmt.Errorf("verify: two controller documents for %s", d.ID)
			}
			c.controllerDocs[d.ID] = d
		}
		return nil
	}
}

// parseControllerDocument reads a controller document, or a DID resolution
// result's didDocument, under the did:web document rules.
func parseControllerDocument(b []byte) (*didweb.Document, error) {
	var head struct {
		ID          string          `json:"id"`
		DIDDocument json.RawMessage `json:"didDocument"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, err
	}
	if head.ID == "" && len(head.DIDDocument) > 0 {
		b = head.DIDDocument
		if err := json.Unmarshal(b, &head); err != nil {
			return nil, err
		}
	}
	if head.ID == "" {
		return nil, errors.New("no id")
	}
	return didweb.Parse(head.ID, b)
}

// controllerDocResolver resolves verification methods from the documents
// the caller gave.
type controllerDocResolver struct{ docs map[string]*didweb.Document }

func (r controllerDocResolver) ResolveKey(_ context.Context, vm string, purpose ProofPurpose) (*Key, error) {
	id, _, _ := strings.Cut(vm, "#")
	doc, ok := r.docs[id]
	if !ok {
		return nil, fmt.Errorf("%w: no controller document given for %s", ErrUnknownKey, id)
	}
	var m didweb.VerificationMethod
	var err error
	if purpose == PurposeAuthentication {
		m, err = authenticationMethod(doc, vm)
	} else {
		m, err = doc.AssertionMethod(vm)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnknownKey, err)
	}
	pk, err := methodKey(m)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, vm, err)
	}
	return &Key{ID: m.ID, Controller: doc.ID, Public: pk}, nil
}
