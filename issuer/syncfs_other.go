//go:build !linux

package issuer

import "os"

// syncFSAvailable: without syncfs(2), DirSink syncs each file it writes.
const syncFSAvailable = false

func syncFS(string) error { return nil }

// startWriteback does nothing: the sync that makes the bytes durable
// writes them.
func startWriteback(*os.File, int64, int64) {}
