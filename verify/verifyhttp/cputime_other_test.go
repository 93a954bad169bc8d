//go:build !linux

package verifyhttp

import "time"

// processCPU is not measured on this system: the CPU figures are then 0.
func processCPU() time.Duration { return 0 }
