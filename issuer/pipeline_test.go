package issuer

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// counter yields 0..n-1 to a pipeline, then blocks forever when block is
// set (a source waiting for input that never comes), or ends.
type counter struct {
	n, next int
	block   bool
	err     error // returned instead of item n, if set
}

func (c *counter) yield(v *int) (bool, error) {
	if c.next == c.n {
		if c.err != nil {
			return false, c.err
		}
		if c.block {
			select {}
		}
		return false, nil
	}
	*v = c.next
	c.next++
	return true, nil
}

// A pipeline hands every item to emit once, in order, whatever the number
// of workers and the window, and its In and Out values carry over nothing
// from one item to the next that work does not set.
func TestPipelineKeepsOrder(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 8} {
		for _, window := range []int{1, 2, 15, 16, 17, 64, 1000} {
			for _, n := range []int{0, 1, 15, 16, 17, 1000} {
				t.Run(fmt.Sprintf("w%d/win%d/n%d", workers, window, n), func(t *testing.T) {
					src := &counter{n: n}
					var got []int
					err := pipeline(context.Background(), workers, window, src.yield,
						func(in *int, out *[]byte) error {
							*out = fmt.Appendf((*out)[:0], "%d", *in*3)
							return nil
						},
						func(in *int, out *[]byte) error {
							require.Equal(t, fmt.Sprint(*in*3), string(*out))
							got = append(got, *in)
							return nil
						})
					require.NoError(t, err)
					require.Len(t, got, n)
					for i, v := range got {
						require.Equal(t, i, v)
					}
				})
			}
		}
	}
}

// The first failing item stops a pipeline: the items before it are
// emitted, none after it, and its error is returned. An error of emit, of
// work or of next returns even while next waits for input that never
// comes.
func TestPipelineStopsAtTheFirstError(t *testing.T) {
	bad := errors.New("bad item")
	for _, where := range []string{"work", "emit", "next"} {
		for _, workers := range []int{1, 2, 4} {
			t.Run(fmt.Sprintf("%s/w%d", where, workers), func(t *testing.T) {
				src := &counter{n: 500, block: true}
				if where == "next" {
					src.n, src.err, src.block = 37, bad, false
				}
				var got []int
				err := pipeline(context.Background(), workers, 64, src.yield,
					func(in *int, _ *struct{}) error {
						if where == "work" && *in == 37 {
							return bad
						}
						return nil
					},
					func(in *int, _ *struct{}) error {
						if where == "emit" && *in == 37 {
							return bad
						}
						got = append(got, *in)
						return nil
					})
				require.ErrorIs(t, err, bad)
				require.Len(t, got, 37)
				for i, v := range got {
					require.Equal(t, i, v)
				}
			})
		}
	}
}

// A pipeline whose context ends returns its error, even while next waits
// for input that never comes.
func TestPipelineStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	src := &counter{n: 100, block: true}
	emitted := 0
	err := pipeline(ctx, 2, 32, src.yield,
		func(*int, *struct{}) error { return nil },
		func(in *int, _ *struct{}) error {
			if emitted++; emitted == 50 {
				cancel()
			}
			return nil
		})
	require.ErrorIs(t, err, context.Canceled)
	require.GreaterOrEqual(t, emitted, 50)
}
