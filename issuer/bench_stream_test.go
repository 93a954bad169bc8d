package issuer_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/multiformats/go-multibase"

	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/canon"
	"github.com/badgeproof/badgeproof/internal/cputime"
	"github.com/badgeproof/badgeproof/internal/decoded"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// discardSink counts badges and keeps none.
type discardSink struct{ n atomic.Int64 }

func (d *discardSink) Begin(int) error         { return nil }
func (d *discardSink) Put(issuer.Issued) error { d.n.Add(1); return nil }
func (d *discardSink) Commit(int) error        { return nil }

// BenchmarkStreamVsSigningFloor issues badges with a Stream on all cores
// (parse, checks, sign, hash, spool, tree, anchor on a ledger, batch
// proof) and, in the same run, does on all cores only what no issuer can
// avoid for each badge, in two measures:
//
//   - the signing floor (floorBadge): the JCS form of the document, its
//     SHA-256 and an Ed25519 signature;
//   - the proof floor: the signing floor plus the go-multibase (base58btc)
//     encoding of the badge's MerkleProof2019 proofValue, the bytes of the
//     same batch's proofs as the Stream writes them. No issuer of a
//     MerkleProof2019 batch badge avoids that encoding, and it costs about
//     as much as the signature.
//
// It reports the three rates per wall second and the stream's rate as a
// fraction of each floor's (efficiency against the signing floor,
// efficiency-with-proof against the proof floor; 1 means the stream costs
// no more than that floor), and the same per CPU second of the process
// (cpu-efficiency, cpu-efficiency-with-proof, and the CPU time per badge of
// each: stream-, floor- and proof-floor-cpu-µs/badge), which other load on
// a shared machine does not skew.
func BenchmarkStreamVsSigningFloor(b *testing.B) {
	const n = 5000
	k, err := keys.Generate(keys.Ed25519)
	if err != nil {
		b.Fatal(err)
	}
	s, err := issuer.NewSigner(k, issuer.WithClock(batchClock))
	if err != nil {
		b.Fatal(err)
	}
	creds := batchCreds(b, s.DID(), n)
	items := itemsOf(b, creds)
	decodedDocs := decodedOf(b, items)
	l := streamLedger(b)
	proofs := batchProofsOf(b, s, l, items)
	workers := runtime.GOMAXPROCS(0)

	var floor, proofFloor, stream, floorCPU, proofFloorCPU, streamCPU time.Duration
	for b.Loop() {
		wall, cpu := onAllCores(n, workers, func(i int) { floorBadge(k, decodedDocs[i]) })
		floor += wall
		floorCPU += cpu

		wall, cpu = onAllCores(n, workers, func(i int) {
			floorBadge(k, decodedDocs[i])
			if _, err := multibase.Encode(multibase.Base58BTC, proofs[i]); err != nil {
				panic(err)
			}
		})
		proofFloor += wall
		proofFloorCPU += cpu

		start, startCPU := time.Now(), cputime.Process()
		st, err := issuer.NewStream(s, l.Publisher(s.DID()), b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		sink := &discardSink{}
		if _, err := st.Run(context.Background(), &sliceSource{items: items}, sink); err != nil {
			b.Fatal(err)
		}
		stream += time.Since(start)
		streamCPU += cputime.Process() - startCPU
		if sink.n.Load() != n {
			b.Fatalf("wrote %d badges, want %d", sink.n.Load(), n)
		}
	}
	iters := float64(b.N)
	floorRate := iters * n / floor.Seconds()
	proofFloorRate := iters * n / proofFloor.Seconds()
	streamRate := iters * n / stream.Seconds()
	b.ReportMetric(floorRate, "floor-badges/s")
	b.ReportMetric(proofFloorRate, "proof-floor-badges/s")
	b.ReportMetric(streamRate, "stream-badges/s")
	b.ReportMetric(streamRate/floorRate, "efficiency")
	b.ReportMetric(streamRate/proofFloorRate, "efficiency-with-proof")
	b.ReportMetric(floorCPU.Seconds()/streamCPU.Seconds(), "cpu-efficiency")
	b.ReportMetric(proofFloorCPU.Seconds()/streamCPU.Seconds(), "cpu-efficiency-with-proof")
	b.ReportMetric(float64(streamCPU.Microseconds())/(iters*n), "stream-cpu-µs/badge")
	b.ReportMetric(float64(floorCPU.Microseconds())/(iters*n), "floor-cpu-µs/badge")
	b.ReportMetric(float64(proofFloorCPU.Microseconds())/(iters*n), "proof-floor-cpu-µs/badge")
	b.ReportMetric(0, "ns/op")
}

// onAllCores calls f for 0..n-1 on workers goroutines and returns the wall
// time and the process's CPU time it took.
func onAllCores(n, workers int, f func(i int)) (wall, cpu time.Duration) {
	start, startCPU := time.Now(), cputime.Process()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
	return time.Since(start), cputime.Process() - startCPU
}

// batchProofsOf streams items as one batch, as the benchmark does, and
// returns the bytes each badge's MerkleProof2019 proofValue encodes (its
// batch proof's proofValue, multibase-decoded), in input order.
func batchProofsOf(t testing.TB, s *issuer.Signer, l *ledger.Ledger, items []issuer.Item) [][]byte {
	st, err := issuer.NewStream(s, l.Publisher(s.DID()), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sink := newMemSink()
	if _, err := st.Run(context.Background(), &sliceSource{items: items}, sink); err != nil {
		t.Fatal(err)
	}
	out := make([][]byte, len(items))
	for i, it := range items {
		c, err := badge.ParseCredential(it.Data, badge.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := badge.ParseCredential(sink.docs[c.ID], badge.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		p := doc.Proofs[len(doc.Proofs)-1]
		if p.Cryptosuite != issuer.BatchCryptosuite {
			t.Fatalf("badge %d: last proof is %s, not the batch proof", i, p.Cryptosuite)
		}
		enc, raw, err := multibase.Decode(p.ProofValue)
		if err != nil || enc != multibase.Base58BTC {
			t.Fatalf("badge %d: proofValue %.20q…: %v", i, p.ProofValue, err)
		}
		out[i] = raw
	}
	return out
}

// decodedOf parses each item as a Stream does and returns the decoding the
// parse keeps.
func decodedOf(t testing.TB, items []issuer.Item) []map[string]any {
	out := make([]map[string]any, len(items))
	for i, it := range items {
		c, err := badge.ParseCredential(it.Data, badge.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if out[i] = decoded.Value(c); out[i] == nil {
			t.Fatal("the parse kept no decoding")
		}
	}
	return out
}

// floorBadge is what no issuer of a badge can avoid: the JCS form of the
// document without its proof (from its decoding, with the canonicalizer a
// Stream uses), its SHA-256 and one Ed25519 signature over the 64 bytes of
// an eddsa-jcs-2022 hash (the proof configuration's hash is the same for
// every badge of a batch).
func floorBadge(k *keys.PrivateKey, doc map[string]any) {
	b, err := canon.AppendJCS(nil, doc, "proof")
	if err != nil {
		panic(err)
	}
	d := sha256.Sum256(b)
	var hashData [64]byte
	copy(hashData[32:], d[:])
	ed25519.Sign(k.Ed25519(), hashData[:])
}
