// Package bufpool keeps byte buffers for data that is written, hashed and
// dropped (canonical forms of documents), so that verifying or issuing
// many badges does not allocate one buffer per badge.
package bufpool

import "sync"

var pool sync.Pool

// MaxKept bounds the buffers kept: a rare large document does not pin its
// buffer.
const MaxKept = 64 << 10

// Get returns an empty buffer of at least size bytes.
func Get(size int) []byte {
	if b, ok := pool.Get().(*[]byte); ok && cap(*b) >= size {
		return (*b)[:0]
	}
	return make([]byte, 0, size)
}

// Put gives b back for a later Get; nothing may use it afterwards.
func Put(b []byte) {
	if cap(b) <= MaxKept {
		pool.Put(&b)
	}
}
