package verify

import (
	"context"
	"testing"
)

// BenchmarkBlockcertsV2 verifies a 120 KB Blockcerts v2 fixture and the
// largest one (2.1 MB, its images embedded as data URLs) offline: the JSON checks, the
// RDF canonicalization of the certificate, the receipt's Merkle path. The
// anchor lookup is left out (offline), so this is the verifier's own
// work per certificate; -benchmem shows what it allocates.
//
//	go test -run '^$' -bench BlockcertsV2 -benchmem ./verify
func BenchmarkBlockcertsV2(b *testing.B) {
	v := newVerifier(b, WithOffline(), WithAllowTestAnchors())
	for _, name := range []string{"mocknet-valid-2.0.json", "ethereum-main-valid-2.0.json"} {
		doc := readVector(b, "blockcerts/v2/"+name)
		b.Run(name, func(b *testing.B) {
			if r := v.Verify(context.Background(), doc, Binding{}); r.Check(CheckMerkle) == nil || r.Check(CheckMerkle).Status != StatusPassed {
				b.Fatalf("fixture: %+v", r.Checks)
			}
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for b.Loop() {
				v.Verify(context.Background(), doc, Binding{})
			}
		})
	}
}
