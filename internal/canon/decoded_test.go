package canon

import (
	"encoding/json"
	"math"
	"testing"
)

// AppendDecoded gives the bytes JCS gives for the text the value was
// decoded from.
func TestAppendDecodedMatchesJCS(t *testing.T) {
	docs := []string{
		`{"b":1,"a":[true,false,null,"x\u0001\"\\\n/é€😀"],"€":{"z":-0,"y":1e21,"x":1.5e-7,"w":123456789012345,"v":0.1}}`,
		`{"\ud800\udc00":1,"\uffff":2,"a\u0000":3,"":{}}`,
		`[1,2.5,-3e-7,1e300,4503599627370496,-9007199254740991,[],{}]`,
		`"<&>\u2028"`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"name":"정보처리기사","n":100}`,
	}
	for _, d := range docs {
		want, err := JCS([]byte(d))
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal([]byte(d), &v); err != nil {
			t.Fatal(err)
		}
		got, err := AppendDecoded(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", d, got, want)
		}
	}
	if _, err := AppendDecoded(nil, math.Inf(1)); err == nil {
		t.Error("infinity canonicalized")
	}
}

func FuzzAppendDecoded(f *testing.F) {
	f.Add(`{"a":[1,2.5,"x"],"b":{"c":null}}`)
	f.Fuzz(func(t *testing.T, d string) {
		want, err := JCS([]byte(d))
		if err != nil {
			return
		}
		var v any
		if json.Unmarshal([]byte(d), &v) != nil {
			return
		}
		got, err := AppendDecoded(nil, v)
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		if string(got) != string(want) {
			t.Fatalf("%s:\n got %s\nwant %s", d, got, want)
		}
	})
}
