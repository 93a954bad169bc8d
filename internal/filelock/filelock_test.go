package filelock

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func supported(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "windows" && !isUnix() {
		t.Skipf("no file locks on %s", runtime.GOOS)
	}
}

func isUnix() bool {
	switch runtime.GOOS {
	case "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "linux", "netbsd", "openbsd", "solaris":
		return true
	}
	return false
}

func open(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// Two opens of one file in one process exclude each other, and the lock
// passes over when released.
func TestTwoOpensOfOneFile(t *testing.T) {
	supported(t)
	path := filepath.Join(t.TempDir(), "lock")
	a, b := open(t, path), open(t, path)

	if err := TryLock(a); err != nil {
		t.Fatalf("TryLock a: %v", err)
	}
	if err := TryLock(b); !errors.Is(err, ErrLocked) {
		t.Fatalf("TryLock b while a holds the lock: %v, want ErrLocked", err)
	}
	if err := Unlock(a); err != nil {
		t.Fatalf("Unlock a: %v", err)
	}
	if err := TryLock(b); err != nil {
		t.Fatalf("TryLock b after a released: %v", err)
	}
	if err := TryLock(a); !errors.Is(err, ErrLocked) {
		t.Fatalf("TryLock a while b holds the lock: %v, want ErrLocked", err)
	}
	if err := Unlock(b); err != nil {
		t.Fatalf("Unlock b: %v", err)
	}
}

// Lock waits for the holder to let go.
func TestLockWaits(t *testing.T) {
	supported(t)
	path := filepath.Join(t.TempDir(), "lock")
	a, b := open(t, path), open(t, path)
	if err := Lock(a); err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() { got <- Lock(b) }()
	select {
	case err := <-got:
		t.Fatalf("Lock b returned (%v) while a held the lock", err)
	case <-time.After(100 * time.Millisecond):
	}
	if err := Unlock(a); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("Lock b: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Lock b still waiting after a released the lock")
	}
	if err := Unlock(b); err != nil {
		t.Fatal(err)
	}
}

// Closing the file releases its lock.
func TestCloseReleases(t *testing.T) {
	supported(t)
	path := filepath.Join(t.TempDir(), "lock")
	a, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := Lock(a); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if err := TryLock(open(t, path)); err != nil {
		t.Fatalf("TryLock after the holder closed its file: %v", err)
	}
}

const helperEnv = "FILELOCK_TEST_TRYLOCK"

// TestMain doubles as the child process of TestOtherProcess: with helperEnv
// set it tries the lock on the file it names and exits 3 if it is held.
func TestMain(m *testing.M) {
	path := os.Getenv(helperEnv)
	if path == "" {
		os.Exit(m.Run())
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		os.Exit(2)
	}
	err = TryLock(f)
	switch {
	case errors.Is(err, ErrLocked):
		os.Exit(3)
	case err != nil:
		os.Exit(2)
	}
	os.Exit(0)
}

// A lock held here is seen by another process, and released when let go.
func TestOtherProcess(t *testing.T) {
	supported(t)
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "lock")
	a := open(t, path)
	child := func() int {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), helperEnv+"="+path)
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatalf("child: %v", err)
		}
		return 0
	}
	if err := Lock(a); err != nil {
		t.Fatal(err)
	}
	if code := child(); code != 3 {
		t.Fatalf("child TryLock while this process holds the lock: exit %d, want 3 (locked)", code)
	}
	if err := Unlock(a); err != nil {
		t.Fatal(err)
	}
	if code := child(); code != 0 {
		t.Fatalf("child TryLock after release: exit %d, want 0", code)
	}
}
