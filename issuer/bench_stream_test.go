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

	"github.com/badgeproof/badgeproof/internal/canon"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// discardSink counts badges and keeps none.
type discardSink struct{ n atomic.Int64 }

func (d *discardSink) Begin(int) error         { return nil }
func (d *discardSink) Put(issuer.Issued) error { d.n.Add(1); return nil }
func (d *discardSink) Commit(int) error        { return nil }

// BenchmarkStreamVsSigningFloor issues badges with a Stream on all cores
// (parse, sign, hash, spool, tree, anchor on a ledger, batch proof) and, in
// the same run, does only what no issuer can avoid for each badge: the JCS
// of the document and an Ed25519 signature, on all cores. It reports both
// rates and their ratio (efficiency; 1 means the stream costs no more than
// the signing floor).
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
	l := streamLedger(b)
	workers := runtime.GOMAXPROCS(0)

	var floor, stream time.Duration
	for b.Loop() {
		// The floor: JCS + SHA-256 of the document and of a proof
		// configuration, and one Ed25519 signature, per badge, on all cores.
		start := time.Now()
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
					doc, err := canon.JCSMembers(creds[i].Unsigned())
					if err != nil {
						panic(err)
					}
					d := sha256.Sum256(doc)
					var hashData [64]byte
					copy(hashData[32:], d[:])
					ed25519.Sign(k.Ed25519(), hashData[:])
				}
			}()
		}
		wg.Wait()
		floor += time.Since(start)

		start = time.Now()
		st, err := issuer.NewStream(s, l.Publisher(s.DID()), b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		sink := &discardSink{}
		if _, err := st.Run(context.Background(), &sliceSource{items: items}, sink); err != nil {
			b.Fatal(err)
		}
		stream += time.Since(start)
		if sink.n.Load() != n {
			b.Fatalf("wrote %d badges, want %d", sink.n.Load(), n)
		}
	}
	iters := float64(b.N)
	floorRate := iters * n / floor.Seconds()
	streamRate := iters * n / stream.Seconds()
	b.ReportMetric(floorRate, "floor-badges/s")
	b.ReportMetric(streamRate, "stream-badges/s")
	b.ReportMetric(streamRate/floorRate, "efficiency")
	b.ReportMetric(0, "ns/op")
}
