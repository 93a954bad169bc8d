package jsonx

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// decodeLikeEncodingJSON is what Decode must agree with: encoding/json's
// decoding with UseNumber, and its split of an object into members.
func decodeLikeEncodingJSON(t testing.TB, data []byte) (any, map[string]json.RawMessage) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("encoding/json rejects what Decode accepted: %v: %q", err, data)
	}
	var m map[string]json.RawMessage
	if _, ok := v.(map[string]any); ok {
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
	}
	return v, m
}

func checkDecode(t testing.TB, data []byte) {
	d, err := Decode(data, Limits{})
	if cerr := Check(data, Limits{}); (err == nil) != (cerr == nil) || err != nil && err.Error() != cerr.Error() {
		t.Fatalf("Decode and Check disagree on %q: %v, %v", data, err, cerr)
	}
	if err != nil {
		return
	}
	v, m := decodeLikeEncodingJSON(t, data)
	if !reflect.DeepEqual(d.Value, v) {
		t.Fatalf("Decode(%q) = %#v, encoding/json: %#v", data, d.Value, v)
	}
	if len(d.Members) != len(m) {
		t.Fatalf("Decode(%q) members %d, encoding/json %d", data, len(d.Members), len(m))
	}
	for k, raw := range m {
		if !bytes.Equal(d.Members[k], raw) {
			t.Fatalf("Decode(%q) member %q = %s, encoding/json %s", data, k, d.Members[k], raw)
		}
	}
	// Members splits the document and each object in it alike.
	checkMembers(t, data)
	for _, raw := range m {
		checkMembers(t, raw)
		checkElements(t, raw)
	}
	checkElements(t, data)
	if a, ok := v.([]any); ok && len(a) > 0 {
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			checkMembers(t, it)
		}
	}
}

func checkMembers(t testing.TB, data []byte) {
	var want map[string]json.RawMessage
	if json.Unmarshal(data, &want) != nil || want == nil {
		if got := Members(data); got != nil {
			t.Fatalf("Members(%q) = %q, not an object", data, got)
		}
		return
	}
	got := Members(data)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Members(%q) = %q, encoding/json %q", data, got, want)
	}
}

func TestDecodeAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range []string{`{}`, `[]`, `{"a":[1,2.5e-3,-0,"x\u00e9\ud83d\ude00",true,false,null]}`, " {\"k\" : \"한국\"} \n",
		`"s"`, `0`, `{"a" : { "b" : [ ] , "c":{}} , "d":"\"\\\/\b\f\n\r\t"}`, `{"@context":{"ID":"urn:a","id":"@id"},"type":"T"}`} {
		checkDecode(t, []byte(in))
	}
	// Objects past the size where keys are compared pairwise.
	big := []byte(`{"k00":0`)
	for i := 1; i < 40; i++ {
		big = append(big, `,"k`...)
		big = append(big, byte('0'+i/10), byte('0'+i%10))
		big = append(big, `":1`...)
	}
	checkDecode(t, append(big, '}'))
	for _, dup := range []string{`,"k07":2}`, `,"K07":2}`} {
		if _, err := Decode(append(bytes.Clone(big), dup...), Limits{}); err == nil {
			t.Errorf("accepted a large object with %s", dup)
		}
	}
	n := 0
	for _, dir := range []string{"../../testdata", "../../verify/testdata", "../../badge/testdata"} {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			checkDecode(t, data)
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 100 {
		t.Fatalf("only %d documents of testdata: the vectors moved", n)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":"c"}]}`, `{"a":"\ud83d\ude00"}`, `{"a":1,"a":2}`, `[1e5,-0.1,"x"]`, "\"\xff\"",
		`{"issuer":{"id":"a","ID":"b"}}`, `{"@context":{"ID":"urn:a","id":"@id"}}`, `{"k":1,"\u212a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkDecode(t, data) })
}

func checkElements(t testing.TB, data []byte) {
	var want []json.RawMessage
	if json.Unmarshal(data, &want) != nil || want == nil {
		if got := Elements(data); got != nil {
			t.Fatalf("Elements(%q) = %q, not an array", data, got)
		}
		return
	}
	if got := Elements(data); !reflect.DeepEqual(got, want) {
		t.Fatalf("Elements(%q) = %q, encoding/json %q", data, got, want)
	}
}
