package verify

import (
	"context"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
)

// remoteCache keeps documents fetched from the network (status lists, DID
// documents) for a bounded time, shared by every call on a Verifier, and
// fetches each one once for all concurrent callers. Expiry is wall-clock
// time, not the verifier's clock, which may be set to verify as of a past
// date.
type remoteCache[T any] struct {
	lru   *lru.Cache[string, cached[T]]
	group singleflight.Group
}

type cached[T any] struct {
	val     T
	expires time.Time
}

func newRemoteCache[T any](size int) (*remoteCache[T], error) {
	c, err := lru.New[string, cached[T]](size)
	if err != nil {
		return nil, err
	}
	return &remoteCache[T]{lru: c}, nil
}

// get returns the live cached value for key, or runs load once for all
// callers asking at the same time and keeps its value until the time load
// returns. load runs detached from ctx's cancellation (it has its own
// timeouts), since other callers may be waiting for it; a caller whose ctx
// ends first gets ctx's error.
func (c *remoteCache[T]) get(ctx context.Context, key string, load func(context.Context) (T, time.Time)) (T, error) {
	if e, ok := c.lru.Get(key); ok && time.Now().Before(e.expires) {
		return e.val, nil
	}
	ch := c.group.DoChan(key, func() (any, error) {
		v, expires := load(context.WithoutCancel(ctx))
		if time.Now().Before(expires) {
			c.lru.Add(key, cached[T]{val: v, expires: expires})
		}
		return v, nil
	})
	select {
	case res := <-ch:
		return res.Val.(T), nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
