package cputime

import (
	"runtime"
	"testing"
	"time"
)

// Busy work shows as CPU time of the process and, on Linux, of the
// thread: both advance by 10 ms while the loop runs (however long that
// takes on a loaded machine).
func TestCPUTimeAdvances(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("CPU time is read on Linux only")
	}
	defer LockThread()()
	p0, t0 := Process(), Thread()
	deadline := time.Now().Add(time.Minute)
	x := 0
	for Process()-p0 < 10*time.Millisecond || Thread()-t0 < 10*time.Millisecond {
		if time.Now().After(deadline) {
			t.Fatalf("a minute of busy work: process %v, thread %v of CPU time (%d)", Process()-p0, Thread()-t0, x)
		}
		for i := 0; i < 1e5; i++ {
			x++
		}
	}
}
