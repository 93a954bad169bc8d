package rdfc

import (
	"context"
	"encoding/json"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/internal/budget"
	"github.com/piprate/json-gold/ld"
)

// toRDF gives the dataset json-gold's ToRDF gives: the same canonical
// N-Quads, for every JSON-LD document among the vectors and for documents
// made to reach each branch (numbers, booleans, lists, languages, JSON
// literals, relative and malformed IRIs).
func TestToRDFMatchesJSONGold(t *testing.T) {
	docs := map[string]any{}
	for _, pattern := range []string{"*/*.json", "*/*/*.json", "*/*/*/*.json", "*/*/*.jsonld"} {
		files, err := filepath.Glob(filepath.Join(vectors, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			var v any
			if json.Unmarshal(readVector(t, f[len(vectors)+1:]), &v) == nil {
				docs[f] = v
			}
		}
	}
	for name, doc := range map[string]string{
		"values": `{"@context":{"@vocab":"http://example.org/","d":{"@type":"http://www.w3.org/2001/XMLSchema#double"},"i":{"@type":"urn:int"},"b":{"@type":"urn:bool"}},
			"@id":"http://example.org/s","n":[1,2.5,-0,1e21,12345678901234567890],"d":[3,4.25],"i":7,"b":true,"t":false,
			"l":{"@value":"x","@language":"en-GB"},"bad":{"@value":"x","@language":"en_GB"},"typed":{"@value":"x","@type":"urn:t"}}`,
		"lists": `{"@context":{"@vocab":"urn:v:","l":{"@container":"@list"}},"@id":"urn:s","l":[1,"a",{"@id":"urn:o"},[]],"m":{"@list":[]}}`,
		"json":  `{"@context":{"@vocab":"urn:v:","j":{"@type":"@json"}},"@id":"urn:s","j":{"b":[1,2],"a":"x"},"k":"y"}`,
		"relative and malformed IRIs": `{"@context":{"@vocab":"urn:v:"},"@id":"urn:s","@type":["urn:T","http://exa mple.org/T"],
			"o":[{"@id":"relative/path"},{"@id":"http://"},{"@id":"https://example.org/ok"},{"@id":"_:b1"}],"@graph":[{"@id":"_:g","p":"v"}]}`,
		"named graphs": `{"@context":{"@vocab":"urn:v:"},"@id":"urn:g","@graph":[{"@id":"urn:s","p":{"@id":"_:x","q":"v"}}]}`,
	} {
		var v any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		docs[name] = v
	}
	compared := 0
	for name, doc := range docs {
		opts := ld.NewJsonLdOptions("")
		opts.DocumentLoader = embeddedLoader{}
		expanded, err := ld.NewJsonLdProcessor().Expand(doc, opts)
		if err != nil {
			continue // not a JSON-LD document the loader serves
		}
		canon := func(ds *ld.RDFDataset) string {
			out, err := canonicalizeDataset(context.Background(), budget.New(DefaultMaxWork), ds)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return out
		}
		again, _ := ld.NewJsonLdProcessor().Expand(doc, opts) // node map generation may change it
		want, werr := ld.NewJsonLdApi().ToRDF(again, opts)
		got, err := toRDF(expanded, opts)
		if (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
			t.Fatalf("%s: err %v, json-gold's %v", name, err, werr)
		}
		if err != nil {
			continue
		}
		if g, w := canon(got), canon(want); g != w {
			t.Errorf("%s:\n got %s\nwant %s", name, g, w)
		}
		compared++
	}
	if compared < 100 {
		t.Errorf("only %d documents compared", compared)
	}
}

// isRelativeIRI decides long IRIs as ld.IsRelativeIri does, by its own
// reading of the shapes net/url takes as opaque and by net/url otherwise.
func TestIsRelativeIRIMatchesJSONGold(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	pieces := []string{"data:", "image/png;base64,", "iVBORw0KGgo", "AAAA", "+/=", "?", "#", "/", "//", "%", "%zz", ":", "_:", "1", "-", ".", "é",
		"\x00", "\x1f", "\x7f", "\x80", "\xff", " ", "\t", "urn:", "http://", "HTTP:", "a+b.c-d:"}
	iris := []string{strings.Repeat("A", 300), "data:" + strings.Repeat("A", 300), "data:" + strings.Repeat("A", 300) + "\x7f"}
	for range 20000 {
		var b strings.Builder
		for b.Len() <= maxFactLen {
			if r.Intn(3) == 0 {
				b.WriteString(pieces[r.Intn(len(pieces))])
			} else {
				b.WriteString(strings.Repeat("x", r.Intn(64)))
			}
		}
		iris = append(iris, b.String())
	}
	var fast [2]int // by decision
	for _, iri := range iris {
		if got, want := isRelativeIRI(iri), ld.IsRelativeIri(iri); got != want {
			t.Fatalf("isRelativeIRI(%q) = %v, want %v", iri, got, want)
		}
		if abs, ok := absoluteOpaque(iri); ok && abs {
			fast[1]++
		} else if ok {
			fast[0]++
		}
	}
	if fast[0] < len(iris)/20 || fast[1] < len(iris)/20 {
		t.Errorf("of %d IRIs, only %d absolute and %d not took the fast path", len(iris), fast[1], fast[0])
	}
}

func TestHasControl(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for range 100000 {
		b := make([]byte, r.Intn(40))
		for i := range b {
			switch r.Intn(8) {
			case 0:
				b[i] = byte(r.Intn(256))
			case 1:
				b[i] = 0x20 + byte(r.Intn(2))
			default:
				b[i] = 'a' + byte(r.Intn(26))
			}
		}
		want := false
		for _, c := range b {
			want = want || c < ' ' || c == 0x7f
		}
		if got := hasControl(string(b)); got != want {
			t.Fatalf("hasControl(%q) = %v, want %v", b, got, want)
		}
	}
}
