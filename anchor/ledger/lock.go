package ledger

import (
	"errors"
	"os"

	"github.com/badgeproof/badgeproof/internal/filelock"
)

// lockFile takes an exclusive lock on f, waiting for other processes (and
// other open handles) to release theirs. On platforms without file locks
// (js, wasip1, plan9) appends are serialised within one process only, and a
// ledger directory must then have a single writing process.
func lockFile(f *os.File) error {
	if err := filelock.Lock(f); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}

func unlockFile(f *os.File) error {
	if err := filelock.Unlock(f); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}
