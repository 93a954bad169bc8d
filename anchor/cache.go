package anchor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
)

// Cache defaults; see NewCache.
const (
	DefaultCacheSize        = 4096
	DefaultCacheTTL         = 10 * time.Minute
	DefaultMinConfirmations = 12
	DefaultShallowTTL       = 15 * time.Second
	DefaultNegativeTTL      = 10 * time.Second
	DefaultLookupTimeout    = 30 * time.Second
)

// Cache is a Resolver that remembers what another Resolver answered and
// asks it only once for concurrent lookups of the same Ref.
//
// What is kept, and for how long:
//
//   - A Record with at least the minimum number of confirmations
//     (DefaultMinConfirmations), or from a chain whose records are final
//     (the ledger and mocknet by default): the full TTL (DefaultCacheTTL).
//   - A Record with fewer confirmations, including 0 (unknown): only the
//     shallow TTL (DefaultShallowTTL), since a block that shallow may still
//     be replaced and the count goes up as the chain grows.
//   - ErrNotFound, ErrCorrupt, ErrChainMismatch, ErrUnsupported: the
//     negative TTL (DefaultNegativeTTL), so that a thousand badges naming one
//     missing anchor ask once, while a transaction that was merely late is
//     seen soon.
//   - Anything else, ErrUnavailable and context errors included: never. The
//     next lookup asks again.
//
// Entries are evicted least-recently-used beyond the size limit.
//
// A shared lookup runs with its own timeout (DefaultLookupTimeout) on a
// context that keeps the first caller's values but not its cancellation,
// so one caller giving up does not fail the others; each caller still
// returns as soon as its own context is done.
type Cache struct {
	inner Resolver
	cfg   cacheConfig
	lru   *lru.Cache[string, cacheEntry]
	group singleflight.Group
}

var _ Resolver = (*Cache)(nil)

type cacheEntry struct {
	rec     Record
	err     error
	expires time.Time
}

type cacheConfig struct {
	size          int
	ttl           time.Duration
	minConf       uint64
	shallowTTL    time.Duration
	negativeTTL   time.Duration
	lookupTimeout time.Duration
	final         map[string]bool
	now           func() time.Time
}

// CacheOption configures a Cache.
type CacheOption func(*cacheConfig) error

// WithCacheSize sets how many Refs the cache holds (at least 1).
func WithCacheSize(n int) CacheOption {
	return func(c *cacheConfig) error {
		if n < 1 {
			return fmt.Errorf("anchor: cache size %d, want at least 1", n)
		}
		c.size = n
		return nil
	}
}

// WithCacheTTL sets how long a confirmed Record is kept (positive).
func WithCacheTTL(d time.Duration) CacheOption {
	return func(c *cacheConfig) error {
		if d <= 0 {
			return fmt.Errorf("anchor: cache TTL %v, want positive", d)
		}
		c.ttl = d
		return nil
	}
}

// WithMinConfirmations sets the confirmations a Record needs to be kept for
// the full TTL; shallower Records are kept for shallowTTL (0: not kept).
func WithMinConfirmations(n uint64, shallowTTL time.Duration) CacheOption {
	return func(c *cacheConfig) error {
		if shallowTTL < 0 {
			return fmt.Errorf("anchor: shallow TTL %v is negative", shallowTTL)
		}
		c.minConf, c.shallowTTL = n, shallowTTL
		return nil
	}
}

// WithFinalChains names the chains whose records never change once
// written, so that they are kept for the full TTL whatever their
// confirmations. The default is ChainLedger and ChainMock.
func WithFinalChains(chains ...string) CacheOption {
	return func(c *cacheConfig) error {
		c.final = make(map[string]bool, len(chains))
		for _, ch := range chains {
			c.final[ch] = true
		}
		return nil
	}
}

// WithNegativeTTL sets how long ErrNotFound, ErrCorrupt, ErrChainMismatch
// and ErrUnsupported answers are kept (0: not kept).
func WithNegativeTTL(d time.Duration) CacheOption {
	return func(c *cacheConfig) error {
		if d < 0 {
			return fmt.Errorf("anchor: negative TTL %v is negative", d)
		}
		c.negativeTTL = d
		return nil
	}
}

// WithLookupTimeout bounds each lookup of the wrapped Resolver (positive).
func WithLookupTimeout(d time.Duration) CacheOption {
	return func(c *cacheConfig) error {
		if d <= 0 {
			return fmt.Errorf("anchor: lookup timeout %v, want positive", d)
		}
		c.lookupTimeout = d
		return nil
	}
}

// WithClock sets the clock used for expiry (default time.Now).
func WithClock(now func() time.Time) CacheOption {
	return func(c *cacheConfig) error {
		if now == nil {
			return errors.New("anchor: nil clock")
		}
		c.now = now
		return nil
	}
}

// NewCache wraps inner.
func NewCache(inner Resolver, opts ...CacheOption) (*Cache, error) {
	if inner == nil {
		return nil, errors.New("anchor: NewCache with a nil Resolver")
	}
	cfg := cacheConfig{
		size:          DefaultCacheSize,
		ttl:           DefaultCacheTTL,
		minConf:       DefaultMinConfirmations,
		shallowTTL:    DefaultShallowTTL,
		negativeTTL:   DefaultNegativeTTL,
		lookupTimeout: DefaultLookupTimeout,
		final:         map[string]bool{ChainLedger: true, ChainMock: true},
		now:           time.Now,
	}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	l, err := lru.New[string, cacheEntry](cfg.size)
	if err != nil {
		return nil, fmt.Errorf("anchor: cache: %w", err)
	}
	return &Cache{inner: inner, cfg: cfg, lru: l}, nil
}

func cacheKey(ref Ref) string {
	return ref.Chain + "\x00" + ref.Network + "\x00" + ref.ID
}

// Resolve answers from the cache when it can and asks the wrapped Resolver
// otherwise, once for all concurrent callers of the same Ref.
func (c *Cache) Resolve(ctx context.Context, ref Ref) (Record, error) {
	key := cacheKey(ref)
	if e, ok := c.lookup(key); ok {
		return cloneRecord(e.rec), e.err
	}
	ch := c.group.DoChan(key, func() (any, error) {
		// Another flight may have filled the entry since the check above.
		if e, ok := c.lookup(key); ok {
			return e, nil
		}
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.lookupTimeout)
		defer cancel()
		rec, err := c.inner.Resolve(lctx, ref)
		rec.Root = bytes.Clone(rec.Root)
		e := cacheEntry{rec: rec, err: err}
		if ttl := c.ttlFor(ref, rec, err); ttl > 0 {
			e.expires = c.cfg.now().Add(ttl)
			c.lru.Add(key, e)
		}
		return e, nil
	})
	select {
	case res := <-ch:
		e := res.Val.(cacheEntry)
		return cloneRecord(e.rec), e.err
	case <-ctx.Done():
		return Record{}, fmt.Errorf("%w: %s: %w", ErrUnavailable, ref, ctx.Err())
	}
}

// lookup returns the unexpired entry for key, sharing its Root.
func (c *Cache) lookup(key string) (cacheEntry, bool) {
	e, ok := c.lru.Get(key)
	if !ok {
		return cacheEntry{}, false
	}
	if !c.cfg.now().Before(e.expires) {
		c.lru.Remove(key)
		return cacheEntry{}, false
	}
	return e, true
}

// cloneRecord copies r's Root: every Record handed out by the cache gets its
// own, so that no caller can change what the cache or another caller holds.
func cloneRecord(r Record) Record {
	r.Root = bytes.Clone(r.Root)
	return r
}

func (c *Cache) ttlFor(ref Ref, rec Record, err error) time.Duration {
	switch {
	case err == nil:
		if c.cfg.final[ref.Chain] || rec.Confirmations >= c.cfg.minConf {
			return c.cfg.ttl
		}
		return c.cfg.shallowTTL
	case errors.Is(err, ErrUnavailable):
		return 0
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrCorrupt),
		errors.Is(err, ErrChainMismatch), errors.Is(err, ErrUnsupported):
		return c.cfg.negativeTTL
	}
	return 0
}

// Purge empties the cache.
func (c *Cache) Purge() { c.lru.Purge() }

// Len returns the number of entries held, expired ones included until they
// are next looked up or evicted.
func (c *Cache) Len() int { return c.lru.Len() }
