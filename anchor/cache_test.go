package anchor

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// countingResolver answers from a function and counts calls; with gate set
// every call waits for the gate to close first.
type countingResolver struct {
	calls  atomic.Int64
	gate   chan struct{}
	answer func(ref Ref) (Record, error)
}

func (r *countingResolver) Resolve(ctx context.Context, ref Ref) (Record, error) {
	r.calls.Add(1)
	if r.gate != nil {
		select {
		case <-r.gate:
		case <-ctx.Done():
			return Record{}, ctx.Err()
		}
	}
	return r.answer(ref)
}

var testRef = Ref{Chain: ChainEthereum, Network: "1337", ID: "0x" + fmt.Sprintf("%064x", 7)}

func confirmed(n uint64) func(Ref) (Record, error) {
	return func(ref Ref) (Record, error) {
		return Record{Ref: ref, Root: []byte{1, 2, 3}, Confirmations: n, Sender: "0xabc"}, nil
	}
}

func failing(err error) func(Ref) (Record, error) {
	return func(ref Ref) (Record, error) { return Record{}, fmt.Errorf("%w: %s", err, ref) }
}

func TestCacheThousandConcurrentLookupsAskOnce(t *testing.T) {
	inner := &countingResolver{gate: make(chan struct{}), answer: confirmed(20)}
	c, err := NewCache(inner)
	if err != nil {
		t.Fatal(err)
	}
	const n = 1000
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec, err := c.Resolve(context.Background(), testRef)
			if err == nil && (rec.Ref != testRef || len(rec.Root) != 3) {
				err = fmt.Errorf("wrong record %+v", rec)
			}
			errs <- err
		}()
	}
	// Let the first lookup start, then release it; callers arriving later
	// either join the lookup or find its result cached.
	for inner.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(inner.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := inner.calls.Load(); got != 1 {
		t.Fatalf("inner resolver called %d times, want 1", got)
	}
}

func TestCacheExpiry(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		answer func(Ref) (Record, error)
		ref    Ref
		kept   time.Duration // how long the answer is served from the cache; 0: never
	}{
		{"confirmed", confirmed(12), testRef, time.Hour},
		{"shallow", confirmed(2), testRef, 15 * time.Second},
		{"unknown confirmations", confirmed(0), testRef, 15 * time.Second},
		{"final chain", confirmed(1), Ref{Chain: ChainLedger, Network: "x", ID: "1"}, time.Hour},
		{"not found", failing(ErrNotFound), testRef, 10 * time.Second},
		{"corrupt", failing(ErrCorrupt), testRef, 10 * time.Second},
		{"unavailable", failing(ErrUnavailable), testRef, 0},
		{"other error", failing(errors.New("boom")), testRef, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newFakeClock()
			inner := &countingResolver{answer: tc.answer}
			c, err := NewCache(inner, WithClock(clk.Now), WithCacheTTL(time.Hour),
				WithMinConfirmations(12, 15*time.Second), WithNegativeTTL(10*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			_, err1 := c.Resolve(ctx, tc.ref)
			_, err2 := c.Resolve(ctx, tc.ref)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("first %v, second %v", err1, err2)
			}
			want := int64(1)
			if tc.kept == 0 {
				want = 2
			}
			if got := inner.calls.Load(); got != want {
				t.Fatalf("after two lookups: %d calls, want %d", got, want)
			}
			if tc.kept == 0 {
				return
			}
			clk.Advance(tc.kept - time.Nanosecond)
			c.Resolve(ctx, tc.ref)
			if got := inner.calls.Load(); got != 1 {
				t.Fatalf("just before expiry: %d calls, want 1", got)
			}
			clk.Advance(time.Nanosecond)
			c.Resolve(ctx, tc.ref)
			if got := inner.calls.Load(); got != 2 {
				t.Fatalf("at expiry: %d calls, want 2 (retried)", got)
			}
		})
	}
}

func TestCacheRetriesAfterNotFoundExpires(t *testing.T) {
	clk := newFakeClock()
	var present atomic.Bool
	inner := &countingResolver{answer: func(ref Ref) (Record, error) {
		if present.Load() {
			return confirmed(30)(ref)
		}
		return failing(ErrNotFound)(ref)
	}}
	c, _ := NewCache(inner, WithClock(clk.Now), WithNegativeTTL(5*time.Second))
	if _, err := c.Resolve(context.Background(), testRef); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	present.Store(true)
	if _, err := c.Resolve(context.Background(), testRef); !errors.Is(err, ErrNotFound) {
		t.Fatalf("within the negative TTL: err = %v, want the cached ErrNotFound", err)
	}
	clk.Advance(5 * time.Second)
	if rec, err := c.Resolve(context.Background(), testRef); err != nil || rec.Confirmations != 30 {
		t.Fatalf("after expiry: %+v, %v", rec, err)
	}
}

func TestCacheCallerCancellation(t *testing.T) {
	inner := &countingResolver{gate: make(chan struct{}), answer: confirmed(20)}
	c, _ := NewCache(inner)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := c.Resolve(ctx, testRef)
		done <- err
	}()
	for inner.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	second := make(chan error)
	go func() {
		_, err := c.Resolve(context.Background(), testRef)
		second <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller: err = %v", err)
	}
	// The shared lookup goes on for the caller still waiting.
	close(inner.gate)
	if err := <-second; err != nil {
		t.Fatalf("second caller: %v", err)
	}
	if got := inner.calls.Load(); got != 1 {
		t.Fatalf("%d calls, want 1", got)
	}
}

func TestCacheLookupTimeout(t *testing.T) {
	inner := &countingResolver{gate: make(chan struct{}), answer: confirmed(20)}
	c, _ := NewCache(inner, WithLookupTimeout(20*time.Millisecond))
	_, err := c.Resolve(context.Background(), testRef)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the lookup's deadline", err)
	}
	if c.Len() != 0 {
		t.Fatal("a timed-out lookup was cached")
	}
}

func TestCacheReturnsCopies(t *testing.T) {
	inner := &countingResolver{answer: confirmed(20)}
	c, _ := NewCache(inner)
	rec, _ := c.Resolve(context.Background(), testRef)
	rec.Root[0] = 99
	// The first answer came from the lookup, the next ones from the cache.
	for i := range 2 {
		rec, _ = c.Resolve(context.Background(), testRef)
		if rec.Root[0] != 1 {
			t.Fatalf("lookup %d: a caller's change to Root reached the cache", i+2)
		}
		rec.Root[0] = 99
	}
	if got := inner.calls.Load(); got != 1 {
		t.Fatalf("%d calls, want 1", got)
	}
}

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	inner := &countingResolver{answer: confirmed(20)}
	c, _ := NewCache(inner, WithCacheSize(2))
	ref := func(i int) Ref { r := testRef; r.ID = fmt.Sprintf("0x%064x", i); return r }
	ctx := context.Background()
	c.Resolve(ctx, ref(1))
	c.Resolve(ctx, ref(2))
	c.Resolve(ctx, ref(1)) // 1 is now the most recent
	c.Resolve(ctx, ref(3)) // evicts 2
	if inner.calls.Load() != 3 || c.Len() != 2 {
		t.Fatalf("calls %d len %d", inner.calls.Load(), c.Len())
	}
	c.Resolve(ctx, ref(1))
	if inner.calls.Load() != 3 {
		t.Fatal("ref 1 was evicted")
	}
	c.Resolve(ctx, ref(2))
	if inner.calls.Load() != 4 {
		t.Fatal("ref 2 was not evicted")
	}
}

func TestNewCacheRejectsBadOptions(t *testing.T) {
	inner := &countingResolver{answer: confirmed(1)}
	for name, opt := range map[string]CacheOption{
		"size 0":           WithCacheSize(0),
		"ttl 0":            WithCacheTTL(0),
		"negative ttl":     WithNegativeTTL(-time.Second),
		"negative shallow": WithMinConfirmations(3, -time.Second),
		"timeout 0":        WithLookupTimeout(0),
		"nil clock":        WithClock(nil),
	} {
		if _, err := NewCache(inner, opt); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := NewCache(nil); err == nil {
		t.Error("nil inner accepted")
	}
}
