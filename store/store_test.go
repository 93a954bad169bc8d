package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/store"
	"github.com/badgeproof/badgeproof/store/storetest"
)

func TestMemoryContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (store.Store, store.Store) {
		m, err := store.NewMemory(0, nil)
		if err != nil {
			t.Fatal(err)
		}
		return m, m
	}, 100*time.Millisecond)
}

func TestMemoryFull(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	m, err := store.NewMemory(2, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, k := range []string{"a", "b"} {
		if err := m.Create(ctx, k, nil, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Create(ctx, "c", nil, time.Minute); !errors.Is(err, store.ErrFull) {
		t.Fatalf("third entry in a store of two: %v", err)
	}
	now = now.Add(2 * time.Minute)
	if err := m.Create(ctx, "c", nil, time.Minute); err != nil {
		t.Fatalf("after the others expired: %v", err)
	}
	if m.Len() != 1 {
		t.Fatalf("expired entries kept: %d entries", m.Len())
	}
	if _, err := store.NewMemory(-1, nil); err == nil {
		t.Fatal("negative maximum accepted")
	}
}
