//go:build !unix

package issuer

import (
	"fmt"
	"os"
)

// lockDir creates path exclusively; a lock left by a crashed process must be
// removed by hand.
func lockDir(path string) (func() error, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if os.IsExist(err) {
			return nil, fmt.Errorf("%w: %s exists (remove it if no issuer is running)", ErrStatusDirBusy, path)
		}
		return nil, err
	}
	f.Close()
	return func() error { return os.Remove(path) }, nil
}
