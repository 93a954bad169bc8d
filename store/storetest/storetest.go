// Package storetest checks that a [store.Store] keeps the contract: creation
// is set-if-absent, completion happens exactly once also under concurrency,
// and entries expire. Implementations of one's own run it in their tests.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/store"
)

// Run checks the contract on the stores made by two calls of open, which
// must share one backend (two instances of a fleet); memory stores may
// return the same store twice. Entries are made with a ttl of at least
// expiry, and the test waits that long for them to expire.
func Run(t *testing.T, open func(t *testing.T) (a, b store.Store), expiry time.Duration) {
	ctx := context.Background()
	key := func() string {
		var b [12]byte
		rand.Read(b[:])
		return "storetest:" + hex.EncodeToString(b[:])
	}
	t.Run("create-load-complete", func(t *testing.T) {
		a, b := open(t)
		k := key()
		if err := a.Create(ctx, k, []byte("value"), time.Minute); err != nil {
			t.Fatalf("create: %v", err)
		}
		if err := b.Create(ctx, k, []byte("other"), time.Minute); !errors.Is(err, store.ErrExists) {
			t.Fatalf("second create of %s: got %v, want ErrExists", k, err)
		}
		e, err := b.Load(ctx, k)
		if err != nil || string(e.Value) != "value" || e.Completed || len(e.Result) != 0 {
			t.Fatalf("load on the other instance: %+v, %v", e, err)
		}
		if d := time.Until(e.Expires); d <= 0 || d > time.Minute+time.Second {
			t.Fatalf("expires in %v, want within a minute", d)
		}
		if err := b.Complete(ctx, k, []byte("result")); err != nil {
			t.Fatalf("complete on the other instance: %v", err)
		}
		if err := a.Complete(ctx, k, []byte("again")); !errors.Is(err, store.ErrCompleted) {
			t.Fatalf("second complete: got %v, want ErrCompleted", err)
		}
		e, err = a.Load(ctx, k)
		if err != nil || !e.Completed || string(e.Result) != "result" || string(e.Value) != "value" {
			t.Fatalf("load after completion: %+v, %v", e, err)
		}
	})
	t.Run("not-found", func(t *testing.T) {
		a, _ := open(t)
		k := key()
		if _, err := a.Load(ctx, k); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("load of a missing key: %v", err)
		}
		if err := a.Complete(ctx, k, nil); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("complete of a missing key: %v", err)
		}
	})
	t.Run("bounds", func(t *testing.T) {
		a, _ := open(t)
		for _, tc := range []struct {
			key string
			ttl time.Duration
		}{{"", time.Minute}, {string(make([]byte, store.MaxKeyBytes+1)), time.Minute}, {key(), 0}, {key(), -time.Second}} {
			if err := a.Create(ctx, tc.key, nil, tc.ttl); err == nil {
				t.Errorf("create with key of %d bytes and ttl %v succeeded", len(tc.key), tc.ttl)
			}
		}
	})
	t.Run("exactly-once", func(t *testing.T) {
		a, b := open(t)
		k := key()
		if err := a.Create(ctx, k, nil, time.Minute); err != nil {
			t.Fatal(err)
		}
		var wins, completed atomic.Int32
		var wg sync.WaitGroup
		for i := range 32 {
			s := a
			if i%2 == 1 {
				s = b
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				switch err := s.Complete(ctx, k, []byte{byte(i)}); {
				case err == nil:
					wins.Add(1)
				case errors.Is(err, store.ErrCompleted):
					completed.Add(1)
				default:
					t.Errorf("complete: %v", err)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 || completed.Load() != 31 {
			t.Fatalf("%d completions succeeded and %d were refused, want 1 and 31", wins.Load(), completed.Load())
		}
		var created atomic.Int32
		k2 := key()
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := a
				if i%2 == 1 {
					s = b
				}
				if s.Create(ctx, k2, nil, time.Minute) == nil {
					created.Add(1)
				}
			}()
		}
		wg.Wait()
		if created.Load() != 1 {
			t.Fatalf("%d concurrent creations of one key succeeded, want 1", created.Load())
		}
	})
	t.Run("expiry", func(t *testing.T) {
		a, b := open(t)
		k := key()
		if err := a.Create(ctx, k, []byte("v"), expiry); err != nil {
			t.Fatal(err)
		}
		time.Sleep(expiry + 50*time.Millisecond)
		if _, err := b.Load(ctx, k); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("load after expiry: %v", err)
		}
		if err := b.Complete(ctx, k, nil); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("complete after expiry: %v", err)
		}
		if err := b.Create(ctx, k, []byte("new"), time.Minute); err != nil {
			t.Fatalf("create after expiry: %v", err)
		}
	})
}
