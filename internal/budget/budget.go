// Package budget bounds the work one verification may do. A Budget is a
// counter of abstract work units (a hash computed, a permutation tried, a
// quad serialized, a proof processed) that every costly step spends before
// it runs; when it is spent, or the caller's context has ended, the step
// stops with an error instead of running on.
//
// One Budget is shared by every step of one verification, so that no
// combination of inputs (many proofs, each cheap; one poison graph) does
// more work in total than the budget allows.
package budget

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
)

// ErrExhausted is wrapped by Spend's error when the budget is spent: the
// input asks for more work than any genuine document needs.
var ErrExhausted = errors.New("work budget exhausted")

// checkEvery is how many units may be spent between two looks at the
// context: often enough that cancellation stops work within microseconds,
// rarely enough that looking costs nothing measurable.
const checkEvery = 256

// Budget is a work allowance shared by the steps of one verification. A nil
// *Budget is unlimited but still honours the context. It is safe for
// concurrent use.
type Budget struct {
	limit int64
	spent atomic.Int64
	since atomic.Int64 // units spent since the context was last looked at
}

// New returns a Budget of limit units (limit < 1: unlimited).
func New(limit int64) *Budget {
	return &Budget{limit: limit}
}

// Limit returns the units the budget allows (0: unlimited).
func (b *Budget) Limit() int64 {
	if b == nil || b.limit < 1 {
		return 0
	}
	return b.limit
}

// Spent returns the units spent so far.
func (b *Budget) Spent() int64 {
	if b == nil {
		return 0
	}
	return b.spent.Load()
}

// Spend takes n units. It fails with an error wrapping ErrExhausted when
// the budget is spent, and with ctx's error (wrapping context.Canceled or
// context.DeadlineExceeded) when ctx has ended; the context is looked at on
// the first call and then every checkEvery units.
func (b *Budget) Spend(ctx context.Context, n int64) error {
	if b == nil {
		return ctx.Err()
	}
	total := b.spent.Add(n)
	if b.limit > 0 && total > b.limit {
		return fmt.Errorf("%w: more than %d work units", ErrExhausted, b.limit)
	}
	if s := b.since.Add(n); s >= checkEvery || total == n {
		b.since.Store(0)
		return ctx.Err()
	}
	return nil
}
