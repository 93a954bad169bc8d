package verify

import (
	"errors"
	"fmt"
	"net/url"
)

// WithStatusListCredential gives the Verifier the status list credential
// published at listURL (a BitstringStatusListCredential, or a
// StatusList2021Credential as Blockcerts publishes), so that badges naming
// it are checked without a fetch, also offline. The list is checked as a
// fetched one is: its own proofs must verify, and its bits are read by the
// same rules. listURL must be an absolute URL; an empty document, or two
// documents for one URL, fail New. The option may be given more than once.
func WithStatusListCredential(listURL string, doc []byte) Option {
	return func(c *config) error {
		u, err := url.Parse(listURL)
		if err != nil || !u.IsAbs() || u.Host == "" {
			return fmt.Errorf("verify: WithStatusListCredential: %q is not an absolute URL", listURL)
		}
		if len(doc) == 0 {
			return errors.New("verify: WithStatusListCredential: empty document for " + listURL)
		}
		if c.statusDocs == nil {
			c.statusDocs = map[string][]byte{}
		}
		if _, dup := c.statusDocs[listURL]; dup {
			return fmt.Errorf("verify: WithStatusListCredential: two documents for %s", listURL)
		}
		c.statusDocs[listURL] = append([]byte(nil), doc...)
		return nil
	}
}
