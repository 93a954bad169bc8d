package verify

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/batchproof"
	"github.com/badgeproof/badgeproof/internal/canon"
	"github.com/badgeproof/badgeproof/internal/merkle"
	"github.com/badgeproof/badgeproof/internal/proofvalue"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// BenchmarkBatchBadge compares, in one run, the full verification of one
// badge of an anchored batch of 1,024 (parse, every check, the Report; the
// anchor cache warm, so no ledger read) with the primitives it cannot
// avoid: JCS of the document the batch proof commits to, its SHA-256 and
// the 10-step Merkle path to the root. The badge carries only the batch
// proof, so no signature is checked. The ratio full/primitives is
// reported as "x-primitives" (wall time) and "x-primitives-cpu" (the
// process's CPU time, which the load of other processes does not skew).
//
//	go test -run '^$' -bench BenchmarkBatchBadge -benchtime 2s ./verify
func BenchmarkBatchBadge(b *testing.B) {
	is := newTestIssuer(b, keys.Ed25519)
	lf := newLedgerFixture(b)
	creds := make([]*badge.Credential, 1024)
	for i := range creds {
		creds[i] = is.qualification(b, fmt.Sprintf("urn:uuid:bench-%04d", i), "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp")
	}
	batch, err := issuer.NewBatch(lf.l.Publisher(is.did()), issuer.WithBatchClock(clock))
	if err != nil {
		b.Fatal(err)
	}
	badges, _, err := batch.Issue(context.Background(), creds)
	if err != nil {
		b.Fatal(err)
	}
	doc := badges[517]
	v := newVerifier(b, WithTrustedKey(is.did()), WithAnchorResolver(lf.l))
	if r := v.Verify(context.Background(), doc, Binding{}); r.Check(CheckMerkle).Status != StatusPassed || r.Check(CheckAnchor).Status != StatusPassed {
		b.Fatalf("batch badge does not verify: %+v", r.Checks)
	}

	c, err := badge.ParseCredential(doc, badge.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	members, err := batchproof.Document(c, 0)
	if err != nil {
		b.Fatal(err)
	}
	docJSON, err := json.Marshal(members)
	if err != nil {
		b.Fatal(err)
	}
	mp, err := proofvalue.Decode(c.Proofs[0].ProofValue)
	if err != nil {
		b.Fatal(err)
	}

	var primitives cost
	b.Run("primitives", func(b *testing.B) {
		b.ReportAllocs()
		m := meter()
		for i := 0; i < b.N; i++ {
			d, err := canon.JCS(docJSON)
			if err != nil {
				b.Fatal(err)
			}
			if err := merkle.VerifyPath(sha256.Sum256(d), mp.Path, mp.MerkleRoot); err != nil {
				b.Fatal(err)
			}
		}
		primitives = m(b.N)
		b.ReportMetric(primitives.cpu, "cpu-ns/op")
	})
	// The same primitives with JCS of the bytes done as the verifier does
	// it (jsonx.Decode, then canon.AppendJCS), several times faster than
	// gowebpki/jcs: "x-tight-cpu" is the ratio to these.
	var tight cost
	b.Run("primitives-tight", func(b *testing.B) {
		b.ReportAllocs()
		m := meter()
		for i := 0; i < b.N; i++ {
			if err := merkle.VerifyPath(sha256.Sum256(tightJCS(b, docJSON)), mp.Path, mp.MerkleRoot); err != nil {
				b.Fatal(err)
			}
		}
		tight = m(b.N)
		b.ReportMetric(tight.cpu, "cpu-ns/op")
	})
	b.Run("full", func(b *testing.B) {
		reads := lf.l.Reads()
		b.ReportAllocs()
		m := meter()
		for i := 0; i < b.N; i++ {
			r := v.Verify(context.Background(), doc, Binding{})
			if r.Check(CheckMerkle).Status != StatusPassed || r.Check(CheckAnchor).Status != StatusPassed {
				b.Fatalf("not verified: %+v", r.Checks)
			}
		}
		reportRatios(b, m(b.N), primitives, tight)
		if lf.l.Reads() != reads {
			b.Fatalf("the ledger was read %d times with the cache warm", lf.l.Reads()-reads)
		}
	})
}
