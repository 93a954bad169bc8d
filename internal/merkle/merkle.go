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

// ErrNoLeaves: a tree a Builder built keeps no leaves, so the path of a
// leaf with a sibling leaf needs that sibling from the caller
// (AppendPathSibling, Paths.NextSibling).
var ErrNoLeaves = errors.New("merkle: the tree keeps no leaves: give the sibling leaf")

// Tree is a built Merkle tree. It is immutable and safe for concurrent reads.
type Tree struct {
	n      int        // leaves
	leaves [][32]byte // nil when a Builder built the tree
	levels []level    // levels[k] is level k+1: the levels above the leaves
	root   [32]byte
}

// level holds one level's nodes in chunks of chunkNodes nodes (the last
// one growing), 32 bytes each: no level is ever copied to grow, and two
// siblings are one 64-byte slice, hashed in place.
type level struct {
	chunks [][]byte
	n      int
}

const chunkShift = 15 // 32,768 nodes, 1 MiB per chunk
const chunkNodes = 1 << chunkShift

func (l *level) at(i int) [32]byte {
	c, o := i>>chunkShift, 32*(i&(chunkNodes-1))
	return [32]byte(l.chunks[c][o : o+32])
}

// pair returns nodes i and i+1 (i even) as one slice.
func (l *level) pair(i int) []byte {
	c, o := i>>chunkShift, 32*(i&(chunkNodes-1))
	return l.chunks[c][o : o+64]
}

func (l *level) push(h [32]byte) {
	if l.n&(chunkNodes-1) == 0 {
		l.chunks = append(l.chunks, make([]byte, 0, 32*min(chunkNodes, max(64, l.n))))
	}
	c := &l.chunks[len(l.chunks)-1]
	o := len(*c)
	if o+32 > cap(*c) {
		*c = slices.Grow(*c, 32)
	}
	*c = (*c)[:o+32]
	*(*[32]byte)((*c)[o:]) = h
	l.n++
}

// Builder builds a tree from leaves given one at a time, in order,
// hashing each pair of nodes as soon as it is complete. It keeps the
// levels above the leaves only, about 32 bytes per leaf in all, and not
// the leaves: the caller, who has them, gives a leaf's sibling leaf when
// it asks for the leaf's path. The zero Builder is empty and ready.
type Builder struct {
	n       int
	pending [32]byte // the last leaf when n is odd
	levels  []level
}

// Add appends a leaf.
func (b *Builder) Add(leaf [32]byte) {
	b.n++
	if b.n%2 == 1 {
		b.pending = leaf
		return
	}
	var pair [64]byte
	*(*[32]byte)(pair[:]) = b.pending
	*(*[32]byte)(pair[32:]) = leaf
	b.push(0, sha256.Sum256(pair[:]))
}

// Len returns the number of leaves added.
func (b *Builder) Len() int { return b.n }

// push appends h to levels[k] and hashes the pairs it completes upwards.
func (b *Builder) push(k int, h [32]byte) {
	for {
		if k == len(b.levels) {
			b.levels = append(b.levels, level{})
		}
		lv := &b.levels[k]
		lv.push(h)
		if lv.n%2 == 1 {
			return
		}
		h = sha256.Sum256(lv.pair(lv.n - 2))
		k++
	}
}

// Tree finishes the tree: each level's last node, when it has no
// partner, is promoted to the level above. The Builder must not be used
// afterwards. An empty Builder is an error.
func (b *Builder) Tree() (*Tree, error) {
	if b.n == 0 {
		return nil, ErrEmptyTree
	}
	t := &Tree{n: b.n}
	if b.n == 1 {
		t.root = b.pending
		return t, nil
	}
	if b.n%2 == 1 {
		b.push(0, b.pending)
	}
	for k := 0; k < len(b.levels); k++ {
		lv := &b.levels[k]
		if k == len(b.levels)-1 && lv.n == 1 {
			break
		}
		if lv.n%2 == 1 {
			b.push(k+1, lv.at(lv.n-1))
		}
	}
	t.levels = b.levels
	t.root = t.levels[len(t.levels)-1].at(0)
	b.levels = nil
	return t, nil
}

// Build computes the tree over leaves (each the SHA-256 of one document).
// The leaves are copied. An empty input is an error. It computes one
// SHA-256 per inner node and nothing else of note: about n-1 calls for n
// leaves.
func Build(leaves [][32]byte) (*Tree, error) {
	return BuildShared(slices.Clone(leaves))
}

// BuildShared is Build without copying the leaves: the tree keeps them,
// and the caller must not change them afterwards.
func BuildShared(leaves [][32]byte) (*Tree, error) {
	var b Builder
	for _, l := range leaves {
		b.Add(l)
	}
	t, err := b.Tree()
	if err != nil {
		return nil, err
	}
	t.leaves = leaves
	return t, nil
}

// Len returns the number of leaves.
func (t *Tree) Len() int { return t.n }

// Root returns the root hash. For a single leaf the root is that leaf.
func (t *Tree) Root() [32]byte { return t.root }

// width is the number of nodes of level l (0: the leaves).
func (t *Tree) width(l int) int {
	if l == 0 {
		return t.n
	}
	return t.levels[l-1].n
}

// Path returns the inclusion path of leaf i, from the leaf up.
func (t *Tree) Path(i int) ([]Step, error) {
	return t.AppendPath(make([]Step, 0, len(t.levels)), i)
}

// AppendPath appends the inclusion path of leaf i, from the leaf up, to
// path and returns the result. A tree a Builder built needs
// AppendPathSibling instead.
func (t *Tree) AppendPath(path []Step, i int) ([]Step, error) {
	if i < 0 || i >= t.n {
		return nil, fmt.Errorf("%w: %d of %d", ErrIndexOutOfRange, i, t.n)
	}
	if t.leaves == nil && i^1 < t.n {
		return nil, ErrNoLeaves
	}
	var sib [32]byte
	if i^1 < t.n {
		sib = t.leaves[i^1]
	}
	return t.appendPath(path, i, sib), nil
}

// AppendPathSibling is AppendPath with leaf i's sibling leaf (leaf i^1,
// ignored when i is the last leaf of an odd level) given by the caller,
// for a tree that keeps no leaves.
func (t *Tree) AppendPathSibling(path []Step, i int, sibling [32]byte) ([]Step, error) {
	if i < 0 || i >= t.n {
		return nil, fmt.Errorf("%w: %d of %d", ErrIndexOutOfRange, i, t.n)
	}
	return t.appendPath(path, i, sibling), nil
}

func (t *Tree) appendPath(path []Step, i int, sibling [32]byte) []Step {
	if i^1 < t.n {
		path = append(path, Step{Left: i%2 == 1, Hash: sibling})
	}
	i /= 2
	for k := range t.levels {
		if k == len(t.levels)-1 {
			break // the root
		}
		lv := &t.levels[k]
		if sib := i ^ 1; sib < lv.n {
			path = append(path, Step{Left: i%2 == 1, Hash: lv.at(sib)})
		}
		i /= 2
	}
	return path
}

// Paths returns the inclusion paths of the leaves from first on, in order:
// what a batch issuer writes. Going from one leaf to the next it rewrites
// only the steps that change (two on average), so the paths of a whole
// batch cost little beyond the tree.
func (t *Tree) Paths(first int) *Paths {
	levels := max(len(t.levels), 1) // the leaves' level and those below the root
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
// to keep it. A tree a Builder built needs NextSibling instead.
func (p *Paths) Next() (i int, path []Step, ok bool) {
	i = p.next
	if p.t.leaves == nil && i >= 0 && i^1 < p.t.n {
		return i, nil, false
	}
	var sib [32]byte
	if i >= 0 && i^1 < p.t.n {
		sib = p.t.leaves[i^1]
	}
	return p.NextSibling(sib)
}

// NextSibling is Next with the next leaf's sibling leaf given by the
// caller (see AppendPathSibling).
func (p *Paths) NextSibling(sibling [32]byte) (i int, path []Step, ok bool) {
	t := p.t
	i = p.next
	if i < 0 || i >= t.n {
		return i, nil, false
	}
	p.next++
	if t.n == 1 {
		return i, nil, true
	}
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
		has := sib < t.width(l)
		if has {
			st := &p.steps[l]
			st.Left = j&1 == 1
			if l == 0 {
				st.Hash = sibling
			} else {
				st.Hash = t.levels[l-1].at(sib)
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
