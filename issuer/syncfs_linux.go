package issuer

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFSAvailable: one syncfs(2) makes every file written under a directory
// durable, so DirSink need not sync each file.
const syncFSAvailable = true

// syncFS flushes the file system that holds dir: the files, their names
// and the directories.
func syncFS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}

// startWriteback has the kernel start writing n bytes of f from off to
// disk, without waiting: the sync that makes them durable then has less
// left to do. Errors are left to that sync.
func startWriteback(f *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}
