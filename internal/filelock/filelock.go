// Package filelock takes exclusive advisory locks on open files, the same
// way on every platform the SDK writes files from: flock(2) on Unix and
// LockFileEx on Windows.
//
// A lock belongs to the open file (the *os.File), not to the process: two
// opens of one file conflict even within one process, and a lock is
// released by Unlock, by closing the file, or by the operating system when
// the process dies, so a crash never leaves a stale lock behind.
//
// On platforms with neither mechanism (js, wasip1, plan9) every function
// returns an error wrapping [errors.ErrUnsupported]; callers decide whether
// they can go on without a lock between processes.
package filelock

import (
	"errors"
	"os"
)

// ErrLocked is returned by TryLock when another open file holds the lock.
var ErrLocked = errors.New("filelock: file is locked by another holder")

// Lock takes an exclusive lock on f, waiting while another open file holds
// it.
func Lock(f *os.File) error { return lock(f, true) }

// TryLock takes an exclusive lock on f if it is free, and returns an error
// wrapping ErrLocked at once if it is not.
func TryLock(f *os.File) error { return lock(f, false) }

// Unlock releases the lock f holds.
func Unlock(f *os.File) error { return unlock(f) }
