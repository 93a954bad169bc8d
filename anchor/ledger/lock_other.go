//go:build !unix

package ledger

import "os"

// On systems without flock, appends are serialised within one process
// only; a ledger directory must then have a single writing process.
func lockFile(*os.File) error   { return nil }
func unlockFile(*os.File) error { return nil }
