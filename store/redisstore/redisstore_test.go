package redisstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/internal/redistest"
	"github.com/badgeproof/badgeproof/store"
	"github.com/badgeproof/badgeproof/store/redisstore"
	"github.com/badgeproof/badgeproof/store/storetest"
	"github.com/redis/go-redis/v9"
)

// TestContract runs the store contract on two Stores with their own Redis
// connections to one real redis-server: two instances of a fleet.
func TestContract(t *testing.T) {
	addr := redistest.Start(t)
	storetest.Run(t, func(t *testing.T) (store.Store, store.Store) {
		return open(t, addr, redisstore.DefaultPrefix), open(t, addr, redisstore.DefaultPrefix)
	}, 200*time.Millisecond)
}

func open(t *testing.T, addr, prefix string) *redisstore.Store {
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { rdb.Close() })
	s, err := redisstore.New(rdb, redisstore.WithPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPrefixesSeparate(t *testing.T) {
	addr := redistest.Start(t)
	a, b := open(t, addr, "app-a:"), open(t, addr, "app-b:")
	ctx := context.Background()
	if err := a.Create(ctx, "k", []byte("a"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := b.Create(ctx, "k", []byte("b"), time.Minute); err != nil {
		t.Fatalf("another prefix's key collided: %v", err)
	}
	if _, err := redisstore.New(nil); err == nil {
		t.Fatal("nil client accepted")
	}
}

func TestUnreachable(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer rdb.Close()
	s, _ := redisstore.New(rdb)
	err := s.Create(context.Background(), "k", nil, time.Minute)
	if err == nil || errors.Is(err, store.ErrExists) {
		t.Fatalf("create on an unreachable Redis: %v", err)
	}
}
