package rdfc

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// Every context the vectors' index lists is served, byte-identical to the
// vector copy, with no fetch.
func TestIndexedContextsServed(t *testing.T) {
	var idx map[string]indexEntry
	if err := json.Unmarshal(readVector(t, "contexts/index.json"), &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx) < 27 {
		t.Fatalf("index lists %d contexts, want at least 27", len(idx))
	}
	copied, err := indexedFS.ReadFile("contexts/w3c/index.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(copied, readVector(t, "contexts/index.json")) {
		t.Fatal("contexts/w3c/index.json is not a byte-identical copy of testdata/vectors/contexts/index.json")
	}
	for url, e := range idx {
		got, err := embeddedLoader{}.LoadDocument(url)
		if err != nil {
			t.Errorf("%s: %v", url, err)
			continue
		}
		vec := readVector(t, filepath.Join("contexts", e.File))
		emb, err := indexedFS.ReadFile("contexts/w3c/" + e.File)
		if err != nil || !bytes.Equal(emb, vec) {
			t.Errorf("%s: embedded copy of %s is not byte-identical to the vector (%v)", url, e.File, err)
		}
		if _, own := contextFiles[url]; own {
			continue // served from the older embedded copy, compared below
		}
		var want any
		if err := json.Unmarshal(vec, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Document, want) {
			t.Errorf("%s: served document differs from %s", url, e.File)
		}
	}
}

// A URL served both by an earlier embedded file and by the index: the two
// documents agree, except Open Badges 3.0.3 (the validator's copy adds two
// terms, endorsementJwt and jti, that the spec's copy lacks) and VC 1.1
// (served from the copy Blockcerts verifies with, which lacks the
// "@protected" flags of the 1EdTech copy; the terms are the same, so the
// canonical form is too).
func TestIndexedContextsAgreeWithEarlierCopies(t *testing.T) {
	for url, file := range contextFiles {
		f, ok := indexedFile(url)
		if !ok {
			continue
		}
		a, _ := loadEmbedded(file)
		b, err := loadIndexed(f)
		if err != nil {
			t.Fatal(err)
		}
		if url == "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" || url == "https://www.w3.org/2018/credentials/v1" {
			continue
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %s and w3c/%s differ", url, file, f)
		}
	}
}

func TestCallerContexts(t *testing.T) {
	ctx := []byte(`{"@context":{"@protected":true,"Thing":"https://own.example/vocab#Thing","size":"https://own.example/vocab#size"}}`)
	doc := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://own.example/ctx"],"id":"urn:x","type":["VerifiableCredential","Thing"],"size":3}`)
	if _, err := (Options{Strict: true}).Canonicalize(doc); !errors.Is(err, ErrUnknownContext) {
		t.Fatalf("without the caller's context: err = %v, want ErrUnknownContext", err)
	}
	cs, err := ParseContexts(map[string][]byte{"https://own.example/ctx": ctx})
	if err != nil {
		t.Fatal(err)
	}
	out, err := Options{Strict: true, Contexts: cs}.Canonicalize(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte("<https://own.example/vocab#size>")) {
		t.Errorf("caller's term not expanded:\n%s", out)
	}
	for name, docs := range map[string]map[string][]byte{
		"replaces embedded": {"https://www.w3.org/ns/credentials/v2": ctx},
		"not JSON":          {"https://own.example/a": []byte("{")},
		"no @context":       {"https://own.example/a": []byte(`{"x":1}`)},
		"no URL":            {"": ctx},
	} {
		if _, err := ParseContexts(docs); err == nil {
			t.Errorf("%s: ParseContexts accepted it", name)
		}
	}
}

func TestExamplesContextNeededByW3CVectors(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(vectors, "w3c-di/eddsa-rdfc-2022/signedDataInt.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "proof")
	got, err := Options{Strict: true}.CanonicalizeObject(doc)
	if err != nil {
		t.Fatal(err)
	}
	if want := readVector(t, "w3c-di/eddsa-rdfc-2022/canonDocDataInt.txt"); !bytes.Equal(got, want) {
		t.Errorf("canonical document differs:\n got: %s\nwant: %s", got, want)
	}
}
