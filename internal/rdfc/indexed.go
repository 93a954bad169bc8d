package rdfc

import (
	"embed"
	"encoding/json"
	"fmt"
	"sync"
)

// indexedFS holds the contexts a verifier must hold locally, copied
// byte-identical from testdata/vectors/contexts together with its
// index.json, which maps each URL to its file and names its source.
//
//go:embed contexts/w3c
var indexedFS embed.FS

// indexEntry is one URL of contexts/w3c/index.json.
type indexEntry struct {
	File   string `json:"file"`
	Source string `json:"source"`
}

var indexed = sync.OnceValues(func() (map[string]indexEntry, error) {
	b, err := indexedFS.ReadFile("contexts/w3c/index.json")
	if err != nil {
		return nil, err
	}
	var m map[string]indexEntry
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("rdfc: contexts/w3c/index.json: %w", err)
	}
	return m, nil
})

// indexedFile returns the file serving url from the copied index, if any.
// indexedAliases serve an indexed context under another URL its
// publishers use for it.
var indexedAliases = map[string]string{
	// cert-verifier-js @21de5589 serves the secp256k1-2019 suite context
	// under this URL too (src/constants/contexts/preloadedContexts.ts), and
	// Blockcerts' status lists name it.
	"https://ns.did.ai/suites/secp256k1-2019/v1": "https://w3id.org/security/suites/secp256k1-2019/v1",
}

func indexedFile(url string) (string, bool) {
	if a, ok := indexedAliases[url]; ok {
		url = a
	}
	m, err := indexed()
	if err != nil {
		return "", false
	}
	e, ok := m[url]
	return e.File, ok
}

// loadIndexed parses an indexed context file once.
func loadIndexed(file string) (any, error) {
	v, _ := parsedContexts.LoadOrStore("w3c/"+file, &parsedContext{})
	pc := v.(*parsedContext)
	pc.once.Do(func() {
		b, err := indexedFS.ReadFile("contexts/w3c/" + file)
		if err != nil {
			pc.err = err
			return
		}
		pc.err = json.Unmarshal(b, &pc.doc)
		pc.served, _ = rewriteGraphContainers(pc.doc)
	})
	return pc.doc, pc.err
}

// IsKnownContext reports whether url is served without a caller's help:
// embedded, never fetched.
func IsKnownContext(url string) bool {
	if _, ok := contextFiles[url]; ok {
		return true
	}
	_, ok := indexedFile(url)
	return ok
}

// Contexts are JSON-LD context documents a caller adds to the embedded
// ones, by URL. Build them with ParseContexts; the zero value and nil hold
// none. They are read only, so one value may serve many calls at once.
type Contexts struct {
	docs  map[string]any
	ident uint64 // names these contexts in the active context cache
}

// maxContextBytes bounds one caller context document.
const maxContextBytes = 1 << 20

// ParseContexts parses context documents by URL. Each must be a JSON
// object with an "@context" member, and no URL may be one already embedded
// (an embedded context cannot be replaced).
func ParseContexts(docs map[string][]byte) (*Contexts, error) {
	c := &Contexts{docs: make(map[string]any, len(docs)), ident: nextContextsID()}
	for url, b := range docs {
		if url == "" {
			return nil, fmt.Errorf("rdfc: a context without a URL")
		}
		if IsKnownContext(url) {
			return nil, fmt.Errorf("rdfc: context %s is embedded and cannot be replaced", url)
		}
		if len(b) > maxContextBytes {
			return nil, fmt.Errorf("%w: context %s is %d bytes, limit %d", ErrTooLarge, url, len(b), maxContextBytes)
		}
		if err := checkDepth(b, DefaultMaxDepth); err != nil {
			return nil, fmt.Errorf("rdfc: context %s: %w", url, err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("%w: context %s: %v", ErrInvalidJSON, url, err)
		}
		if _, ok := doc["@context"]; !ok {
			return nil, fmt.Errorf("%w: context %s has no @context member", ErrInvalidJSON, url)
		}
		served, _ := rewriteGraphContainers(doc)
		c.docs[url] = served
	}
	return c, nil
}

// URLs lists the added context URLs (unsorted).
func (c *Contexts) URLs() []string {
	if c == nil {
		return nil
	}
	out := make([]string, 0, len(c.docs))
	for u := range c.docs {
		out = append(out, u)
	}
	return out
}

// Merge returns the union of c and d (nil when both are empty); a URL in
// both fails.
func (c *Contexts) Merge(d *Contexts) (*Contexts, error) {
	out := &Contexts{docs: map[string]any{}, ident: nextContextsID()}
	for _, s := range []*Contexts{c, d} {
		if s == nil {
			continue
		}
		for u, doc := range s.docs {
			if _, dup := out.docs[u]; dup {
				return nil, fmt.Errorf("rdfc: context %s given twice", u)
			}
			out.docs[u] = doc
		}
	}
	return out, nil
}

func (c *Contexts) lookup(url string) (any, bool) {
	if c == nil {
		return nil, false
	}
	d, ok := c.docs[url]
	return d, ok
}
