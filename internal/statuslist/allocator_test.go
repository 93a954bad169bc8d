package statuslist

import (
	"errors"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func seeded(n byte) *rand.ChaCha8 { return rand.NewChaCha8([32]byte{n}) }

func TestAllocatorUniqueUntilFull(t *testing.T) {
	const size = 1000 // not a multiple of 64: the last word is partial
	a, err := NewAllocator(size, nil, seeded(1))
	require.NoError(t, err)
	seen := map[int]bool{}
	for k := 0; k < size; k++ {
		i, err := a.Allocate()
		require.NoError(t, err)
		require.GreaterOrEqual(t, i, 0)
		require.Less(t, i, size)
		require.False(t, seen[i], "index %d handed out twice", i)
		seen[i] = true
	}
	assert.Equal(t, 0, a.Free())
	_, err = a.Allocate()
	assert.ErrorIs(t, err, ErrListFull)
	assert.Len(t, a.Used(), size)
}

func TestAllocatorRestoresState(t *testing.T) {
	a, err := NewAllocator(MinBits, nil, seeded(2))
	require.NoError(t, err)
	for k := 0; k < 100; k++ {
		_, err := a.Allocate()
		require.NoError(t, err)
	}
	used := a.Used()
	require.Len(t, used, 100)
	assert.IsIncreasing(t, used)

	b, err := NewAllocator(MinBits, used, seeded(3))
	require.NoError(t, err)
	assert.Equal(t, MinBits-100, b.Free())
	taken := map[int]bool{}
	for _, i := range used {
		taken[i] = true
	}
	for i := -1; i <= MinBits; i++ {
		require.Equal(t, taken[i], b.Allocated(i), "index %d", i)
	}
	for k := 0; k < 1000; k++ {
		i, err := b.Allocate()
		require.NoError(t, err)
		require.False(t, taken[i], "restored allocator reused index %d", i)
		taken[i] = true
	}
}

func TestAllocatorRandomSpread(t *testing.T) {
	// Indexes are not sequential: 50 draws from a 131072-entry list should
	// not all fall in the first 1% of it.
	a, err := NewAllocator(MinBits, nil, nil)
	require.NoError(t, err)
	high := 0
	for k := 0; k < 50; k++ {
		i, err := a.Allocate()
		require.NoError(t, err)
		if i >= MinBits/100 {
			high++
		}
	}
	assert.Greater(t, high, 0)
}

func TestAllocatorNearlyFull(t *testing.T) {
	// With one free index the probe loop almost always misses, and the
	// rank-select fallback must find it.
	const size = 4096
	used := make([]int, 0, size-1)
	for i := 0; i < size; i++ {
		if i != 3001 {
			used = append(used, i)
		}
	}
	a, err := NewAllocator(size, used, seeded(4))
	require.NoError(t, err)
	i, err := a.Allocate()
	require.NoError(t, err)
	assert.Equal(t, 3001, i)
}

func TestAllocatorRejects(t *testing.T) {
	_, err := NewAllocator(0, nil, nil)
	assert.Error(t, err)
	_, err = NewAllocator(10, []int{10}, nil)
	assert.ErrorIs(t, err, ErrRange)
	_, err = NewAllocator(10, []int{3, 3}, nil)
	assert.ErrorContains(t, err, "already allocated")
	a, err := NewAllocator(10, nil, nil)
	require.NoError(t, err)
	require.NoError(t, a.MarkUsed(4))
	assert.Error(t, a.MarkUsed(4))
	assert.ErrorIs(t, a.MarkUsed(-1), ErrRange)
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

func TestAllocatorRandomnessFailure(t *testing.T) {
	a, err := NewAllocator(10, nil, failingReader{})
	require.NoError(t, err)
	_, err = a.Allocate()
	assert.ErrorContains(t, err, "no entropy")
	assert.Equal(t, 10, a.Free(), "a failed allocation takes nothing")
}

func TestAllocatorConcurrent(t *testing.T) {
	a, err := NewAllocator(MinBits, nil, nil)
	require.NoError(t, err)
	var mu sync.Mutex
	seen := map[int]bool{}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 200; k++ {
				i, err := a.Allocate()
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if seen[i] {
					t.Errorf("index %d handed out twice", i)
				}
				seen[i] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, seen, 1600)
	assert.Equal(t, MinBits-1600, a.Free())
}

func BenchmarkAllocateHalfFull(b *testing.B) {
	a, _ := NewAllocator(MinBits, nil, seeded(5))
	for k := 0; k < MinBits/2; k++ {
		a.Allocate()
	}
	used := a.Used()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		a, _ = NewAllocator(MinBits, used, seeded(6))
		b.StartTimer()
		if _, err := a.Allocate(); err != nil {
			b.Fatal(err)
		}
	}
}
