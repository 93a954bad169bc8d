package budget

import (
	"context"
	"errors"
	"testing"
)

func TestSpendStopsAtLimit(t *testing.T) {
	b := New(10)
	for i := 0; i < 10; i++ {
		if err := b.Spend(context.Background(), 1); err != nil {
			t.Fatalf("unit %d: %v", i, err)
		}
	}
	if err := b.Spend(context.Background(), 1); !errors.Is(err, ErrExhausted) {
		t.Fatalf("11th unit of a 10-unit budget: %v, want ErrExhausted", err)
	}
	if b.Spent() != 11 || b.Limit() != 10 {
		t.Fatalf("spent %d limit %d", b.Spent(), b.Limit())
	}
}

func TestSpendHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	b := New(0)
	if err := b.Spend(ctx, 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	var err error
	for i := 0; i < 2*checkEvery && err == nil; i++ {
		err = b.Spend(ctx, 1)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("after cancel: %v, want context.Canceled within %d units", err, checkEvery)
	}
	var nilBudget *Budget
	if err := nilBudget.Spend(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("nil budget after cancel: %v", err)
	}
}
