package verify

import "time"

// cost is what a benchmark spent per operation: wall time and the
// process's CPU time, in nanoseconds.
type cost struct{ wall, cpu float64 }

// meter starts measuring; its result gives the cost per operation of n
// operations done since.
func meter() func(n int) cost {
	w, c := time.Now(), processCPU()
	return func(n int) cost {
		return cost{wall: float64(time.Since(w).Nanoseconds()) / float64(n), cpu: float64((processCPU() - c).Nanoseconds()) / float64(n)}
	}
}
