package merkle

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/bits"
	"slices"
)

// MaxPathLen is the longest inclusion path accepted: enough for 2^64 leaves.
const MaxPathLen = 64

// Errors returned by this package; detailed errors wrap or match them.
var (
	// ErrEmptyTree: Build was given no leaves.
	ErrEmptyTree = errors.New("merkle: no leaves")
	// ErrIndexOutOfRange: Path was asked for a leaf the tree does not have.
	ErrIndexOutOfRange = errors.New("merkle: leaf index out of range")
	// ErrPathTooLong: a path has more than MaxPathLen steps.
	ErrPathTooLong = errors.New("merkle: path too long")
	// ErrRootMismatch: the root computed from a leaf and its path is not the
	// expected root. The error returned is a *RootMismatchError.
	ErrRootMismatch = errors.New("merkle: root mismatch")
)

// Step is one entry of an inclusion path.
type Step struct {
	// Left reports that Hash is the left sibling: parent = SHA-256(Hash || current).
	Left bool
	// Hash is the sibling's hash.
	Hash [32]byte
}

// RootMismatchError carries the expected root and the root calculated from
// the leaf and its path. errors.Is(err, ErrRootMismatch) reports true for it.
type RootMismatchError struct {
	Expected, Calculated [32]byte
}

func (e *RootMismatchError) Error() string {
	return fmt.Sprintf("merkle: root mismatch: expected %s, calculated %s",
		hex.EncodeToString(e.Expected[:]), hex.EncodeToString(e.Calculated[:]))
}

// Is makes errors.Is(err, ErrRootMismatch) true.
func (e *RootMismatchError) Is(target error) bool { return target == ErrRootMismatch }

// Tree is a built Merkle tree. It is immutable and safe for concurrent reads.
type Tree struct {
	leaves [][32]byte
	// inner holds the levels above the leaves back to back, root last, 32
	// bytes per node, so that two siblings are one 64-byte slice, hashed
	// in place.
	inner []byte
	// start[l] is the index of level l's first node counting the leaves
	// first; the level ends where the next one starts (start has one more
	// entry than there are levels).
	start []int
}

// node returns node i of the tree (an index into the levels back to back).
func (t *Tree) node(i int) [32]byte {
	if i < len(t.leaves) {
		return t.leaves[i]
	}
	i -= len(t.leaves)
	return [32]byte(t.inner[32*i : 32*i+32])
}

// Build computes the tree over leaves (each the SHA-256 of one document).
// The leaves are copied. An empty input is an error. It computes one
// SHA-256 per inner node and nothing else of note: about n-1 calls for n
// leaves.
func Build(leaves [][32]byte) (*Tree, error) {
	return BuildShared(slices.Clone(leaves))
}

// BuildShared is Build without copying the leaves: the tree keeps them,
// and the caller must not change them afterwards. A batch of a million
// badges then needs 32 MB for its leaves and 32 MB for the rest of the
// tree, allocated once.
func BuildShared(leaves [][32]byte) (*Tree, error) {
	n := len(leaves)
	if n == 0 {
		return nil, ErrEmptyTree
	}
	total, levels := 0, 0
	for w := n; ; w = (w + 1) / 2 {
		total += w
		levels++
		if w == 1 {
			break
		}
	}
	t := &Tree{leaves: leaves, inner: make([]byte, 32*(total-n)), start: make([]int, 0, levels+1)}
	t.start = append(t.start, 0)
	if n > 1 {
		// The leaves' level: each pair is copied next to each other first.
		t.start = append(t.start, n)
		out := 0
		var pair [64]byte
		for i := 0; i+1 < n; i += 2 {
			*(*[32]byte)(pair[:]) = leaves[i]
			*(*[32]byte)(pair[32:]) = leaves[i+1]
			*(*[32]byte)(t.inner[32*out:]) = sha256.Sum256(pair[:])
			out++
		}
		if n%2 == 1 {
			*(*[32]byte)(t.inner[32*out:]) = leaves[n-1]
			out++
		}
		// The levels above: siblings are adjacent in inner.
		lo, hi := 0, out
		for hi-lo > 1 {
			t.start = append(t.start, n+hi)
			out := hi
			for i := lo; i+1 < hi; i += 2 {
				*(*[32]byte)(t.inner[32*out:]) = sha256.Sum256(t.inner[32*i : 32*i+64])
				out++
			}
			if (hi-lo)%2 == 1 {
				copy(t.inner[32*out:32*out+32], t.inner[32*(hi-1):])
				out++
			}
			lo, hi = hi, out
		}
		t.start = append(t.start, n+hi)
	} else {
		t.start = append(t.start, n)
	}
	return t, nil
}

// Len returns the number of leaves.
func (t *Tree) Len() int { return t.start[1] - t.start[0] }

// Root returns the root hash. For a single leaf the root is that leaf.
func (t *Tree) Root() [32]byte { return t.node(t.start[len(t.start)-1] - 1) }

// Path returns the inclusion path of leaf i, from the leaf up.
func (t *Tree) Path(i int) ([]Step, error) {
	return t.AppendPath(make([]Step, 0, len(t.start)-2), i)
}

// AppendPath appends the inclusion path of leaf i, from the leaf up, to
// path and returns the result.
func (t *Tree) AppendPath(path []Step, i int) ([]Step, error) {
	if i < 0 || i >= t.Len() {
		return nil, fmt.Errorf("%w: %d of %d", ErrIndexOutOfRange, i, t.Len())
	}
	for l := 0; l+2 < len(t.start); l++ {
		width := t.start[l+1] - t.start[l]
		sib := i ^ 1
		if sib < width {
			path = append(path, Step{Left: i%2 == 1, Hash: t.node(t.start[l] + sib)})
		}
		i /= 2
	}
	return path, nil
}

// Paths returns the inclusion paths of the leaves from first on, in order:
// what a batch issuer writes. Going from one leaf to the next it rewrites
// only the steps that change (two on average), so the paths of a whole
// batch cost little beyond the tree.
func (t *Tree) Paths(first int) *Paths {
	levels := len(t.start) - 2
	return &Paths{t: t, next: first, steps: make([]Step, levels), has: make([]bool, levels), missing: levels, out: make([]Step, 0, levels)}
}

// Paths walks the inclusion paths of consecutive leaves (Tree.Paths).
type Paths struct {
	t       *Tree
	next    int
	steps   []Step // the step at each level, valid where has is set
	has     []bool // whether the node has a sibling at that level
	missing int    // levels without a sibling
	out     []Step
	fresh   bool // steps hold leaf next-1's path
}

// Next returns the index and the inclusion path of the next leaf, or
// ok false after the last. The path is valid until the next call; copy it
// to keep it.
func (p *Paths) Next() (i int, path []Step, ok bool) {
	t := p.t
	i = p.next
	if i < 0 || i >= t.Len() {
		return i, nil, false
	}
	p.next++
	// Leaves i-1 and i share their node at level l unless i is a multiple
	// of 2^l: only the levels up to i's trailing zeros change.
	top := len(p.steps) - 1
	if p.fresh && i != 0 {
		top = min(top, bits.TrailingZeros(uint(i)))
	}
	p.fresh = true
	for l := 0; l <= top; l++ {
		j := i >> l
		sib := j ^ 1
		has := sib < t.start[l+1]-t.start[l]
		if has {
			st := &p.steps[l]
			st.Left = j&1 == 1
			if l == 0 {
				st.Hash = t.leaves[sib]
			} else {
				k := t.start[l] + sib - len(t.leaves)
				st.Hash = [32]byte(t.inner[32*k : 32*k+32])
			}
		}
		if has != p.has[l] {
			p.has[l] = has
			if has {
				p.missing--
			} else {
				p.missing++
			}
		}
	}
	if p.missing == 0 {
		return i, p.steps, true
	}
	p.out = p.out[:0]
	for l, s := range p.steps {
		if p.has[l] {
			p.out = append(p.out, s)
		}
	}
	return i, p.out, true
}

// RootFromPath computes the root reached from leaf by path. A path longer
// than MaxPathLen is rejected before hashing.
func RootFromPath(leaf [32]byte, path []Step) ([32]byte, error) {
	if len(path) > MaxPathLen {
		return [32]byte{}, fmt.Errorf("%w: %d steps, at most %d", ErrPathTooLong, len(path), MaxPathLen)
	}
	cur := leaf
	var buf [64]byte
	for _, s := range path {
		if s.Left {
			copy(buf[:32], s.Hash[:])
			copy(buf[32:], cur[:])
		} else {
			copy(buf[:32], cur[:])
			copy(buf[32:], s.Hash[:])
		}
		cur = sha256.Sum256(buf[:])
	}
	return cur, nil
}

// VerifyPath checks that path leads from leaf to root. A mismatch returns a
// *RootMismatchError; a malformed path returns an error wrapping ErrPathTooLong.
func VerifyPath(leaf [32]byte, path []Step, root [32]byte) error {
	got, err := RootFromPath(leaf, path)
	if err != nil {
		return err
	}
	if got != root {
		return &RootMismatchError{Expected: root, Calculated: got}
	}
	return nil
}
