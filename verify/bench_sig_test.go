package verify

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"testing"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/canon"
	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/keys"
)

// BenchmarkSignature compares, per curve and in one run, the full
// verification of a typical badge (parse, every check, the Report) with the
// raw primitives it cannot avoid: JCS of the document and of the proof
// options, their SHA-256 (SHA-384 for P-384) hashes, and one signature
// verification. "full" validates the badge against the Open Badges 3.0
// JSON schema, as a Verifier does by default; "noschema" is the same
// verification built WithoutSchemaValidation. Each reports its ratio to
// the primitives as "x-primitives" (wall time) and "x-primitives-cpu" (the
// process's CPU time, which the load of other processes does not skew).
//
//	go test -run '^$' -bench BenchmarkSignature -benchtime 2s ./verify
func BenchmarkSignature(b *testing.B) {
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1} {
		is := newTestIssuer(b, typ)
		signed := is.sign(b, is.qualification(b, "urn:uuid:bench", "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"))
		v := newVerifier(b, WithTrustedKey(is.did()))
		vNoSchema := newVerifier(b, WithTrustedKey(is.did()), WithoutSchemaValidation())
		c, err := badge.ParseCredential(signed, badge.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		doc, proof := c.Unsigned(), c.Proofs[0].Members()
		config := c.Proofs[0].Members()
		delete(config, "proofValue")
		sig, err := dataintegrity.DecodeProofValue(c.Proofs[0].ProofValue)
		if err != nil {
			b.Fatal(err)
		}
		docJSON, err := canon.JCSMembers(doc)
		if err != nil {
			b.Fatal(err)
		}
		configJSON, err := canon.JCSMembers(config)
		if err != nil {
			b.Fatal(err)
		}
		pk := is.key.PublicKey()
		// verifyHashed hashes the canonical proof options p and document d
		// as the suite does and checks the signature over them.
		verifyHashed := func(b *testing.B, p, d []byte) {
			var hashData []byte
			if typ == keys.P384 {
				h1, h2 := sha512.Sum384(p), sha512.Sum384(d)
				hashData = append(h1[:], h2[:]...)
			} else {
				h1, h2 := sha256.Sum256(p), sha256.Sum256(d)
				hashData = append(h1[:], h2[:]...)
			}
			if err := dataintegrity.VerifyHashData(pk, hashData, sig); err != nil {
				b.Fatal(err)
			}
		}
		var primitives, tight cost
		b.Run(string(typ)+"/primitives", func(b *testing.B) {
			b.ReportAllocs()
			m := meter()
			for i := 0; i < b.N; i++ {
				d, err := canon.JCS(docJSON)
				if err != nil {
					b.Fatal(err)
				}
				p, err := canon.JCS(configJSON)
				if err != nil {
					b.Fatal(err)
				}
				verifyHashed(b, p, d)
			}
			primitives = m(b.N)
			b.ReportMetric(primitives.cpu, "cpu-ns/op")
		})
		// The same primitives with JCS of the bytes done as the verifier
		// does it (jsonx.Decode, then canon.AppendJCS), which is several
		// times faster than gowebpki/jcs: the ratio to these
		// ("x-tight-cpu") is the one no faster JCS library would flatter.
		b.Run(string(typ)+"/primitives-tight", func(b *testing.B) {
			b.ReportAllocs()
			m := meter()
			for i := 0; i < b.N; i++ {
				verifyHashed(b, tightJCS(b, configJSON), tightJCS(b, docJSON))
			}
			tight = m(b.N)
			b.ReportMetric(tight.cpu, "cpu-ns/op")
		})
		for _, variant := range []struct {
			name string
			v    *Verifier
		}{{"full", v}, {"noschema", vNoSchema}} {
			b.Run(string(typ)+"/"+variant.name, func(b *testing.B) {
				b.ReportAllocs()
				m := meter()
				for i := 0; i < b.N; i++ {
					if r := variant.v.Verify(context.Background(), signed, Binding{}); !r.Verified {
						b.Fatalf("not verified: %+v", r.Checks)
					}
				}
				reportRatios(b, m(b.N), primitives, tight)
			})
		}
		_ = proof
	}
}
