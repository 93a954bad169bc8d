// Package redisstore is a [store.Store] in Redis, for verifier instances
// behind a load balancer that share OpenID4VP transactions and single-use
// challenges. Creation and completion are each one Lua script, so they are
// atomic across every instance talking to the same Redis: a transaction is
// completed once, whichever instance receives the response.
package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/badgeproof/badgeproof/store"
	"github.com/redis/go-redis/v9"
)

// DefaultPrefix is put before every key unless WithPrefix says otherwise.
const DefaultPrefix = "badgeproof:"

// Store is a store.Store in Redis. Make it with New.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ store.Store = (*Store)(nil)

// Option configures a Store.
type Option func(*Store) error

// WithPrefix sets the prefix of every key this store writes, so that several
// applications can share one Redis.
func WithPrefix(p string) Option {
	return func(s *Store) error {
		if p == "" || len(p) > 64 {
			return fmt.Errorf("redisstore: prefix of %d bytes, want 1 to 64", len(p))
		}
		s.prefix = p
		return nil
	}
}

// New makes a Store on rdb (a *redis.Client, *redis.ClusterClient or
// failover client). The caller keeps ownership of rdb and closes it.
func New(rdb redis.UniversalClient, opts ...Option) (*Store, error) {
	if rdb == nil {
		return nil, errors.New("redisstore: nil client")
	}
	s := &Store{rdb: rdb, prefix: DefaultPrefix}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Each entry is a hash: v the value, c "1" once completed, r the result;
// its key expires with the entry.
var (
	createScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'c', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`)
	completeScript = redis.NewScript(`
local c = redis.call('HGET', KEYS[1], 'c')
if not c then return -1 end
if c == '1' then return 0 end
redis.call('HSET', KEYS[1], 'c', '1', 'r', ARGV[1])
return 1`)
	loadScript = redis.NewScript(`
local h = redis.call('HMGET', KEYS[1], 'v', 'c', 'r')
if not h[2] then return false end
return {h[1], h[2], h[3] or '', redis.call('PTTL', KEYS[1])}`)
)

// Create implements store.Store.
func (s *Store) Create(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := store.CheckArgs(key, value, ttl); err != nil {
		return err
	}
	ms := ttl.Milliseconds()
	if ms < 1 {
		ms = 1
	}
	n, err := createScript.Run(ctx, s.rdb, []string{s.prefix + key}, value, ms).Int()
	if err != nil {
		return fmt.Errorf("redisstore: create: %w", err)
	}
	if n == 0 {
		return store.ErrExists
	}
	return nil
}

// Load implements store.Store.
func (s *Store) Load(ctx context.Context, key string) (store.Entry, error) {
	res, err := loadScript.Run(ctx, s.rdb, []string{s.prefix + key}).Slice()
	if errors.Is(err, redis.Nil) {
		return store.Entry{}, store.ErrNotFound
	}
	if err != nil {
		return store.Entry{}, fmt.Errorf("redisstore: load: %w", err)
	}
	if len(res) != 4 {
		return store.Entry{}, fmt.Errorf("redisstore: load: unexpected reply of %d items", len(res))
	}
	str := func(v any) string { s, _ := v.(string); return s }
	pttl, _ := res[3].(int64)
	if pttl < 0 {
		// -2: gone between the calls; -1: no expiry, which this store never sets.
		return store.Entry{}, store.ErrNotFound
	}
	e := store.Entry{Value: []byte(str(res[0])), Completed: str(res[1]) == "1", Expires: time.Now().Add(time.Duration(pttl) * time.Millisecond)}
	if e.Completed {
		e.Result = []byte(str(res[2]))
	}
	return e, nil
}

// Complete implements store.Store.
func (s *Store) Complete(ctx context.Context, key string, result []byte) error {
	if len(result) > store.MaxValueBytes {
		return fmt.Errorf("redisstore: result of %d bytes, more than %d", len(result), store.MaxValueBytes)
	}
	n, err := completeScript.Run(ctx, s.rdb, []string{s.prefix + key}, result).Int()
	if err != nil {
		return fmt.Errorf("redisstore: complete: %w", err)
	}
	switch n {
	case -1:
		return store.ErrNotFound
	case 0:
		return store.ErrCompleted
	}
	return nil
}

// String names the store in logs.
func (s *Store) String() string { return "redis store, prefix " + strconv.Quote(s.prefix) }
