package ttlcache

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
)

// Options configure a Cache. The zero value of every field but Size is
// usable.
type Options[V any] struct {
	// Size is the number of entries kept (at least 1).
	Size int
	// Now is the clock expiry is measured against (default time.Now).
	Now func() time.Time
	// Clone, when set, copies a value: the cache keeps Clone(loaded) and
	// hands each caller its own Clone of what it holds. Without it values
	// are shared; see the package documentation.
	Clone func(V) V
}

// Loader produces the value for a key and says until when it may be kept.
// An expiry that is not after the cache's current time (the zero time
// included) means the value is handed to the waiting callers but not kept.
type Loader[V any] func(ctx context.Context) (v V, expires time.Time)

// Cache is a bounded, least-recently-used cache of values with per-entry
// expiry whose concurrent loads of one key are merged. It is safe for
// concurrent use.
type Cache[V any] struct {
	lru   *lru.Cache[string, entry[V]]
	group singleflight.Group
	now   func() time.Time
	clone func(V) V
	// hits and misses count Get's answers: from an unexpired entry, or
	// through a load (run or joined).
	hits, misses atomic.Uint64
}

// Stats counts what Get answered since the cache was made.
type Stats struct {
	Hits   uint64 // answered from an unexpired entry
	Misses uint64 // answered by a load, run or joined
}

// Stats returns the counts of Get's answers so far.
func (c *Cache[V]) Stats() Stats {
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load()}
}

type entry[V any] struct {
	val     V
	expires time.Time
}

// New returns an empty Cache.
func New[V any](o Options[V]) (*Cache[V], error) {
	if o.Size < 1 {
		return nil, fmt.Errorf("ttlcache: size %d, want at least 1", o.Size)
	}
	l, err := lru.New[string, entry[V]](o.Size)
	if err != nil {
		return nil, fmt.Errorf("ttlcache: %w", err)
	}
	c := &Cache[V]{lru: l, now: o.Now, clone: o.Clone}
	if c.now == nil {
		c.now = time.Now
	}
	if c.clone == nil {
		c.clone = func(v V) V { return v }
	}
	return c, nil
}

// ErrNilLoader is returned by Get when a miss finds no loader to run.
var ErrNilLoader = errors.New("ttlcache: nil loader")

// Get returns the unexpired value held for key. On a miss it runs load,
// once for all callers asking for key at the same time, keeps the value
// until the expiry load returns, and hands it to every one of them.
//
// The only errors are ctx's, when ctx is done before a load starts (then
// none is started) or before it finishes (the load goes on and its value is
// still kept), and ErrNilLoader. Failures of
// the load itself belong in V, so that the loader can choose how long they
// are remembered.
func (c *Cache[V]) Get(ctx context.Context, key string, load Loader[V]) (V, error) {
	if v, ok := c.Peek(key); ok {
		c.hits.Add(1)
		return v, nil
	}
	if load == nil {
		var zero V
		return zero, ErrNilLoader
	}
	// A caller that has given up starts no load (a badge naming hundreds
	// of URLs must not set them all off once its deadline has passed).
	if err := ctx.Err(); err != nil {
		var zero V
		return zero, err
	}
	c.misses.Add(1)
	ch := c.group.DoChan(key, func() (any, error) {
		// An earlier flight may have filled the entry since the check above.
		if e, ok := c.live(key); ok {
			return e.val, nil
		}
		v, expires := load(context.WithoutCancel(ctx))
		v = c.clone(v)
		if c.now().Before(expires) {
			c.lru.Add(key, entry[V]{val: v, expires: expires})
		}
		return v, nil
	})
	select {
	case res := <-ch:
		return c.clone(res.Val.(V)), nil
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// Peek returns the unexpired value held for key without loading it.
func (c *Cache[V]) Peek(key string) (V, bool) {
	e, ok := c.live(key)
	if !ok {
		var zero V
		return zero, false
	}
	return c.clone(e.val), true
}

// live returns key's entry if it has not expired, dropping it if it has.
func (c *Cache[V]) live(key string) (entry[V], bool) {
	e, ok := c.lru.Get(key)
	if !ok {
		return entry[V]{}, false
	}
	if !c.now().Before(e.expires) {
		c.lru.Remove(key)
		return entry[V]{}, false
	}
	return e, true
}

// Remove drops key's entry, if any.
func (c *Cache[V]) Remove(key string) { c.lru.Remove(key) }

// Purge drops every entry.
func (c *Cache[V]) Purge() { c.lru.Purge() }

// Len returns the number of entries held, expired ones included until they
// are next looked up or evicted.
func (c *Cache[V]) Len() int { return c.lru.Len() }
