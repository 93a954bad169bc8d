package rdfc

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"testing"

	"github.com/gowebpki/jcs"
)

const benchBadge = "openbadges/eddsa-rdfc-2022-testvector/obv3p0-unsigned-credential.json"

// BenchmarkRDFC and BenchmarkJCS canonicalize the same Open Badge, so one
// run shows what RDFC-1.0 costs over JCS.
func BenchmarkRDFC(b *testing.B) {
	doc := readVector(b, benchBadge)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := Canonicalize(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJCS(b *testing.B) {
	doc := readVector(b, benchBadge)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := jcs.Transform(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRDFCDecoded skips JSON decoding, as a caller holding the decoded
// document does.
func BenchmarkRDFCDecoded(b *testing.B) {
	var v map[string]any
	if err := json.Unmarshal(readVector(b, benchBadge), &v); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := (Options{}).CanonicalizeObject(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRDFCBlockcertsV2 hashes the canonical form of a 120 KB
// Blockcerts v2 certificate (mostly images embedded as data URLs) as its
// target hash is computed, from the decoded certificate.
func BenchmarkRDFCBlockcertsV2(b *testing.B) {
	var v map[string]any
	if err := json.Unmarshal(readVector(b, "blockcerts/v2/mocknet-valid-2.0.json"), &v); err != nil {
		b.Fatal(err)
	}
	delete(v, "signature")
	opts := Options{DetectUnmapped: true}
	b.ReportAllocs()
	for b.Loop() {
		h := sha256.New()
		if err := opts.CanonicalizeObjectTo(context.Background(), h, v); err != nil {
			b.Fatal(err)
		}
	}
}
