//go:build !unix && !windows

package filelock

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

func lock(f *os.File, _ bool) error {
	return fmt.Errorf("filelock: locking %s on %s: %w", f.Name(), runtime.GOOS, errors.ErrUnsupported)
}

func unlock(f *os.File) error {
	return fmt.Errorf("filelock: unlocking %s on %s: %w", f.Name(), runtime.GOOS, errors.ErrUnsupported)
}
