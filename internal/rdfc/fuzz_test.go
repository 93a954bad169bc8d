package rdfc

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/internal/budget"
)

// fuzzInputBound is how long one fuzz input may take: generous, so that a
// slow machine never trips it, yet far below the minutes an unbounded
// canonicalization of a poison graph takes.
const fuzzInputBound = 10 * time.Second

func FuzzCanonicalize(f *testing.F) {
	f.Add([]byte(vc1WithExtra))
	f.Add([]byte(`{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","name":"x"}`))
	f.Add([]byte(`{"@context":{"@vocab":"urn:v:"},"@id":"_:b0","a":{"@id":"_:b1","b":{"@id":"_:b0"}}}`))
	f.Add([]byte(`{"@context":["https://w3id.org/blockcerts/v3",{"@vocab":"http://fallback.org/"}],"x":[1,2.5,true,null]}`))
	f.Add([]byte(`{"@context":"https://example.org/unknown"}`))
	// The attacks of issue 11: poison graphs whose unbudgeted
	// canonicalization takes seconds (K=8) to minutes (K=9).
	f.Add(poisonGraph(8))
	f.Add(poisonGraph(9))
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), fuzzInputBound)
		defer cancel()
		opts := Options{MaxBytes: 4096, DetectUnmapped: len(b)%2 == 0, Strict: len(b)%3 == 0, Budget: budget.New(DefaultMaxWork)}
		out, err := opts.CanonicalizeContext(ctx, b)
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("one input ran past %v", fuzzInputBound)
		}
		if errors.Is(err, budget.ErrExhausted) {
			return
		}
		opts.Budget = nil
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
