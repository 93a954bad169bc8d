package rdfc

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// referenceShape is the shape as first defined, one readable string per
// document (names and kept values quoted, a context as json.Marshal writes
// it, an array's distinct element shapes sorted): termShapeOf must tell two
// documents apart exactly when this does.
func referenceShape(v any) string {
	var b strings.Builder
	writeReferenceShape(&b, v, "")
	return b.String()
}

func writeReferenceShape(b *strings.Builder, v any, key string) {
	if key == "@context" {
		out, _ := json.Marshal(v)
		b.Write(out)
		return
	}
	switch x := v.(type) {
	case map[string]any:
		names := make([]string, 0, len(x))
		for k := range x {
			names = append(names, k)
		}
		slices.Sort(names)
		b.WriteByte('{')
		for _, k := range names {
			b.WriteString(strconv.Quote(k))
			b.WriteByte(':')
			writeReferenceShape(b, x[k], k)
			b.WriteByte(',')
		}
		b.WriteByte('}')
	case []any:
		shapes := make([]string, 0, len(x))
		for _, e := range x {
			var eb strings.Builder
			writeReferenceShape(&eb, e, key)
			shapes = append(shapes, eb.String())
		}
		slices.Sort(shapes)
		b.WriteByte('[')
		for _, sh := range slices.Compact(shapes) {
			b.WriteString(sh)
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case string:
		if keepsValue(key) {
			b.WriteString(strconv.Quote(x))
		} else {
			b.WriteByte('s')
		}
	case float64, json.Number:
		b.WriteByte('n')
	case bool:
		b.WriteByte('b')
	default:
		b.WriteByte('0')
	}
}

// decodings returns doc decoded as the verifier decodes it (numbers as
// json.Number) and as TermShape does (float64).
func decodings(t testing.TB, doc []byte) []any {
	var f any
	if err := json.Unmarshal(doc, &f); err != nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var n any
	if err := dec.Decode(&n); err != nil {
		t.Fatalf("%s decodes with float64 but not with json.Number: %v", doc, err)
	}
	return []any{f, n}
}

// numberKind names the decoding of the i-th of a list of decodings.
func numberKind(i int) string { return [2]string{"float64", "json.Number"}[i%2] }

// sameClasses fails unless termShapeOf and referenceShape group values
// alike: equal keys for the same reference shape, different keys for
// different ones.
func sameClasses(t testing.TB, values []any, show func(i int) string) {
	t.Helper()
	byRef := map[string]int{}
	byKey := map[[32]byte]int{}
	for i, v := range values {
		ref, key := referenceShape(v), termShapeOf(v)
		j, seenRef := byRef[ref]
		k, seenKey := byKey[key]
		switch {
		case seenRef && (!seenKey || k != j):
			t.Fatalf("same shape, different keys:\n%s\n%s", show(j), show(i))
		case !seenRef && seenKey:
			t.Fatalf("different shapes, same key:\n%s\n%s", show(k), show(i))
		case !seenRef:
			byRef[ref], byKey[key] = i, i
		}
	}
}

// randomJSON writes a random JSON value from few names and values, so that
// many documents share a shape and many differ in one detail.
func randomJSON(rng *rand.Rand, b *strings.Builder, depth int) {
	names := []string{"type", "@type", "achievementType", "name", "id", "@context", "@vocab", "@value", "x", "Type", "é\"\\"}
	strs := []string{"a", "b", "", "Achievement", "https://example.org/v", `q"\u00e9`, "정", "\u2028<&>"}
	nums := []string{"0", "1", "-0", "1.0", "1e0", "123456789", "1e21", "1e-7", "0.000001", "1.5e300", "-2.25"}
	r := rng.IntN(10)
	if depth > 4 {
		r = 4 + rng.IntN(6)
	}
	switch r {
	case 0, 1, 2:
		b.WriteByte('{')
		n := rng.IntN(4)
		if rng.IntN(30) == 0 {
			n = 17 + rng.IntN(8) // more members than the insertion sort takes
		}
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			name, _ := json.Marshal(names[rng.IntN(len(names))] + strings.Repeat("k", rng.IntN(2)*rng.IntN(3)))
			b.Write(name)
			b.WriteByte(':')
			randomJSON(rng, b, depth+1)
		}
		b.WriteByte('}')
	case 3:
		b.WriteByte('[')
		for i := range rng.IntN(4) {
			if i > 0 {
				b.WriteByte(',')
			}
			randomJSON(rng, b, depth+1)
		}
		b.WriteByte(']')
	case 4, 5, 6:
		s, _ := json.Marshal(strs[rng.IntN(len(strs))])
		b.Write(s)
	case 7:
		b.WriteString(nums[rng.IntN(len(nums))])
	case 8:
		b.WriteString([]string{"true", "false"}[rng.IntN(2)])
	default:
		b.WriteString("null")
	}
}

// termShapeOf tells documents apart exactly as the first, string-building
// definition of the shape did: on the test documents of TestTermShape and
// on many random ones, decoded with float64 and with json.Number numbers.
func TestTermShapeMatchesReference(t *testing.T) {
	docs := []string{shapeDoc,
		strings.Replace(shapeDoc, `"urn:uuid:1"`, `"urn:uuid:2"`, 1),
		strings.Replace(shapeDoc, `"OpenBadgeCredential"`, `"OtherCredential"`, 1),
		strings.Replace(shapeDoc, `"License"`, `"Diploma"`, 1),
		strings.Replace(shapeDoc, `context-3.0.3.json"]`, `context-3.0.3.json",{"@vocab":null}]`, 1),
		strings.Replace(shapeDoc, `context-3.0.3.json"]`, `context-3.0.3.json",{"@version":1.1}]`, 1),
		strings.Replace(shapeDoc, `context-3.0.3.json"]`, `context-3.0.3.json",{"@version":1.10}]`, 1),
		strings.Replace(shapeDoc, `"type":["VerifiableCredential","OpenBadgeCredential"]`, `"type":["OpenBadgeCredential","VerifiableCredential","OpenBadgeCredential"]`, 1),
		`[]`, `[[]]`, `[[],[]]`, `[{},{}]`, `[{}]`, `{"a":[]}`, `{"a":[1,2]}`, `{"a":[1,"x"]}`, `{"a":["x",1,"y"]}`, `{"type":["x","y"]}`, `{"type":["y","x"]}`, `{"type":["x","x"]}`, `{"type":"x"}`,
		`{"@context":["a","b"]}`, `{"@context":["b","a"]}`, `{"@context":{"a":1,"b":[2,"c"]}}`, `{"@context":{"a":1e2}}`, `{"@context":{"a":100}}`,
		`{"x":{"@context":"a"}}`, `{"x":[{"@context":"a"},{"@context":"b"}]}`, `{"x":[{"@context":"b"},{"@context":"a"}]}`,
	}
	var many, reversed, renamed []string
	for i := range 20 {
		many = append(many, fmt.Sprintf(`"m%02d":"v"`, i))
		reversed = append([]string{fmt.Sprintf(`"m%02d":"w"`, i)}, reversed...)
		renamed = append(renamed, fmt.Sprintf(`"m%02d":"v"`, i+i/19))
	}
	docs = append(docs, "{"+strings.Join(many, ",")+"}", "{"+strings.Join(reversed, ",")+"}", "{"+strings.Join(renamed, ",")+"}")
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20_000 {
		var b strings.Builder
		randomJSON(rng, &b, 0)
		docs = append(docs, b.String())
	}
	var values []any
	var from []string
	for _, d := range docs {
		for _, v := range decodings(t, []byte(d)) {
			values = append(values, v)
			from = append(from, fmt.Sprintf("%s (numbers as %s)", d, numberKind(len(from))))
		}
	}
	sameClasses(t, values, func(i int) string { return from[i] })
}

func FuzzTermShape(f *testing.F) {
	f.Add([]byte(shapeDoc), []byte(strings.Replace(shapeDoc, `"License"`, `"Diploma"`, 1)))
	f.Add([]byte(`{"@context":{"@version":1.1},"a":[1,"x",{"type":"y"}]}`), []byte(`{"@context":{"@version":1.10},"a":["x",1,{"type":"y"},1]}`))
	f.Add([]byte(`{"type":["x","y"]}`), []byte(`{"type":["y","x","y"]}`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		values := append(decodings(t, a), decodings(t, b)...)
		docs := [][]byte{a, a, b, b}
		if len(decodings(t, a)) == 0 {
			docs = docs[2:]
		}
		sameClasses(t, values, func(i int) string { return fmt.Sprintf("%q (numbers as %s)", docs[i], numberKind(i)) })
	})
}

// BenchmarkTermShape measures the shape of the document TestTermShape
// reads, against the first, string-building definition hashed the same
// way.
func BenchmarkTermShape(b *testing.B) {
	var doc any
	if err := json.Unmarshal([]byte(shapeDoc), &doc); err != nil {
		b.Fatal(err)
	}
	b.Run("termShapeOf", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			termShapeOf(doc)
		}
	})
	b.Run("reference", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sha256.Sum256([]byte(referenceShape(doc)))
		}
	})
}
