package merkle

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
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
	// nodes holds every level, leaves first, root last, back to back.
	nodes [][32]byte
	// start[l] is the index in nodes of level l's first node; the level ends
	// where the next one starts (start has one more entry than there are levels).
	start []int
}

// Build computes the tree over leaves (each the SHA-256 of one document).
// The leaves are copied. An empty input is an error.
func Build(leaves [][32]byte) (*Tree, error) {
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
	t := &Tree{nodes: make([][32]byte, total), start: make([]int, 0, levels+1)}
	copy(t.nodes, leaves)
	t.start = append(t.start, 0)
	lo, hi := 0, n
	var buf [64]byte
	for hi-lo > 1 {
		t.start = append(t.start, hi)
		out := hi
		for i := lo; i+1 < hi; i += 2 {
			copy(buf[:32], t.nodes[i][:])
			copy(buf[32:], t.nodes[i+1][:])
			t.nodes[out] = sha256.Sum256(buf[:])
			out++
		}
		if (hi-lo)%2 == 1 {
			t.nodes[out] = t.nodes[hi-1]
			out++
		}
		lo, hi = hi, out
	}
	t.start = append(t.start, hi)
	return t, nil
}

// Len returns the number of leaves.
func (t *Tree) Len() int { return t.start[1] - t.start[0] }

// Root returns the root hash. For a single leaf the root is that leaf.
func (t *Tree) Root() [32]byte { return t.nodes[len(t.nodes)-1] }

// Path returns the inclusion path of leaf i, from the leaf up.
func (t *Tree) Path(i int) ([]Step, error) {
	if i < 0 || i >= t.Len() {
		return nil, fmt.Errorf("%w: %d of %d", ErrIndexOutOfRange, i, t.Len())
	}
	var path []Step
	for l := 0; l+2 < len(t.start); l++ {
		width := t.start[l+1] - t.start[l]
		sib := i ^ 1
		if sib < width {
			path = append(path, Step{Left: i%2 == 1, Hash: t.nodes[t.start[l]+sib]})
		}
		i /= 2
	}
	return path, nil
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
