// Package urlmap merges documents given by URL (related resources, for
// instance) into the map an option keeps, copying their bytes.
package urlmap

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/badgeproof/badgeproof/badge"
)

// Merge adds src to dst (allocated when nil) and returns it: every key
// must be an absolute URL not in dst already, and src must not be empty.
// The bytes are copied, so the caller may reuse its buffers.
func Merge(dst, src map[string][]byte) (map[string][]byte, error) {
	if len(src) == 0 {
		return dst, errors.New("no resource given")
	}
	if dst == nil {
		dst = make(map[string][]byte, len(src))
	}
	for id, b := range src {
		if !badge.IsURL(id) {
			return dst, fmt.Errorf("%q is not a URL", id)
		}
		if _, dup := dst[id]; dup {
			return dst, fmt.Errorf("%s given twice", id)
		}
		dst[id] = bytes.Clone(b)
	}
	return dst, nil
}
