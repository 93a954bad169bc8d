package issuer_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/internal/cputime"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

// templateSource makes n distinct national qualification badges from one
// template, as fast as a file could be read, so that the run measures the
// issuer and not the input.
type templateSource struct {
	doc     []byte
	n, next int
}

// The template's badge number and licence number, replaced in each badge.
const (
	templateID      = "5e0c2f4e-0000-4000-8000-000000000000"
	templateLicence = "252010000000A"
)

func newTemplateSource(t testing.TB, did string, n int) *templateSource {
	t.Helper()
	c := batchCreds(t, did, 1)[0]
	b, err := issuer.MarshalDocument(c.Members())
	require.NoError(t, err)
	require.Equal(t, 1, bytes.Count(b, []byte(templateID)))
	require.Equal(t, 1, bytes.Count(b, []byte(templateLicence)))
	return &templateSource{doc: b, n: n}
}

func (s *templateSource) Next() (issuer.Item, error) {
	if s.next == s.n {
		return issuer.Item{}, io.EOF
	}
	i := s.next
	s.next++
	doc := bytes.Replace(s.doc, []byte(templateID), fmt.Appendf(nil, "5e0c2f4e-0000-4000-8000-%012d", i), 1)
	doc = bytes.Replace(doc, []byte(templateLicence), fmt.Appendf(nil, "2520%08dA", i), 1)
	return issuer.Item{Name: "generated:" + strconv.Itoa(i+1), Data: doc}, nil
}

// peakRSS is the process's peak resident set (VmHWM), in bytes.
func peakRSS(t testing.TB) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Skip("no VmHWM in /proc/self/status")
	return 0
}

// TestNationalScale issues BADGEPROOF_SCALE badges (say 1000000) in one run
// through a Stream into JSON Lines files, anchored on a ledger, and reports
// the rate, the signing floor measured in the same run (JCS + Ed25519 per
// badge on all cores) and the peak resident memory, which must stay under
// 1 GiB. BADGEPROOF_SCALE_BATCH sets the batch size (default: one tree).
//
//	BADGEPROOF_SCALE=1000000 go test -run TestNationalScale -v -timeout 2h ./issuer
func TestNationalScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("BADGEPROOF_SCALE"))
	if n <= 0 {
		t.Skip("set BADGEPROOF_SCALE=1000000 to issue that many badges and measure rate and memory")
	}
	batchSize, _ := strconv.Atoi(os.Getenv("BADGEPROOF_SCALE_BATCH"))
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	s, err := issuer.NewSigner(k, issuer.WithClock(batchClock))
	require.NoError(t, err)
	l := streamLedger(t)

	floorBefore, floorCPUBefore := signingFloor(t, k, s.DID(), 1000, 20)
	var opts []issuer.StreamOption
	if batchSize > 0 {
		opts = append(opts, issuer.WithStreamBatchSize(batchSize))
	}
	var last atomic.Int64
	opts = append(opts, issuer.WithStreamProgress(func(p issuer.StreamProgress) { last.Store(p.Written) }))
	st, err := issuer.NewStream(s, l.Publisher(s.DID()), t.TempDir(), opts...)
	require.NoError(t, err)
	out := t.TempDir()
	sink := &issuer.JSONLinesSink{Dir: out}
	start, startCPU := time.Now(), cputime.Process()
	res, err := st.Run(context.Background(), newTemplateSource(t, s.DID(), n), sink)
	require.NoError(t, err)
	elapsed, cpu := time.Since(start), cputime.Process()-startCPU
	require.EqualValues(t, n, res.Written)
	rss := peakRSS(t)
	floorAfter, floorCPUAfter := signingFloor(t, k, s.DID(), 1000, 20)
	floor, floorCPU := (floorBefore+floorAfter)/2, (floorCPUBefore+floorCPUAfter)/2
	rate := float64(n) / elapsed.Seconds()
	perBadge := cpu / time.Duration(n)
	cores := runtime.GOMAXPROCS(0)
	t.Logf("%d badges in %d batch(es) in %s: %.0f badges/s; signing floor (JCS + Ed25519, %d cores) %.0f badges/s (%.0f before, %.0f after); efficiency %.2f; peak RSS %d MiB",
		n, len(res.Batches), elapsed.Round(time.Millisecond), rate, cores, floor, floorBefore, floorAfter, rate/floor, rss>>20)
	t.Logf("CPU time: stream %.1f µs per badge, floor %.1f µs per badge: cpu-efficiency %.2f; %d cores at that CPU cost: %.0f badges/s",
		float64(perBadge.Nanoseconds())/1e3, float64(floorCPU.Nanoseconds())/1e3, floorCPU.Seconds()/perBadge.Seconds(), cores, float64(cores)/perBadge.Seconds())
	const national = 18_550_000
	t.Logf("18.55 million badges at this run's rate: %s; at its CPU cost on %d idle cores: %s; Merkle tree in memory for one tree of them: %d MiB (32 bytes per badge)",
		(time.Duration(float64(national)/rate) * time.Second).Round(time.Minute), cores,
		(time.Duration(float64(national)*perBadge.Seconds()/float64(cores)) * time.Second).Round(time.Minute), national*32>>20)
	require.Less(t, rss, int64(1<<30), "peak resident memory stays under 1 GiB")

	// The first and the last badge of each batch verify.
	v, err := verify.New(verify.WithTrustedKey(s.DID()), verify.WithAnchorResolver(l), verify.WithClock(batchClock))
	require.NoError(t, err)
	for b := 1; b <= len(res.Batches); b++ {
		f, err := os.Open(sink.BatchFile(b))
		require.NoError(t, err)
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		var first, lastLine []byte
		lines := 0
		for sc.Scan() {
			if first == nil {
				first = bytes.Clone(sc.Bytes())
			}
			lastLine = sc.Bytes()
			lines++
		}
		f.Close()
		require.Equal(t, res.Batches[b-1].Count, lines)
		for _, doc := range [][]byte{first, lastLine} {
			r := v.Verify(context.Background(), doc, verify.Binding{})
			require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
		}
	}
	entries, err := filepath.Glob(filepath.Join(out, "*.jsonl"))
	require.NoError(t, err)
	require.Len(t, entries, len(res.Batches))
}

// signingFloor measures, on all cores, what no issuer can avoid per badge:
// the JCS form of the document, its SHA-256 and an Ed25519 signature (see
// floorBadge), over n distinct badges rounds times. It returns the rate per
// wall second and the CPU time per badge.
func signingFloor(t testing.TB, k *keys.PrivateKey, did string, n, rounds int) (float64, time.Duration) {
	src := newTemplateSource(t, did, n)
	items := make([]issuer.Item, n)
	for i := range items {
		var err error
		items[i], err = src.Next()
		require.NoError(t, err)
	}
	docs := decodedOf(t, items)
	start, startCPU := time.Now(), cputime.Process()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n*rounds {
					return
				}
				floorBadge(k, docs[i%n])
			}
		}()
	}
	wg.Wait()
	return float64(n*rounds) / time.Since(start).Seconds(), (cputime.Process() - startCPU) / time.Duration(n*rounds)
}
