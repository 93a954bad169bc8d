//go:build !linux

package merkle

import "time"

var processStart = time.Now()

// threadCPU falls back to wall time where a thread's CPU time is not read.
func threadCPU() time.Duration { return time.Since(processStart) }

func lockThread() func() { return func() {} }
