package obschema

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func decodeForTest(t testing.TB, b []byte) any {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// sameVerdict checks that the fast path and the library agree on v: the
// fast path may leave a document to the library, but never call valid what
// the library refuses.
func sameVerdict(t testing.TB, cs *compiledSchema, v any, what string) (valid bool) {
	t.Helper()
	w := cs.wrapArrays(v, cs.raw, 0)
	if planned := cs.plan.apply(v, 0); !reflect.DeepEqual(planned, w) {
		t.Fatalf("%s: the compiled wrap plan differs from wrapArrays", what)
	}
	lib := cs.schema.Validate(w) == nil
	fast := cs.fast.valid(w, 0)
	if lazy := cs.fast.validWrapped(v, cs.plan, 0, 0); lazy != fast {
		t.Fatalf("%s: validating while wrapping says %v, after wrapping %v", what, lazy, fast)
	}
	if fast && !lib {
		b, _ := json.Marshal(w)
		t.Fatalf("%s: the fast path calls valid what the library refuses: %.400s", what, b)
	}
	if lib && !fast {
		b, _ := json.Marshal(w)
		t.Errorf("%s: the fast path leaves a valid document to the library: %.400s", what, b)
	}
	return lib
}

// mutate changes one value somewhere in v (a copy): removes a member,
// replaces a value with one of another type or a wrong string, empties an
// array, or adds an unknown member.
func mutate(rng *rand.Rand, v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		keys := make([]string, 0, len(x))
		for k, e := range x {
			out[k] = e
			keys = append(keys, k)
		}
		if len(keys) == 0 || rng.Intn(6) == 0 {
			out["unknownMember"+string(rune('a'+rng.Intn(3)))] = "x"
			return out
		}
		k := keys[rng.Intn(len(keys))]
		switch rng.Intn(5) {
		case 0:
			delete(out, k)
		case 1:
			out[k] = replacement(rng)
		default:
			out[k] = mutate(rng, x[k])
		}
		return out
	case []any:
		if len(x) == 0 || rng.Intn(5) == 0 {
			return []any{}
		}
		out := append([]any(nil), x...)
		i := rng.Intn(len(out))
		if rng.Intn(3) == 0 {
			out[i] = replacement(rng)
		} else {
			out[i] = mutate(rng, out[i])
		}
		return out
	}
	return replacement(rng)
}

func replacement(rng *rand.Rand) any {
	return []any{"x", json.Number("1"), json.Number("1.5"), json.Number("1.0"), true, nil, []any{}, map[string]any{},
		"2024-01-01T00:00:00Z", "not a date", "https://example.org/x", "Achievement", "Profile", "OpenBadgeCredential",
		"https://www.w3.org/ns/credentials/v2", []any{"x"}, map[string]any{"id": "x", "type": "Profile"}}[rng.Intn(17)]
}

func TestFastPathAgreesWithLibrary(t *testing.T) {
	cs, err := compiled()
	if err != nil {
		t.Fatal(err)
	}
	if cs.fast == nil {
		t.Fatal("the embedded schema has no fast path: a keyword fast.go does not know")
	}
	var docs []any
	files, _ := filepath.Glob(filepath.Join(vectors, "*.json"))
	more, _ := filepath.Glob(filepath.Join(vectors, "*", "*.json"))
	for _, f := range append(files, more...) {
		if filepath.Base(f) == "ob_v3p0_achievementcredential_schema.json" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, decodeForTest(t, b))
	}
	if len(docs) < 5 {
		t.Fatalf("only %d vectors", len(docs))
	}
	valid := 0
	for i, d := range docs {
		if sameVerdict(t, cs, d, files[min(i, len(files)-1)]) {
			valid++
		}
	}
	if valid < 3 {
		t.Fatalf("only %d vectors valid", valid)
	}
	rng := rand.New(rand.NewSource(1))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	refused := 0
	for i := 0; i < n; i++ {
		d := docs[rng.Intn(len(docs))]
		for range 1 + rng.Intn(3) {
			d = mutate(rng, d)
		}
		if !sameVerdict(t, cs, d, "mutation") {
			refused++
		}
	}
	if refused < n/10 || refused > n*9/10 {
		t.Fatalf("%d of %d mutations refused: the mutations do not test both verdicts", refused, n)
	}
	t.Logf("%d mutations, %d refused", n, refused)
}
