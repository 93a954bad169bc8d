package dataintegrity

import (
	"bytes"
	"encoding/json"
	"testing"
)

// sameJSON finds two texts equal only when they are the same but for
// white space outside strings, as json.Compact would make them.
func checkSameJSON(t *testing.T, a, b []byte) {
	var ca, cb bytes.Buffer
	want := json.Compact(&ca, a) == nil && json.Compact(&cb, b) == nil && bytes.Equal(ca.Bytes(), cb.Bytes())
	if got := sameJSON(a, b); got != want {
		t.Fatalf("sameJSON(%q, %q) = %v, compacted texts equal: %v", a, b, got, want)
	}
}

func TestSameJSON(t *testing.T) {
	for _, c := range [][2]string{
		{`["a", "b"]`, "[\n  \"a\",\n  \"b\"\n]"},
		{`["a b"]`, `["ab"]`},
		{`["a\" b"]`, `["a\"b"]`},
		{`["a\\", "b"]`, `["a\\","b"]`},
		{`{"x": [1, 2]}`, `{"x":[1,2]}`},
		{`"x"`, `"x" `},
		{`["a"]`, `["a"],`},
		{`["a"]`, `["b"]`},
	} {
		checkSameJSON(t, []byte(c[0]), []byte(c[1]))
	}
}

func FuzzSameJSON(f *testing.F) {
	f.Add([]byte(`["a", "b"]`), []byte("[\n \"a\",\"b\"]"))
	f.Add([]byte(`["a\\\" b"]`), []byte(`["a\\\"b"]`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if json.Valid(a) && json.Valid(b) {
			checkSameJSON(t, a, b)
		}
	})
}
