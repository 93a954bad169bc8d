package proofvalue

import (
	"encoding/hex"
	"reflect"
	"testing"

	"github.com/multiformats/go-multibase"
)

// readCBOR reads what it reads exactly as the decoder does; what it leaves
// is the decoder's.
func checkReadCBOR(t *testing.T, b []byte) {
	v, ok := readCBOR(b)
	if !ok {
		return
	}
	var want any
	if err := decMode.Unmarshal(b, &want); err != nil {
		t.Fatalf("readCBOR(%x) = %#v, the decoder refuses it: %v", b, v, err)
	}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("readCBOR(%x) = %#v, the decoder: %#v", b, v, want)
	}
}

func FuzzReadCBOR(f *testing.F) {
	for _, s := range []string{"82010203", "8382005820" + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" + "6161", "1bffffffffffffffff", "9f01ff", "a10102", "c0", "f5", "20", "80", "4100", "62c328"} {
		b, err := hex.DecodeString(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(checkReadCBOR)
}

func TestReadCBORAgreesWithDecoder(t *testing.T) {
	// Every proofValue of the tests' vectors, and the wrapped items in them.
	values := []string{}
	for _, rp := range realProofs(t) {
		values = append(values, rp.value)
	}
	if s, err := Encode(sampleProof()); err == nil {
		values = append(values, s)
	}
	n := 0
	for _, s := range values {
		_, raw, err := multibase.Decode(s)
		if err != nil {
			continue
		}
		checkReadCBOR(t, raw)
		if v, ok := readCBOR(raw); ok {
			n++
			// and the items wrapped in byte strings inside
			var walk func(any)
			walk = func(x any) {
				switch y := x.(type) {
				case []any:
					for _, e := range y {
						walk(e)
					}
				case []byte:
					checkReadCBOR(t, y)
				}
			}
			walk(v)
		}
	}
	if n == 0 {
		t.Fatal("readCBOR read none of the vectors' proofValues")
	}
	for _, s := range []string{"1b7fffffffffffffff", "1b8000000000000000", "5900200000000000000000000000000000000000000000000000000000000000000000", "7f6161ff", "820102ff"} {
		b, _ := hex.DecodeString(s)
		checkReadCBOR(t, b)
	}
}
