package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// stallServer answers nothing until release is closed, counting the
// requests it holds at once and in all.
type stallServer struct {
	*httptest.Server
	release   chan struct{}
	hold      <-chan struct{} // when set, requests also end when it is closed
	now, peak atomic.Int64
	total     atomic.Int64
}

func newStallServer(t *testing.T) *stallServer {
	s := &stallServer{release: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.total.Add(1)
		n := s.now.Add(1)
		for {
			p := s.peak.Load()
			if n <= p || s.peak.CompareAndSwap(p, n) {
				break
			}
		}
		defer s.now.Add(-1)
		hold := s.hold
		if hold == nil {
			hold = s.release
		}
		select {
		case <-hold:
		case <-s.release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(s.release); s.Close() })
	return s
}

// TestConcurrencyCaps: 50 Gets to one stalling host hold at most MaxPerHost
// requests at once.
func TestConcurrencyCaps(t *testing.T) {
	srv := newStallServer(t)
	// No Get times out: a request its client gave up on may still be under
	// way at the server, which would count it twice.
	f, err := New(Options{AllowLoopback: true, MaxConcurrent: 8, MaxPerHost: 3, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	stalled := make(chan struct{})
	go func() {
		time.Sleep(300 * time.Millisecond) // the first three stall meanwhile
		close(stalled)
	}()
	srv.hold = stalled
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.Get(context.Background(), srv.URL, "")
		}()
	}
	wg.Wait()
	if p := srv.peak.Load(); p < 1 || p > 3 {
		t.Fatalf("%d requests under way at once to one host, want 1 to 3", p)
	}
	if n := srv.total.Load(); n != 50 {
		t.Fatalf("%d requests reached the server, want all 50", n)
	}
}

// TestNothingStartsAfterContextEnds: a Get with an ended context sends
// nothing.
func TestNothingStartsAfterContextEnds(t *testing.T) {
	srv := newStallServer(t)
	f, err := New(Options{AllowLoopback: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for i := 0; i < 20; i++ {
		if _, err := f.Get(ctx, srv.URL, ""); !errors.Is(err, context.Canceled) {
			t.Fatalf("Get after cancel: %v, want context.Canceled", err)
		}
	}
	if n := srv.total.Load(); n != 0 {
		t.Fatalf("%d requests reached the server after the context ended", n)
	}
}
