package statuslist

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"sync"
)

// ErrListFull: every index of the list is in use.
var ErrListFull = errors.New("statuslist: every index is allocated")

// Allocator hands out unused indexes of a list of Size entries, uniformly at
// random among the free ones. It is safe for concurrent use. It keeps only
// memory state: the issuer stores Used and restores it with NewAllocator.
type Allocator struct {
	mu    sync.Mutex
	size  int
	used  []uint64 // bit i%64 of word i/64 set when index i is taken
	count int
	rand  io.Reader
}

// NewAllocator returns an allocator over size indexes with the indexes in
// used already taken. rnd supplies randomness; nil means crypto/rand. Every
// used index must lie in [0, size); duplicates are an error, since they mean
// the stored state is corrupt.
func NewAllocator(size int, used []int, rnd io.Reader) (*Allocator, error) {
	if size <= 0 || size > 8*MaxBytes {
		return nil, fmt.Errorf("statuslist: allocator size %d outside 1..%d", size, 8*MaxBytes)
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	a := &Allocator{size: size, used: make([]uint64, (size+63)/64), rand: rnd}
	for _, i := range used {
		if err := a.markLocked(i); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Size returns the number of indexes the allocator manages.
func (a *Allocator) Size() int { return a.size }

// Free returns how many indexes are still available.
func (a *Allocator) Free() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.size - a.count
}

// MarkUsed records index i as taken, for example by a list built elsewhere.
func (a *Allocator) MarkUsed(i int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.markLocked(i)
}

func (a *Allocator) markLocked(i int) error {
	if i < 0 || i >= a.size {
		return fmt.Errorf("%w: index %d, list has %d entries", ErrRange, i, a.size)
	}
	w, m := i/64, uint64(1)<<(i%64)
	if a.used[w]&m != 0 {
		return fmt.Errorf("statuslist: index %d is already allocated", i)
	}
	a.used[w] |= m
	a.count++
	return nil
}

// Allocated reports whether index i is taken. An index outside the list is
// not.
func (a *Allocator) Allocated(i int) bool {
	if i < 0 || i >= a.size {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.isUsed(i)
}

func (a *Allocator) isUsed(i int) bool { return a.used[i/64]&(uint64(1)<<(i%64)) != 0 }

// Allocate returns a free index chosen uniformly at random and marks it used.
func (a *Allocator) Allocate() (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	free := a.size - a.count
	if free == 0 {
		return 0, ErrListFull
	}
	// While the list is sparse, a few random probes find a free index;
	// rejection keeps the choice uniform among free indexes.
	for try := 0; try < 16; try++ {
		i, err := a.intn(a.size)
		if err != nil {
			return 0, err
		}
		if !a.isUsed(i) {
			_ = a.markLocked(i)
			return i, nil
		}
	}
	// Otherwise pick the k-th free index, which is uniform as well.
	k, err := a.intn(free)
	if err != nil {
		return 0, err
	}
	for w, word := range a.used {
		n := 64
		if last := a.size - 64*w; last < 64 {
			n = last
		}
		freeHere := n - bits.OnesCount64(word)
		if k >= freeHere {
			k -= freeHere
			continue
		}
		for b := 0; b < n; b++ {
			if word&(uint64(1)<<b) == 0 {
				if k == 0 {
					i := 64*w + b
					_ = a.markLocked(i)
					return i, nil
				}
				k--
			}
		}
	}
	return 0, errors.New("statuslist: allocator state inconsistent")
}

// intn returns a uniform integer in [0, n) from a.rand, without modulo bias.
func (a *Allocator) intn(n int) (int, error) {
	max := uint64(n)
	limit := ^uint64(0) - (^uint64(0)%max+1)%max // largest multiple of n, minus 1
	var buf [8]byte
	for {
		if _, err := io.ReadFull(a.rand, buf[:]); err != nil {
			return 0, fmt.Errorf("statuslist: reading randomness: %w", err)
		}
		v := binary.LittleEndian.Uint64(buf[:])
		if v <= limit {
			return int(v % max), nil
		}
	}
}

// Used returns the allocated indexes in ascending order, for storage.
func (a *Allocator) Used() []int {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]int, 0, a.count)
	for w, word := range a.used {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			out = append(out, 64*w+b)
			word &^= uint64(1) << b
		}
	}
	return out
}
