package verify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/badgeproof/badgeproof/internal/rdfc"
)

// BenchmarkBlockcertsV2 verifies a 120 KB Blockcerts v2 fixture and the
// largest one (2.1 MB, its images embedded as data URLs) offline: the JSON checks and
// decoding (one pass, whose decoding serves the dispatch, the certificate's
// fields and the receipt check), the RDF canonicalization of the
// certificate, the receipt's Merkle path. The
// anchor lookup is left out (offline), so this is the verifier's own
// work per certificate; -benchmem shows what it allocates.
//
// "primitives" is the floor in the same run: SHA-256 of the certificate's
// canonical N-Quads (its target hash), every byte of which a verification
// hashes. "full" reports its ratio to it as "x-primitives" (wall time) and
// "x-primitives-cpu" (the process's CPU time, which the load of other
// processes does not skew).
//
//	go test -run '^$' -bench BlockcertsV2 -benchmem ./verify
func BenchmarkBlockcertsV2(b *testing.B) {
	v := newVerifier(b, WithOffline(), WithAllowTestAnchors())
	for _, name := range []string{"mocknet-valid-2.0.json", "ethereum-main-valid-2.0.json"} {
		doc := readVector(b, "blockcerts/v2/"+name)
		var cert map[string]any
		if err := json.Unmarshal(doc, &cert); err != nil {
			b.Fatal(err)
		}
		target := cert["signature"].(map[string]any)["targetHash"]
		delete(cert, "signature")
		nq, err := rdfc.Options{DetectUnmapped: true}.CanonicalizeObject(cert)
		if err != nil {
			b.Fatal(err)
		}
		if h := sha256.Sum256(nq); hex.EncodeToString(h[:]) != target {
			b.Fatalf("%s: canonical form hashes to %x, not to the target hash %v", name, h, target)
		}
		var primitives cost
		b.Run(name+"/primitives", func(b *testing.B) {
			b.SetBytes(int64(len(nq)))
			b.ReportAllocs()
			m := meter()
			for i := 0; i < b.N; i++ {
				sha256.Sum256(nq)
			}
			primitives = m(b.N)
			b.ReportMetric(primitives.cpu, "cpu-ns/op")
		})
		b.Run(name, func(b *testing.B) {
			if r := v.Verify(context.Background(), doc, Binding{}); r.Check(CheckMerkle) == nil || r.Check(CheckMerkle).Status != StatusPassed {
				b.Fatalf("fixture: %+v", r.Checks)
			}
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			b.ResetTimer()
			m := meter()
			for i := 0; i < b.N; i++ {
				v.Verify(context.Background(), doc, Binding{})
			}
			reportRatios(b, m(b.N), primitives, cost{})
		})
	}
}
