package rdfc

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// Each credential a VC 2.0 presentation embeds is a graph of its own, as
// JSON-LD 1.1 expands a @graph container whose term has a null scoped
// context (verifiableCredential in the VC 2.0 context): json-gold alone
// puts it in the default graph. The same holds for a term defined in the
// document's own context.
func TestGraphContainerWithNullScopedContext(t *testing.T) {
	const rdfType = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
	for _, tc := range []struct {
		name, doc string
		want      []string
	}{
		{"VC 2.0 presentation", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiablePresentation",
			"verifiableCredential":[{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:a","type":"VerifiableCredential","issuer":"urn:i"}]}`,
			[]string{
				"<urn:a> " + rdfType + " <https://www.w3.org/2018/credentials#VerifiableCredential> _:c14n1 .",
				"<urn:a> <https://www.w3.org/2018/credentials#issuer> <urn:i> _:c14n1 .",
				"_:c14n0 " + rdfType + " <https://www.w3.org/2018/credentials#VerifiablePresentation> .",
				"_:c14n0 <https://www.w3.org/2018/credentials#verifiableCredential> _:c14n1 .",
			}},
		{"inline context", `{"@context":{"vc":{"@id":"https://example.org/vc","@container":"@graph","@context":null}},"vc":{"@id":"urn:a","https://example.org/p":"z"}}`,
			[]string{
				`<urn:a> <https://example.org/p> "z" _:c14n1 .`,
				"_:c14n0 <https://example.org/vc> _:c14n1 .",
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v map[string]any
			if err := json.Unmarshal([]byte(tc.doc), &v); err != nil {
				t.Fatal(err)
			}
			before, _ := json.Marshal(v)
			nq, err := Options{}.CanonicalizeObjectContext(context.Background(), v)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Split(strings.TrimSpace(string(nq)), "\n"); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			after, _ := json.Marshal(v)
			if string(before) != string(after) {
				t.Error("the document was modified")
			}
			lines, err := Options{}.ToNQuads(context.Background(), v)
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) != len(tc.want) {
				t.Errorf("ToNQuads: %d quads, want %d", len(lines), len(tc.want))
			}
		})
	}
}

// The rewrite never leaks: a property spelled with the rewritten IRI is
// read back as the term's IRI only where the rewrite put it, and the
// contexts the loader serves keep their published @id everywhere else.
func TestGraphContainerRewriteScope(t *testing.T) {
	doc, err := loadEmbedded("3.2_credential_v2.json")
	if err != nil {
		t.Fatal(err)
	}
	served, changed := rewriteGraphContainers(doc)
	if !changed {
		t.Fatal("the VC 2.0 context's verifiableCredential term was not rewritten")
	}
	a, _ := json.Marshal(doc)
	b, _ := json.Marshal(served)
	if n := strings.Count(string(b), graphSentinel); n != 1 {
		t.Errorf("%d terms rewritten, want 1 (verifiableCredential)", n)
	}
	if strings.Contains(string(a), graphSentinel) {
		t.Error("the published context was modified")
	}
	if _, changed := rewriteGraphContainers(map[string]any{"@context": map[string]any{"p": map[string]any{"@id": "ex:p", "@container": "@graph", "@context": nil}}}); changed {
		t.Error("a compact IRI was rewritten")
	}
}
