// Package cputime reads the CPU time a process or a thread has used, for
// benchmarks and load measurements that state a cost per CPU second: on a
// shared machine that cost is the work's own, while a cost per wall second
// also counts the load of other processes.
package cputime

import "runtime"

// LockThread locks the calling goroutine to its thread, so that Thread
// measures its work, and returns the function that unlocks it.
func LockThread() func() {
	runtime.LockOSThread()
	return runtime.UnlockOSThread
}
