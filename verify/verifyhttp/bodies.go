package verifyhttp

import (
	"context"
	"errors"
	"io"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

// Limits on request bodies of the server Server builds. A client that
// uploads slowly holds what it has sent for as long as it takes; these
// bound the memory all bodies hold together and how long one may take,
// without letting slow clients hold up fast ones.
const (
	// MaxBodyMemory bounds the bytes of request bodies held in memory at
	// once, over all requests. Bodies take it as they arrive, a chunk at a
	// time, so a slow upload holds only what it has sent; when it is all
	// taken, reading waits (within the body's read timeout) for requests
	// to finish. (The handler's buffers may hold up to about twice that.)
	MaxBodyMemory = 64 << 20
	// BodyReadTimeout is how long reading one request's body may take.
	BodyReadTimeout = 10 * time.Second
)

// bodyChunk is how much of a body is read (and its memory taken) at a time.
const bodyChunk = 32 << 10

// errBodyMemory is the read error of a body that could not get memory
// within its read timeout.
var errBodyMemory = errors.New("verifyhttp: the server is short of memory for request bodies")

// bodyLimiter charges request bodies to one memory allowance. When no
// body is held any more after a burst of large ones, it hands the freed
// memory back to the operating system (at most once per freeEvery), so a
// server's footprint after a load returns to its idle size.
type bodyLimiter struct {
	next        http.Handler
	mem         *semaphore.Weighted
	readTimeout time.Duration
	held        atomic.Int64 // bytes held by bodies now
	peak        atomic.Int64 // most bytes held at once, for tests
	active      atomic.Int64 // requests with a body under way
	frees       atomic.Int64 // times memory was handed back

	mu       sync.Mutex
	lastFree time.Time
	big      bool // a large body was read since the last free
}

const freeEvery = 5 * time.Second

// bigBody is the size from which a body counts towards handing memory back.
const bigBody = 64 << 10

func limitBodies(next http.Handler, memory int64) *bodyLimiter {
	return &bodyLimiter{next: next, mem: semaphore.NewWeighted(memory), readTimeout: BodyReadTimeout}
}

func (b *bodyLimiter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody {
		b.next.ServeHTTP(w, r)
		return
	}
	deadline := time.Now().Add(b.readTimeout)
	// The body must arrive within the read timeout, unless the server's
	// own read timeout is shorter already.
	if srv, _ := r.Context().Value(http.ServerContextKey).(*http.Server); srv == nil || srv.ReadTimeout <= 0 || srv.ReadTimeout > b.readTimeout {
		_ = http.NewResponseController(w).SetReadDeadline(deadline)
	}
	b.active.Add(1)
	body := &chargedBody{ReadCloser: r.Body, l: b, ctx: r.Context(), deadline: deadline}
	r.Body = body
	defer func() {
		body.releaseAll()
		if b.active.Add(-1) == 0 {
			b.idle()
		}
	}()
	b.next.ServeHTTP(w, r)
}

// idle runs when no body is under way: after a burst of large bodies it
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

// chargedBody takes memory from the limiter for each chunk it reads, and
// gives it all back when the request is done.
type chargedBody struct {
	io.ReadCloser
	l        *bodyLimiter
	ctx      context.Context
	deadline time.Time
	mu       sync.Mutex
	held     int64
}

func (c *chargedBody) Read(p []byte) (int, error) {
	if len(p) > bodyChunk {
		p = p[:bodyChunk]
	}
	// Read first, then pay for what arrived: a slow client waiting in Read
	// holds nothing, and when the allowance is spent this body waits here
	// (within its deadline) before the handler sees more of it.
	n, err := c.ReadCloser.Read(p)
	if n > 0 {
		ctx, cancel := context.WithDeadline(c.ctx, c.deadline)
		aerr := c.l.mem.Acquire(ctx, int64(n))
		cancel()
		if aerr != nil {
			return 0, errBodyMemory
		}
		c.mu.Lock()
		c.held += int64(n)
		held := c.held
		c.mu.Unlock()
		h := c.l.held.Add(int64(n))
		for pk := c.l.peak.Load(); h > pk && !c.l.peak.CompareAndSwap(pk, h); pk = c.l.peak.Load() {
		}
		if held > bigBody {
			c.l.mu.Lock()
			c.l.big = true
			c.l.mu.Unlock()
		}
	}
	return n, err
}

func (c *chargedBody) releaseAll() {
	c.mu.Lock()
	n := c.held
	c.held = 0
	c.mu.Unlock()
	if n > 0 {
		c.l.held.Add(-n)
		c.l.mem.Release(n)
	}
}
