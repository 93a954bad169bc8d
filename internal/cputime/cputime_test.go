package cputime

import (
	"runtime"
	"testing"
	"time"
)

// Busy work shows as CPU time of the process and, on Linux, of the thread.
func TestCPUTimeAdvances(t *testing.T) {
	defer LockThread()()
	p0, t0 := Process(), Thread()
	deadline := time.Now().Add(50 * time.Millisecond)
	x := 0
	for time.Now().Before(deadline) {
		x++
	}
	p1, t1 := Process(), Thread()
	if runtime.GOOS == "linux" && (p1-p0 < 10*time.Millisecond || t1-t0 < 10*time.Millisecond) {
		t.Errorf("50 ms of busy work: process %v, thread %v of CPU time (%d)", p1-p0, t1-t0, x)
	}
}
