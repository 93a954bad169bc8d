package proofvalue

import (
	"reflect"
	"testing"
)

// FuzzDecode feeds arbitrary strings to Decode. Whatever decodes must
// encode again and decode to the same proof.
func FuzzDecode(f *testing.F) {
	for _, rp := range realProofs(f) {
		f.Add(rp.value)
	}
	if s, err := Encode(sampleProof()); err == nil {
		f.Add(s)
	}
	f.Add("z")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Decode(s)
		if err != nil {
			return
		}
		enc, err := Encode(p)
		if err != nil {
			t.Fatalf("decoded proof does not encode: %v", err)
		}
		back, err := Decode(enc)
		if err != nil {
			t.Fatalf("re-encoded proof does not decode: %v", err)
		}
		if !reflect.DeepEqual(p, back) {
			t.Fatalf("round trip changed the proof")
		}
	})
}
