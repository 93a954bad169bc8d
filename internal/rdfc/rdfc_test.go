package rdfc

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

const vectors = "../../testdata/vectors"

func readVector(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectors, rel))
	if err != nil {
		t.Fatalf("read vector: %v", err)
	}
	return b
}

// proofConfig builds the eddsa-rdfc-2022 proof configuration: the proof
// without proofValue, under the document's @context.
func proofConfig(t *testing.T, signed []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(signed, &doc); err != nil {
		t.Fatal(err)
	}
	proof, ok := doc["proof"].(map[string]any)
	if !ok {
		t.Fatalf("proof is %T, want an object", doc["proof"])
	}
	cfg := map[string]any{"@context": doc["@context"]}
	for k, v := range proof {
		if k != "proofValue" {
			cfg[k] = v
		}
	}
	return cfg
}

func TestOpenBadgesEddsaRdfc2022Vector(t *testing.T) {
	dir := "openbadges/eddsa-rdfc-2022-testvector/"
	wantDoc := readVector(t, dir+"obv3p0-document-canon.txt")
	wantProof := readVector(t, dir+"obv3p0-proof-canon.txt")
	strict := Options{Strict: true}

	got, err := strict.Canonicalize(readVector(t, dir+"obv3p0-unsigned-credential.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, wantDoc) {
		t.Errorf("document canon differs:\n got: %s\nwant: %s", got, wantDoc)
	}

	// The signed credential minus its proof canonicalizes the same.
	signed := readVector(t, dir+"obv3p0-signed-credential.json")
	var doc map[string]any
	if err := json.Unmarshal(signed, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "proof")
	got, err = strict.CanonicalizeObject(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, wantDoc) {
		t.Errorf("signed-minus-proof canon differs from document canon")
	}

	got, err = strict.CanonicalizeObject(proofConfig(t, signed))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, wantProof) {
		t.Errorf("proof canon differs:\n got: %s\nwant: %s", got, wantProof)
	}
}

// The CLR 2.0 vector's contexts (CLR 2.0.1, Open Badges 3.0.3) are held
// locally: its document canonicalizes to the canonical form it publishes.
func TestCLRVectorCanon(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(readVector(t, "openbadges/clr2/clrv2p0-signed-clrcredential.json"), &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "proof")
	got, err := Options{Strict: true}.CanonicalizeObject(doc)
	if err != nil {
		t.Fatal(err)
	}
	if want := readVector(t, "openbadges/clr2/clrv2p0-document-canon.txt"); !bytes.Equal(got, want) {
		t.Errorf("document canon differs:\n got: %s\nwant: %s", got, want)
	}
}

func TestUnknownContext(t *testing.T) {
	doc := `{"@context":["https://www.w3.org/ns/credentials/v2","https://evil.example/ctx.json"],"type":"VerifiableCredential"}`
	_, err := Canonicalize([]byte(doc))
	var uc *UnknownContextError
	if !errors.As(err, &uc) {
		t.Fatalf("err = %v, want *UnknownContextError", err)
	}
	if uc.URL != "https://evil.example/ctx.json" {
		t.Errorf("URL = %q", uc.URL)
	}
}

const vc1WithExtra = `{"@context":["https://www.w3.org/2018/credentials/v1"],
 "id":"urn:uuid:1","type":["VerifiableCredential"],"issuer":"did:example:1",
 "issuanceDate":"2020-01-01T00:00:00Z","credentialSubject":{"id":"did:example:2"},
 "extra":"undefined by any context"}`

func TestStrictRejectsDroppedTerm(t *testing.T) {
	out, err := Canonicalize([]byte(vc1WithExtra))
	if err != nil {
		t.Fatalf("lenient: %v", err)
	}
	if bytes.Contains(out, []byte("undefined by any context")) {
		t.Fatalf("lenient mode kept an undefined term: %s", out)
	}
	_, err = Options{Strict: true}.Canonicalize([]byte(vc1WithExtra))
	if !errors.Is(err, ErrUndefinedTerm) {
		t.Fatalf("strict: err = %v, want ErrUndefinedTerm", err)
	}
}

func TestDetectUnmapped(t *testing.T) {
	_, err := Options{DetectUnmapped: true}.Canonicalize([]byte(vc1WithExtra))
	if !errors.Is(err, ErrFallbackVocab) {
		t.Fatalf("err = %v, want ErrFallbackVocab", err)
	}
	if !strings.Contains(err.Error(), "<http://fallback.org/extra>") {
		t.Errorf("message %q does not name the term", err)
	}

	var clean map[string]any
	if err := json.Unmarshal([]byte(vc1WithExtra), &clean); err != nil {
		t.Fatal(err)
	}
	delete(clean, "extra")
	a, err := Options{DetectUnmapped: true}.CanonicalizeObject(clean)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Options{Strict: true}.CanonicalizeObject(clean)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("fallback vocab changed a clean document's canon")
	}
	if _, isSlice := clean["@context"].([]any); !isSlice || len(clean["@context"].([]any)) != 1 {
		t.Errorf("CanonicalizeObject modified its input's @context: %v", clean["@context"])
	}
}

// A document that already declares a top-level @vocab keeps it: its own
// vocabulary maps the term, and no fallback is added.
func TestDetectUnmappedKeepsOwnVocab(t *testing.T) {
	doc := `{"@context":["https://www.w3.org/2018/credentials/v1",{"@vocab":"https://own.example/#"}],
	 "id":"urn:uuid:1","type":["VerifiableCredential"],"extra":"x"}`
	out, err := Options{DetectUnmapped: true}.Canonicalize([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte("<https://own.example/#extra>")) {
		t.Errorf("own vocab not used: %s", out)
	}
}

func TestBadInput(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100)
	cases := []struct {
		name string
		in   string
		opts Options
		want error
	}{
		{"too large", `{"@context":"https://www.w3.org/ns/credentials/v2"}`, Options{MaxBytes: 10}, ErrTooLarge},
		{"too deep", deep, Options{}, ErrTooDeep},
		{"not json", `{"a":`, Options{}, ErrInvalidJSON},
		{"array", `[]`, Options{}, ErrInvalidJSON},
		{"null", `null`, Options{}, ErrInvalidJSON},
		{"trailing", `{} {}`, Options{}, ErrInvalidJSON},
		{"bad context type", `{"@context":5,"a":1}`, Options{}, ErrCanonicalize},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.opts.Canonicalize([]byte(c.in))
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
	// The depth limit counts brackets inside strings not at all.
	s := `{"a":"` + strings.Repeat("[", 200) + `"}`
	if _, err := Canonicalize([]byte(s)); err != nil {
		t.Errorf("brackets in a string: %v", err)
	}
}

// Every served context is byte-identical to the vector it was copied from
// and loads as a JSON-LD context.
func TestEmbeddedContexts(t *testing.T) {
	sources := map[string]string{
		"cid-v1.jsonld":         "blockcerts/network/cid-v1.jsonld",
		"jws-2020-v1.jsonld":    "blockcerts/network/jws-2020-v1.jsonld",
		"ob-context-3.0.3.json": "openbadges/context-3.0.3.json",
		// Not in the vectors' index: the VC 1.1 examples context, which
		// Blockcerts' 3.0-alpha certificate names.
		"credentials-examples-v1.jsonld": "contexts/credentials-examples-v1.jsonld",
		// Nor the VC 2.0 undefined-terms context.
		"credentials-undefined-terms-v2.jsonld": "contexts/credentials-undefined-terms-v2.jsonld",
	}
	entries, err := contextFS.ReadDir("contexts")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 16 {
		t.Fatalf("only %d embedded contexts", len(entries))
	}
	for _, e := range entries {
		src, ok := sources[e.Name()]
		if !ok {
			src = "blockcerts/contexts/" + e.Name()
		}
		got, _ := contextFS.ReadFile("contexts/" + e.Name())
		if !bytes.Equal(got, readVector(t, src)) {
			t.Errorf("%s differs from %s", e.Name(), src)
		}
	}
	for _, u := range KnownContexts() {
		rd, err := (embeddedLoader{}).LoadDocument(u)
		if err != nil {
			t.Errorf("%s: %v", u, err)
			continue
		}
		m, ok := rd.Document.(map[string]any)
		if !ok || m["@context"] == nil {
			t.Errorf("%s: no @context", u)
		}
		doc := `{"@context":"` + u + `","@id":"urn:x","@type":"urn:T"}`
		if _, err := Canonicalize([]byte(doc)); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
}

func TestLoaderDocumentsNotMutated(t *testing.T) {
	doc := readVector(t, "openbadges/eddsa-rdfc-2022-testvector/obv3p0-signed-credential.json")
	first, err := Canonicalize(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"3.2_credential_v2.json", "ob-context-3.0.3.json"} {
		cached, err := loadEmbedded(f)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := contextFS.ReadFile("contexts/" + f)
		var fresh any
		if err := json.Unmarshal(raw, &fresh); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(cached, fresh) {
			t.Errorf("%s: cached context was modified by processing", f)
		}
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			again, err := Canonicalize(doc)
			if err != nil || !bytes.Equal(again, first) {
				t.Errorf("concurrent run differs: %v", err)
			}
		}()
	}
	wg.Wait()
}
