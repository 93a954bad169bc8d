package rdfc

import (
	"errors"
	"testing"
)

func FuzzCanonicalize(f *testing.F) {
	f.Add([]byte(vc1WithExtra))
	f.Add([]byte(`{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","name":"x"}`))
	f.Add([]byte(`{"@context":{"@vocab":"urn:v:"},"@id":"_:b0","a":{"@id":"_:b1","b":{"@id":"_:b0"}}}`))
	f.Add([]byte(`{"@context":["https://w3id.org/blockcerts/v3",{"@vocab":"http://fallback.org/"}],"x":[1,2.5,true,null]}`))
	f.Add([]byte(`{"@context":"https://example.org/unknown"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		opts := Options{MaxBytes: 4096, DetectUnmapped: len(b)%2 == 0, Strict: len(b)%3 == 0}
		out, err := opts.Canonicalize(b)
		if err != nil {
			if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrTooDeep) && !errors.Is(err, ErrInvalidJSON) &&
				!errors.Is(err, ErrUnknownContext) && !errors.Is(err, ErrUndefinedTerm) &&
				!errors.Is(err, ErrFallbackVocab) && !errors.Is(err, ErrCanonicalize) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		again, err := opts.Canonicalize(b)
		if err != nil || string(again) != string(out) {
			t.Fatalf("not deterministic: %v", err)
		}
	})
}
