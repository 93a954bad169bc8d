package blockcerts

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkVerifyV2 checks the receipt of a 120 KB Blockcerts v2
// certificate and of the largest one (2.1 MB, its images embedded as data
// URLs): decoding, RDF canonicalization of the certificate, target hash
// and Merkle path. verify's BenchmarkBlockcertsV2 adds the Verifier's own
// checks on top.
//
//	go test -run '^$' -bench VerifyV2 -benchmem ./internal/blockcerts
func BenchmarkVerifyV2(b *testing.B) {
	for _, name := range []string{"mocknet-valid-2.0.json", "ethereum-main-valid-2.0.json"} {
		doc, err := os.ReadFile(filepath.Join(vectors, "v2", name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := VerifyV2(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerifyV3 checks the MerkleProof2019 of a Blockcerts v3
// certificate (VC 1.1, a DID issuer): the same steps as VerifyV2 over
// contexts with scoped term definitions.
//
//	go test -run '^$' -bench VerifyV3 -benchmem ./internal/blockcerts
func BenchmarkVerifyV3(b *testing.B) {
	doc, err := os.ReadFile(filepath.Join(vectors, "v3", "testnet-v3-did.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifyV3(doc, 0); err != nil {
			b.Fatal(err)
		}
	}
}
