package verifyhttp

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time this process has used, on all its
// threads (the garbage collector's included): on a shared machine a cost
// per CPU second is the work's own, while a cost per wall second also
// counts the load of other processes.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
