package rdfc

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unsafe"
	"weak"
)

// The key tells apart what context processing may read differently.
func TestContextKey(t *testing.T) {
	key := func(v any, strict bool, extra uint64) [32]byte {
		t.Helper()
		k, ok := contextKey(v, strict, extra)
		if !ok {
			t.Fatalf("%v: not keyed", v)
		}
		return k
	}
	ctx := []any{"https://www.w3.org/2018/credentials/v1", map[string]any{"@version": 1.1, "a": "urn:a", "b": map[string]any{"@id": "urn:b"}}}
	same := []any{"https://www.w3.org/2018/credentials/v1", map[string]any{"b": map[string]any{"@id": "urn:b"}, "a": "urn:a", "@version": 1.1}}
	if key(ctx, false, 0) != key(same, false, 0) {
		t.Error("equal values keyed apart")
	}
	for name, other := range map[string]any{
		"json.Number":    []any{"https://www.w3.org/2018/credentials/v1", map[string]any{"@version": json.Number("1.1"), "a": "urn:a", "b": map[string]any{"@id": "urn:b"}}},
		"string":         []any{"https://www.w3.org/2018/credentials/v1", map[string]any{"@version": "1.1", "a": "urn:a", "b": map[string]any{"@id": "urn:b"}}},
		"nested array":   []any{[]any{"https://www.w3.org/2018/credentials/v1"}, map[string]any{"@version": 1.1, "a": "urn:a", "b": map[string]any{"@id": "urn:b"}}},
		"not an array":   "https://www.w3.org/2018/credentials/v1",
		"split string":   []any{"https://www.w3.org/2018/credentials/v", map[string]any{"@version": 1.1, "a": "urn:a", "b": map[string]any{"@id": "urn:b"}}},
		"another member": []any{"https://www.w3.org/2018/credentials/v1", map[string]any{"@version": 1.1, "a": "urn:a", "b": map[string]any{"@id": "urn:b"}, "c": nil}},
	} {
		if key(other, false, 0) == key(ctx, false, 0) {
			t.Errorf("%s: keyed as the original", name)
		}
	}
	if key(ctx, true, 0) == key(ctx, false, 0) {
		t.Error("safe mode not in the key")
	}
	if key(ctx, false, 1) == key(ctx, false, 0) {
		t.Error("the caller's contexts not in the key")
	}
	if _, ok := contextKey([]any{strings.Repeat("x", maxCachedContext)}, false, 0); ok {
		t.Error("an oversized value was keyed")
	}
	if _, ok := contextKey([]any{1}, false, 0); ok {
		t.Error("a type encoding/json does not decode to was keyed")
	}
}

// A document canonicalizes the same whether its context comes from the
// cache or not, and from many goroutines at once.
func TestContextCacheSameCanon(t *testing.T) {
	doc := readVector(t, "openbadges/eddsa-rdfc-2022-testvector/obv3p0-unsigned-credential.json")
	want := readVector(t, "openbadges/eddsa-rdfc-2022-testvector/obv3p0-document-canon.txt")
	contextCache.Purge()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				got, err := Options{Strict: true}.Canonicalize(doc)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("canon differs (%v)", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if contextCache.Len() == 0 {
		t.Error("nothing cached")
	}
}

// A decoder's number type reaches JSON-LD processing as it is: json-gold
// accepts "@version": 1.1 as a float64 only, before and after the cache
// holds the float64's context.
func TestContextCacheNumberTypes(t *testing.T) {
	doc := func(version any) map[string]any {
		return map[string]any{"@context": map[string]any{"@version": version, "@vocab": "urn:x:"}, "@id": "urn:s", "p": "o"}
	}
	for range 2 {
		if _, err := (Options{}).CanonicalizeObject(doc(1.1)); err != nil {
			t.Fatalf("float64 version: %v", err)
		}
		if _, err := (Options{}).CanonicalizeObject(doc(json.Number("1.1"))); err == nil {
			t.Fatal("json.Number version accepted")
		}
	}
}

// Two sets of caller contexts serving one URL differently: each call reads
// its own, cached or not.
func TestContextCacheCallerContexts(t *testing.T) {
	const url = "https://contexts.example/v1"
	mk := func(iri string) *Contexts {
		c, err := ParseContexts(map[string][]byte{url: []byte(`{"@context":{"name":"` + iri + `"}}`)})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := mk("urn:a:name"), mk("urn:b:name")
	doc := []byte(`{"@context":["` + url + `"],"@id":"urn:s","name":"x"}`)
	for range 2 {
		for iri, c := range map[string]*Contexts{"urn:a:name": a, "urn:b:name": b} {
			got, err := Options{Contexts: c}.Canonicalize(doc)
			if err != nil {
				t.Fatal(err)
			}
			if want := "<urn:s> <" + iri + "> \"x\" .\n"; string(got) != want {
				t.Errorf("got %q, want %q", got, want)
			}
		}
	}
}

// The cache holds nothing of the document: a decoder may slice all its
// strings from one copy of the input, which a cached context would keep
// alive for as long as it is cached.
func TestContextCacheHoldsNoDocumentString(t *testing.T) {
	contextCache.Purge()
	input := strings.Repeat("x", 1<<20) + "urn:t:name" + "https://www.w3.org/2018/credentials/v1"
	tail := input[1<<20:]
	doc := map[string]any{
		"@context": []any{tail[10:], map[string]any{tail[6:10]: tail[:10]}},
		"@id":      "urn:s", "name": "x",
	}
	alive := weak.Make(unsafe.StringData(input))
	if _, err := (Options{}).CanonicalizeObject(doc); err != nil {
		t.Fatal(err)
	}
	if contextCache.Len() != 1 {
		t.Fatalf("%d contexts cached, want 1", contextCache.Len())
	}
	input, tail, doc = "", "", nil
	runtime.GC()
	if alive.Value() != nil {
		t.Error("the cached context keeps the document's input alive")
	}
}
