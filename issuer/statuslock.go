package issuer

import (
	"errors"
	"fmt"
	"os"

	"github.com/badgeproof/badgeproof/internal/filelock"
)

// lockDir takes an exclusive, non-blocking lock on path (created if absent):
// flock on Unix, LockFileEx on Windows. The operating system releases it if
// the process dies, so a crash leaves no stale lock. Where the platform has
// no file locks (js, wasip1, plan9) the directory cannot be protected
// against a second process, and opening it fails.
func lockDir(path string) (func() error, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := filelock.TryLock(f); err != nil {
		f.Close()
		if errors.Is(err, filelock.ErrLocked) {
			return nil, fmt.Errorf("%w: %s", ErrStatusDirBusy, path)
		}
		return nil, fmt.Errorf("issuer: locking %s: %w", path, err)
	}
	return func() error {
		return errors.Join(filelock.Unlock(f), f.Close())
	}, nil
}
