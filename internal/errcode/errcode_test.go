package errcode

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

var (
	errA = errors.New("a")
	errB = errors.New("b")
)

type sliceErr struct{ errs []error }

func (e sliceErr) Error() string   { return "several" }
func (e sliceErr) Unwrap() []error { return e.errs }

func TestLookup(t *testing.T) {
	table := map[error]string{errA: "a_code", errB: "b_code"}
	require.Equal(t, "", Lookup(nil, table))
	require.Equal(t, "", Lookup(errors.New("other"), table))
	require.Equal(t, "a_code", Lookup(errA, table))
	require.Equal(t, "b_code", Lookup(fmt.Errorf("wrapped: %w", errB), table))
	require.Equal(t, "a_code", Lookup(fmt.Errorf("%w: %w", errA, errB), table), "outermost first")
	require.Equal(t, "b_code", Lookup(fmt.Errorf("%w: %w", errors.New("x"), errB), table))
	require.Equal(t, "b_code", Lookup(sliceErr{errs: []error{errors.New("x"), errB}}, table), "an uncomparable error is walked, not hashed")
}
