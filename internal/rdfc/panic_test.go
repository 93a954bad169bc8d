package rdfc

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

// json-gold panics on some documents (it reads a member named "" as a
// node's @type and asserts it is a string); they fail as any document
// JSON-LD processing cannot read, and never panic.
func TestJSONGoldPanicIsAnError(t *testing.T) {
	for _, doc := range []string{
		`{"":[true]}`,
		`{"":{"a":1}}`,
		`{"@context":{"@vocab":"urn:v:"},"":[1]}`,
		`{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","credentialSubject":{"":[false]}}`,
	} {
		for _, o := range []Options{{}, {Strict: true}, {DetectUnmapped: true}} {
			if _, err := o.Canonicalize([]byte(doc)); !errors.Is(err, ErrCanonicalize) {
				t.Errorf("%s: err = %v, want ErrCanonicalize", doc, err)
			}
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatal(err)
		}
		if err := (Options{}).CheckTerms(context.Background(), v, true); !errors.Is(err, ErrCanonicalize) {
			t.Errorf("%s: CheckTerms: err = %v, want ErrCanonicalize", doc, err)
		}
		if _, err := (Options{}).ToNQuads(context.Background(), v); !errors.Is(err, ErrCanonicalize) {
			t.Errorf("%s: ToNQuads: err = %v, want ErrCanonicalize", doc, err)
		}
	}
}
