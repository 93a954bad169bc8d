package merkle

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/internal/cputime"
)

func leafHashes(n int) [][32]byte {
	out := make([][32]byte, n)
	var b [8]byte
	for i := range out {
		binary.BigEndian.PutUint64(b[:], uint64(i))
		out[i] = sha256.Sum256(b[:])
	}
	return out
}

func pair(a, b [32]byte) [32]byte {
	return sha256.Sum256(append(a[:], b[:]...))
}

// referenceRoot is a straightforward level-by-level reading of the
// Blockcerts rules, kept separate from Build's flat layout.
func referenceRoot(level [][32]byte) [32]byte {
	for len(level) > 1 {
		var next [][32]byte
		for i := 0; i < len(level); i += 2 {
			if i+1 == len(level) {
				next = append(next, level[i])
			} else {
				next = append(next, pair(level[i], level[i+1]))
			}
		}
		level = next
	}
	return level[0]
}

func TestThreeLeaves(t *testing.T) {
	a, b, c := sha256.Sum256([]byte("a")), sha256.Sum256([]byte("b")), sha256.Sum256([]byte("c"))
	tr, err := Build([][32]byte{a, b, c})
	if err != nil {
		t.Fatal(err)
	}
	want := pair(pair(a, b), c)
	if tr.Root() != want {
		t.Fatalf("root %x, want %x", tr.Root(), want)
	}
	// c is promoted at the first level: its path has a single left step.
	p, err := tr.Path(2)
	if err != nil {
		t.Fatal(err)
	}
	if len(p) != 1 || !p[0].Left || p[0].Hash != pair(a, b) {
		t.Fatalf("path of c = %+v", p)
	}
	p, _ = tr.Path(1)
	if len(p) != 2 || !p[0].Left || p[0].Hash != a || p[1].Left || p[1].Hash != c {
		t.Fatalf("path of b = %+v", p)
	}
}

func TestSingleLeaf(t *testing.T) {
	l := sha256.Sum256([]byte("only"))
	tr, err := Build([][32]byte{l})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Root() != l || tr.Len() != 1 {
		t.Fatalf("root %x len %d", tr.Root(), tr.Len())
	}
	p, err := tr.Path(0)
	if err != nil || len(p) != 0 {
		t.Fatalf("path %v err %v", p, err)
	}
	if err := VerifyPath(l, p, l); err != nil {
		t.Fatal(err)
	}
}

func TestEveryLeafOfManyTrees(t *testing.T) {
	for n := 1; n <= 70; n++ {
		leaves := leafHashes(n)
		tr, err := Build(leaves)
		if err != nil {
			t.Fatal(err)
		}
		if want := referenceRoot(leaves); tr.Root() != want {
			t.Fatalf("n=%d: root %x, reference %x", n, tr.Root(), want)
		}
		maxDepth := 0
		for 1<<maxDepth < n {
			maxDepth++
		}
		for i := range leaves {
			p, err := tr.Path(i)
			if err != nil {
				t.Fatal(err)
			}
			if len(p) > maxDepth {
				t.Fatalf("n=%d i=%d: path length %d > %d", n, i, len(p), maxDepth)
			}
			if err := VerifyPath(leaves[i], p, tr.Root()); err != nil {
				t.Fatalf("n=%d i=%d: %v", n, i, err)
			}
			// Another leaf must not verify with this path (leaves are distinct).
			other := leaves[(i+1)%n]
			if n > 1 && VerifyPath(other, p, tr.Root()) == nil {
				t.Fatalf("n=%d i=%d: wrong leaf verified", n, i)
			}
		}
	}
}

func TestBuildCopiesLeaves(t *testing.T) {
	leaves := leafHashes(4)
	tr, _ := Build(leaves)
	root := tr.Root()
	leaves[0][0] ^= 1
	p, _ := tr.Path(0)
	if tr.Root() != root || p[0].Hash != leafHashes(4)[1] {
		t.Fatal("tree changed when the caller's slice changed")
	}
}

func TestRootMismatch(t *testing.T) {
	leaves := leafHashes(5)
	tr, _ := Build(leaves)
	p, _ := tr.Path(3)
	p[1].Hash[7] ^= 0x80
	err := VerifyPath(leaves[3], p, tr.Root())
	if !errors.Is(err, ErrRootMismatch) {
		t.Fatalf("err = %v, want ErrRootMismatch", err)
	}
	var rm *RootMismatchError
	if !errors.As(err, &rm) {
		t.Fatalf("err %T is not a *RootMismatchError", err)
	}
	calc, _ := RootFromPath(leaves[3], p)
	if rm.Expected != tr.Root() || rm.Calculated != calc || rm.Expected == rm.Calculated {
		t.Fatalf("mismatch error carries %x / %x", rm.Expected, rm.Calculated)
	}
	// Flipping the side of a step also breaks the path.
	p, _ = tr.Path(3)
	p[0].Left = !p[0].Left
	if !errors.Is(VerifyPath(leaves[3], p, tr.Root()), ErrRootMismatch) {
		t.Fatal("path with a flipped side verified")
	}
}

func TestShapeErrors(t *testing.T) {
	if _, err := Build(nil); !errors.Is(err, ErrEmptyTree) {
		t.Fatalf("Build(nil) err = %v", err)
	}
	tr, _ := Build(leafHashes(3))
	for _, i := range []int{-1, 3, 1 << 40} {
		if _, err := tr.Path(i); !errors.Is(err, ErrIndexOutOfRange) {
			t.Fatalf("Path(%d) err = %v", i, err)
		}
	}
	long := make([]Step, MaxPathLen+1)
	if _, err := RootFromPath([32]byte{}, long); !errors.Is(err, ErrPathTooLong) {
		t.Fatalf("65 steps: err = %v", err)
	}
	if err := VerifyPath([32]byte{}, long, [32]byte{}); !errors.Is(err, ErrPathTooLong) {
		t.Fatalf("65 steps: err = %v", err)
	}
	if _, err := RootFromPath([32]byte{}, long[:MaxPathLen]); err != nil {
		t.Fatalf("64 steps: %v", err)
	}
}

func TestLargeTreeSpotCheck(t *testing.T) {
	n := 100_003
	leaves := leafHashes(n)
	tr, err := Build(leaves)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Root() != referenceRoot(leaves) {
		t.Fatal("root differs from reference")
	}
	for _, i := range []int{0, 1, 4097, n / 2, n - 2, n - 1} {
		p, _ := tr.Path(i)
		if err := VerifyPath(leaves[i], p, tr.Root()); err != nil {
			t.Fatalf("leaf %d: %v", i, err)
		}
	}
}

const benchLeaves = 1_000_000

// BenchmarkBuild1M builds a tree of one million leaves. Build hashes
// n-1 (at most) inner nodes, so it should take about half the time of
// BenchmarkSHA256x2M, which is the floor measured in the same run.
func BenchmarkBuild1M(b *testing.B) {
	leaves := leafHashes(benchLeaves)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Build(leaves); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSHA256x2M is 2,000,000 SHA-256 computations over 64-byte inputs.
func BenchmarkSHA256x2M(b *testing.B) {
	var buf [64]byte
	b.ReportAllocs()
	for b.Loop() {
		rawHashes(&buf, 2*benchLeaves)
	}
}

func rawHashes(buf *[64]byte, n int) {
	for i := 0; i < n; i++ {
		h := sha256.Sum256(buf[:])
		buf[i%32] ^= h[0]
	}
}

// BenchmarkBuildVsRaw runs both in one loop and reports
// build-1M/sha256-2M: the time of one Build of a million leaves divided by
// the time of two million raw SHA-256 calls. Near 0.5 means Build costs
// little beyond its hashing.
func BenchmarkBuildVsRaw(b *testing.B) {
	leaves := leafHashes(benchLeaves)
	var buf [64]byte
	var build, raw time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := Build(leaves); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		rawHashes(&buf, 2*benchLeaves)
		t2 := time.Now()
		build += t1.Sub(t0)
		raw += t2.Sub(t1)
	}
	b.ReportMetric(float64(build)/float64(raw), "build-1M/sha256-2M")
	b.ReportMetric(float64(build.Milliseconds())/float64(b.N), "build-ms/op")
}

// BenchmarkTreeAndPathsVsRaw builds a tree of a million leaves and walks
// every leaf's inclusion path, as a Stream does (a Builder given the
// leaves in order, then Paths given each sibling leaf), and reports that
// work's CPU time divided by the CPU time of the n-1 raw SHA-256 calls
// over 64-byte inputs the tree needs, both measured on one locked thread
// in the same run (so other load on the machine does not count). 1 means
// the tree and its paths cost nothing beyond their hashing.
func BenchmarkTreeAndPathsVsRaw(b *testing.B) {
	defer cputime.LockThread()()
	leaves := leafHashes(benchLeaves)
	var buf [64]byte
	var tree, raw, build time.Duration
	steps := 0
	for b.Loop() {
		t0 := cputime.Thread()
		var bl Builder
		for _, l := range leaves {
			bl.Add(l)
		}
		tr, err := bl.Tree()
		if err != nil {
			b.Fatal(err)
		}
		build += cputime.Thread() - t0
		w := tr.Paths(0)
		for i := range leaves {
			_, p, _ := w.NextSibling(leaves[i^1])
			steps += len(p)
		}
		t1 := cputime.Thread()
		rawHashes(&buf, benchLeaves-1)
		t2 := cputime.Thread()
		tree += t1 - t0
		raw += t2 - t1
	}
	if steps == 0 {
		b.Fatal("no paths")
	}
	b.ReportMetric(float64(tree)/float64(raw), "tree+paths/sha256-calls")
	b.ReportMetric(float64(tree.Milliseconds())/float64(b.N), "tree+paths-cpu-ms/op")
	b.ReportMetric(float64(build.Milliseconds())/float64(b.N), "build-cpu-ms/op")
	b.ReportMetric(float64(raw.Milliseconds())/float64(b.N), "sha256-cpu-ms/op")
}

// Paths gives every leaf the path Path gives it, from any first leaf.
func TestPathsWalk(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5, 8, 13, 31, 64, 70, 1000, 1023, 1025} {
		tr, err := Build(leafHashes(n))
		if err != nil {
			t.Fatal(err)
		}
		for _, first := range []int{0, 1, n / 2, n - 1} {
			w := tr.Paths(first)
			want := first
			for {
				i, got, ok := w.Next()
				if !ok {
					break
				}
				if i != want {
					t.Fatalf("n=%d: leaf %d, want %d", n, i, want)
				}
				p, _ := tr.Path(i)
				if len(p) != len(got) {
					t.Fatalf("n=%d i=%d: %d steps, want %d", n, i, len(got), len(p))
				}
				for k := range p {
					if p[k] != got[k] {
						t.Fatalf("n=%d i=%d: step %d differs", n, i, k)
					}
				}
				want++
			}
			if want != n {
				t.Fatalf("n=%d first=%d: stopped at %d", n, first, want)
			}
		}
	}
}

// A Builder, given the leaves one by one, builds the tree Build builds,
// and gives every path from the sibling leaves, also across the chunks a
// level is kept in.
func TestBuilder(t *testing.T) {
	sizes := []int{1, 2, 3, 4, 5, 6, 7, 9, 17, 33, 70, chunkNodes - 1, chunkNodes, chunkNodes + 1, 2*chunkNodes + 3, 4*chunkNodes + 5}
	for _, n := range sizes {
		leaves := leafHashes(n)
		var b Builder
		for _, l := range leaves {
			b.Add(l)
		}
		if b.Len() != n {
			t.Fatalf("n=%d: Len %d", n, b.Len())
		}
		tr, err := b.Tree()
		if err != nil {
			t.Fatal(err)
		}
		if want := referenceRoot(leaves); tr.Root() != want {
			t.Fatalf("n=%d: root %x, reference %x", n, tr.Root(), want)
		}
		sibling := func(i int) [32]byte {
			if i^1 < n {
				return leaves[i^1]
			}
			return [32]byte{}
		}
		w := tr.Paths(0)
		for i := range leaves {
			if n > 1 && i^1 < n {
				if _, err := tr.AppendPath(nil, i); !errors.Is(err, ErrNoLeaves) {
					t.Fatalf("n=%d i=%d: AppendPath without leaves: %v", n, i, err)
				}
			}
			p, err := tr.AppendPathSibling(nil, i, sibling(i))
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyPath(leaves[i], p, tr.Root()); err != nil {
				t.Fatalf("n=%d i=%d: %v", n, i, err)
			}
			j, q, ok := w.NextSibling(sibling(i))
			if !ok || j != i || len(q) != len(p) {
				t.Fatalf("n=%d i=%d: walker gave leaf %d, %d steps, want %d", n, i, j, len(q), len(p))
			}
			for k := range p {
				if p[k] != q[k] {
					t.Fatalf("n=%d i=%d: walker step %d differs", n, i, k)
				}
			}
		}
		if _, _, ok := w.NextSibling([32]byte{}); ok {
			t.Fatalf("n=%d: walker went past the last leaf", n)
		}
	}
	var empty Builder
	if _, err := empty.Tree(); !errors.Is(err, ErrEmptyTree) {
		t.Fatalf("empty builder: %v", err)
	}
}
