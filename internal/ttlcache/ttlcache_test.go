package ttlcache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newCache[V any](t *testing.T, o Options[V]) *Cache[V] {
	t.Helper()
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewRejectsSizeBelowOne(t *testing.T) {
	for _, n := range []int{0, -1} {
		if _, err := New(Options[int]{Size: n}); err == nil {
			t.Errorf("New(Size: %d): no error", n)
		}
	}
}

func TestGetKeepsUntilTheLoadersExpiry(t *testing.T) {
	clk := newClock()
	c := newCache(t, Options[int]{Size: 8, Now: clk.Now})
	var calls atomic.Int64
	load := func(ttl time.Duration) Loader[int] {
		return func(context.Context) (int, time.Time) {
			n := int(calls.Add(1))
			return n, clk.Now().Add(ttl)
		}
	}
	ctx := context.Background()

	if v, err := c.Get(ctx, "a", load(time.Minute)); err != nil || v != 1 {
		t.Fatalf("first Get = %d, %v; want 1, nil", v, err)
	}
	clk.Advance(59 * time.Second)
	if v, _ := c.Get(ctx, "a", load(time.Minute)); v != 1 {
		t.Fatalf("Get before expiry = %d, want the kept 1", v)
	}
	clk.Advance(time.Second) // exactly at expiry: gone
	if v, _ := c.Get(ctx, "a", load(time.Second)); v != 2 {
		t.Fatalf("Get at expiry = %d, want a fresh load (2)", v)
	}
	// Each entry has its own expiry.
	if v, _ := c.Get(ctx, "b", load(time.Hour)); v != 3 {
		t.Fatalf("Get b = %d, want 3", v)
	}
	clk.Advance(2 * time.Second)
	if _, ok := c.Peek("a"); ok {
		t.Error("a is still held after its one-second expiry")
	}
	if v, ok := c.Peek("b"); !ok || v != 3 {
		t.Errorf("Peek b = %d, %v; want 3, true", v, ok)
	}
}

func TestGetDoesNotKeepAnExpiredAnswer(t *testing.T) {
	clk := newClock()
	c := newCache(t, Options[string]{Size: 8, Now: clk.Now})
	var calls atomic.Int64
	for _, expires := range []time.Time{{}, clk.Now(), clk.Now().Add(-time.Second)} {
		v, err := c.Get(context.Background(), "k", func(context.Context) (string, time.Time) {
			calls.Add(1)
			return "x", expires
		})
		if err != nil || v != "x" {
			t.Fatalf("Get = %q, %v; want the loaded value handed out", v, err)
		}
	}
	if calls.Load() != 3 || c.Len() != 0 {
		t.Errorf("calls = %d, Len = %d; want 3 loads and nothing kept", calls.Load(), c.Len())
	}
}

func TestGetEvictsLeastRecentlyUsed(t *testing.T) {
	clk := newClock()
	c := newCache(t, Options[string]{Size: 2, Now: clk.Now})
	ctx := context.Background()
	keep := func(v string) Loader[string] {
		return func(context.Context) (string, time.Time) { return v, clk.Now().Add(time.Hour) }
	}
	c.Get(ctx, "a", keep("A"))
	c.Get(ctx, "b", keep("B"))
	c.Get(ctx, "a", keep("-")) // a is now the most recently used
	c.Get(ctx, "c", keep("C")) // evicts b
	if _, ok := c.Peek("b"); ok {
		t.Error("b survived eviction")
	}
	for k, want := range map[string]string{"a": "A", "c": "C"} {
		if v, ok := c.Peek(k); !ok || v != want {
			t.Errorf("Peek %s = %q, %v; want %q", k, v, ok, want)
		}
	}
	if c.Len() != 2 {
		t.Errorf("Len = %d, want 2", c.Len())
	}
	c.Purge()
	if c.Len() != 0 {
		t.Errorf("Len after Purge = %d", c.Len())
	}
}

func TestConcurrentGetsOfOneKeyLoadOnce(t *testing.T) {
	c := newCache(t, Options[int]{Size: 8})
	gate := make(chan struct{})
	var calls atomic.Int64
	load := func(context.Context) (int, time.Time) {
		calls.Add(1)
		<-gate
		return 42, time.Now().Add(time.Hour)
	}
	const n = 500
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			v, err := c.Get(context.Background(), "k", load)
			if err == nil && v != 42 {
				err = errors.New("wrong value")
			}
			if err != nil {
				errs <- err
			}
		})
	}
	// Let the callers pile up on the one flight, then release it.
	for calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if calls.Load() != 1 {
		t.Errorf("loader ran %d times, want 1", calls.Load())
	}
}

func TestWaiterReturnsWhenItsContextEnds(t *testing.T) {
	c := newCache(t, Options[int]{Size: 8})
	gate := make(chan struct{})
	loadCtx := make(chan context.Context, 1)
	load := func(ctx context.Context) (int, time.Time) {
		loadCtx <- ctx
		<-gate
		return 7, time.Now().Add(time.Hour)
	}
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "v"))
	done := make(chan error, 1)
	go func() {
		_, err := c.Get(ctx, "k", load)
		done <- err
	}()
	lctx := <-loadCtx
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Get after cancel: %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Get did not return when its context was cancelled")
	}
	// The load keeps the caller's values but not its cancellation, and its
	// answer is still kept for the next caller.
	if lctx.Err() != nil {
		t.Errorf("the load's context was cancelled with the caller's: %v", lctx.Err())
	}
	if lctx.Value(ctxKey{}) != "v" {
		t.Error("the load's context lost the caller's values")
	}
	close(gate)
	v, err := c.Get(context.Background(), "k", func(context.Context) (int, time.Time) {
		t.Error("second load ran; the first flight's answer should be shared or kept")
		return 0, time.Time{}
	})
	if err != nil || v != 7 {
		t.Errorf("Get after the flight = %d, %v; want 7", v, err)
	}
}

type ctxKey struct{}

func TestCloneIsolatesCallersFromTheCache(t *testing.T) {
	c := newCache(t, Options[[]byte]{Size: 8, Clone: func(b []byte) []byte { return append([]byte(nil), b...) }})
	src := []byte{1, 2, 3}
	got, _ := c.Get(context.Background(), "k", func(context.Context) ([]byte, time.Time) {
		return src, time.Now().Add(time.Hour)
	})
	src[0] = 9 // the loader's own slice is not what the cache keeps
	got[1] = 9 // nor is the one handed out
	again, _ := c.Peek("k")
	if again[0] != 1 || again[1] != 2 {
		t.Errorf("cached value changed through an alias: %v", again)
	}
}

func TestGetNilLoader(t *testing.T) {
	c := newCache(t, Options[int]{Size: 1})
	if _, err := c.Get(context.Background(), "k", nil); !errors.Is(err, ErrNilLoader) {
		t.Errorf("Get with nil loader: %v", err)
	}
}

func TestStatsCountHitsAndMisses(t *testing.T) {
	clk := newClock()
	c, err := New(Options[int]{Size: 2, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	load := func(context.Context) (int, time.Time) { return 1, clk.Now().Add(time.Minute) }
	ctx := context.Background()
	for range 3 {
		if _, err := c.Get(ctx, "a", load); err != nil {
			t.Fatal(err)
		}
	}
	if got := c.Stats(); got != (Stats{Hits: 2, Misses: 1}) {
		t.Fatalf("after one load and two hits: %+v", got)
	}
	clk.Advance(2 * time.Minute)
	if _, err := c.Get(ctx, "a", load); err != nil {
		t.Fatal(err)
	}
	c.Peek("a") // not a Get: not counted
	if got := c.Stats(); got != (Stats{Hits: 2, Misses: 2}) {
		t.Fatalf("an expired entry is a miss: %+v", got)
	}
}
