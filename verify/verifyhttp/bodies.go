package verifyhttp

import (
	"io"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Limits on request bodies of the server Server builds. A client that
// uploads slowly holds its body's memory for as long as it takes; these
// bound how many bodies are read at once and for how long, so slow uploads
// cannot take the server's memory.
const (
	// MaxConcurrentBodies is how many request bodies are read at once; a
	// request with a body waits for a slot (within its read deadline)
	// before its handler runs.
	MaxConcurrentBodies = 64
	// BodyReadTimeout is how long reading one request's body may take once
	// it has a slot.
	BodyReadTimeout = 10 * time.Second
)

// bodyLimiter admits at most cap bodies at once. When the last of a burst
// of bodies is done it hands the freed memory back to the operating system
// (at most once per freeEvery), so a server's footprint after a load of
// large uploads returns to its idle size instead of staying at the peak.
type bodyLimiter struct {
	next        http.Handler
	slots       chan struct{}
	readTimeout time.Duration
	frees       atomic.Int64 // times memory was handed back
	active      atomic.Int64
	peak        atomic.Int64 // most bodies read at once, for tests and metrics
	mu          sync.Mutex
	lastFree    time.Time
	big         bool // a large body was read since the last free
}

const freeEvery = 5 * time.Second

// bigBody is the size from which a body counts towards handing memory back.
const bigBody = 64 << 10

func limitBodies(next http.Handler, max int) *bodyLimiter {
	return &bodyLimiter{next: next, slots: make(chan struct{}, max), readTimeout: BodyReadTimeout}
}

func (b *bodyLimiter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 && r.Method == http.MethodGet {
		b.next.ServeHTTP(w, r)
		return
	}
	select {
	case b.slots <- struct{}{}:
	case <-r.Context().Done():
		return // the client went away, or the server's read timeout passed
	}
	n := b.active.Add(1)
	for p := b.peak.Load(); n > p && !b.peak.CompareAndSwap(p, n); p = b.peak.Load() {
	}
	// The body must arrive within the read timeout of getting a slot,
	// unless the server's own read timeout is shorter already.
	if srv, _ := r.Context().Value(http.ServerContextKey).(*http.Server); srv == nil || srv.ReadTimeout <= 0 || srv.ReadTimeout > b.readTimeout {
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(b.readTimeout))
	}
	if r.ContentLength > bigBody || r.ContentLength < 0 {
		b.mu.Lock()
		b.big = true
		b.mu.Unlock()
	}
	var once sync.Once
	release := func() {
		once.Do(func() {
			last := b.active.Add(-1) == 0
			<-b.slots
			if last {
				b.idle()
			}
		})
	}
	r.Body = &releasingBody{ReadCloser: r.Body, release: release}
	defer release()
	b.next.ServeHTTP(w, r)
}

// idle runs when no body is being read: after a burst of large bodies it
// returns the memory they used to the operating system.
func (b *bodyLimiter) idle() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.big || time.Since(b.lastFree) < freeEvery {
		return
	}
	b.big, b.lastFree = false, time.Now()
	b.frees.Add(1)
	go debug.FreeOSMemory()
}

// releasingBody gives the slot back as soon as the body has been read to
// the end or closed, before the (possibly long) verification.
type releasingBody struct {
	io.ReadCloser
	release func()
}

func (r *releasingBody) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	if err != nil {
		r.release()
	}
	return n, err
}

func (r *releasingBody) Close() error {
	r.release()
	return r.ReadCloser.Close()
}
