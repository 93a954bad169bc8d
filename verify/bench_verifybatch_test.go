package verify

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/canon"
	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/keys"
)

const benchBatchSize = 10000

var (
	benchBatchOnce sync.Once
	benchBatchIss  *testIssuer
	benchBatchDocs [][]byte
)

// benchBatch signs 10,000 distinct Ed25519 badges once per test binary.
func benchBatch(b *testing.B) (*testIssuer, [][]byte) {
	benchBatchOnce.Do(func() {
		benchBatchIss = newTestIssuer(b, keys.Ed25519)
		benchBatchDocs = make([][]byte, benchBatchSize)
		for i := range benchBatchDocs {
			c := benchBatchIss.qualification(b, fmt.Sprintf("urn:uuid:0b0e0000-0000-4000-8000-%012d", i), fmt.Sprintf("did:example:holder-%d", i))
			benchBatchDocs[i] = benchBatchIss.sign(b, c)
		}
	})
	return benchBatchIss, benchBatchDocs
}

// primitiveBadge is the unavoidable cryptographic work for one Ed25519
// badge: JCS of the document and of the proof options, their SHA-256
// hashes, one Ed25519 verification.
type primitiveBadge struct {
	doc, config []byte
	sig         []byte
	pk          ed25519.PublicKey
}

func newPrimitiveBadge(b *testing.B, is *testIssuer, signed []byte) *primitiveBadge {
	c, err := badge.ParseCredential(signed, badge.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	config := c.Proofs[0].Members()
	delete(config, "proofValue")
	p := &primitiveBadge{pk: is.key.PublicKey().Ed25519()}
	if p.sig, err = dataintegrity.DecodeProofValue(c.Proofs[0].ProofValue); err != nil {
		b.Fatal(err)
	}
	if p.doc, err = canon.JCSMembers(c.Unsigned()); err != nil {
		b.Fatal(err)
	}
	if p.config, err = canon.JCSMembers(config); err != nil {
		b.Fatal(err)
	}
	return p
}

func (p *primitiveBadge) run(b *testing.B) {
	d, err := canon.JCS(p.doc)
	if err != nil {
		b.Fatal(err)
	}
	c, err := canon.JCS(p.config)
	if err != nil {
		b.Fatal(err)
	}
	hc, hd := sha256.Sum256(c), sha256.Sum256(d)
	if !ed25519.Verify(p.pk, append(hc[:], hd[:]...), p.sig) {
		b.Fatal("primitive verification failed")
	}
}

// BenchmarkVerifyBatch10k verifies 10,000 signed badges with VerifyBatch on
// all cores (every check, the Reports, the issuer trust list) and, in the
// same run, the primitive cost of the same number of badges on all cores
// (one goroutine per core, as VerifyBatch's workers) and on one. It
// reports badges/s and ns/badge for each, and "x-floor": the batch rate as
// a fraction of the primitives' rate on all cores (1.0 would be pure
// cryptography). Measuring the floor on all cores in the same run keeps
// the ratio honest on a machine that is not idle: both see the same cores.
// Each also reports the process's CPU time per badge, and "x-floor-cpu"
// is the floor's CPU time per badge ÷ VerifyBatch's, which the load of
// other processes does not skew.
//
//	go test -run '^$' -bench BenchmarkVerifyBatch10k -benchtime 3x ./verify
func BenchmarkVerifyBatch10k(b *testing.B) {
	is, docs := benchBatch(b)
	prim := newPrimitiveBadge(b, is, docs[0])
	cores := runtime.GOMAXPROCS(0)

	b.Run("primitive-1core", func(b *testing.B) {
		// 100 badges per iteration, so that a run sized for the batch
		// (-benchtime 3x) still measures the primitive over many badges.
		const perOp = 100
		start := time.Now()
		for b.Loop() {
			for range perOp {
				prim.run(b)
			}
		}
		ns := float64(time.Since(start).Nanoseconds()) / float64(b.N*perOp)
		b.ReportMetric(ns, "ns/badge")
		b.ReportMetric(1e9/ns, "badges/s")
	})

	var floor float64    // badges/s of the primitives on all cores
	var floorCPU float64 // their CPU ns per badge
	b.Run(fmt.Sprintf("primitive-%dcores", cores), func(b *testing.B) {
		m := meter()
		start := time.Now()
		for b.Loop() {
			var wg sync.WaitGroup
			for w := range cores {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := w; i < len(docs); i += cores {
						prim.run(b)
					}
				}()
			}
			wg.Wait()
		}
		elapsed := time.Since(start)
		floor = float64(b.N*len(docs)) / elapsed.Seconds()
		floorCPU = m(b.N * len(docs)).cpu
		b.ReportMetric(floor, "badges/s")
		b.ReportMetric(floorCPU, "cpu-ns/badge")
		b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N*len(docs)), "ns/badge")
	})

	b.Run(fmt.Sprintf("VerifyBatch-%dcores", cores), func(b *testing.B) {
		v := newVerifier(b, WithTrustList(trustList(b, is.trusted())))
		ctx := context.Background()
		b.ReportAllocs()
		m := meter()
		start := time.Now()
		for b.Loop() {
			for _, r := range v.VerifyBatch(ctx, docs) {
				if r.Status != StatusVerified {
					b.Fatalf("badge not verified: %+v", r.Checks)
				}
			}
		}
		elapsed := time.Since(start)
		rate := float64(b.N*len(docs)) / elapsed.Seconds()
		b.ReportMetric(rate, "badges/s")
		b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N*len(docs)), "ns/badge")
		if floor > 0 {
			b.ReportMetric(rate/floor, "x-floor")
		}
		if c := m(b.N * len(docs)).cpu; c > 0 && floorCPU > 0 {
			b.ReportMetric(c, "cpu-ns/badge")
			b.ReportMetric(floorCPU/c, "x-floor-cpu")
		}
	})
}
