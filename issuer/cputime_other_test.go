//go:build !linux

package issuer_test

import "time"

var processStart = time.Now()

// processCPU falls back to wall time where the process's CPU time is not read.
func processCPU() time.Duration { return time.Since(processStart) }
