package verify

import (
	"errors"
	"fmt"

	"github.com/badgeproof/badgeproof/internal/rdfc"
	"github.com/badgeproof/badgeproof/internal/urlmap"
)

// WithContexts adds JSON-LD context documents, by URL, to the ones the
// Verifier holds (KnownContexts). Contexts are never fetched: a credential
// whose @context names a URL neither embedded nor given here fails the
// format check, naming the URL. An embedded URL cannot be replaced, and a
// document that is not a JSON object with an "@context" member fails New.
// The option may be given more than once; a URL given twice fails New.
func WithContexts(docs map[string][]byte) Option {
	return func(c *config) error {
		if len(docs) == 0 {
			return errors.New("verify: WithContexts: no context given")
		}
		add, err := rdfc.ParseContexts(docs)
		if err != nil {
			return fmt.Errorf("verify: WithContexts: %w", err)
		}
		if c.contexts, err = c.contexts.Merge(add); err != nil {
			return fmt.Errorf("verify: WithContexts: %w", err)
		}
		return nil
	}
}

// WithRelatedResources gives the content of resources a credential may
// pin in relatedResource (a transcript, an image, a context), by id: a
// credential whose digestSRI or digestMultibase for one of them does not
// match fails at format (badge.CheckRelatedResources). Resources not given
// are never fetched, and their digests are checked for syntax only. Given
// more than once, the maps are merged; an id given twice is an error.
func WithRelatedResources(content map[string][]byte) Option {
	return func(c *config) error {
		var err error
		if c.related, err = urlmap.Merge(c.related, content); err != nil {
			return fmt.Errorf("verify: WithRelatedResources: %w", err)
		}
		return nil
	}
}

// KnownContexts lists the JSON-LD context URLs every Verifier holds
// locally, sorted: the W3C VC 1.1 and 2.0 contexts and the VC 2.0 examples
// context, Data Integrity, the security and suite contexts, DID and
// Controlled Identifiers, Open Badges 2.0 and 3.0, CLR 2.0, and Blockcerts.
func KnownContexts() []string { return rdfc.KnownContexts() }
