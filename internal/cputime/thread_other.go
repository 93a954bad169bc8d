//go:build !linux

package cputime

import "time"

var start = time.Now()

// Thread falls back to wall time where a thread's CPU time is not read.
func Thread() time.Duration { return time.Since(start) }
