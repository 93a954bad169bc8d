// Package canon turns JSON documents into the exact bytes that are hashed and
// signed. JCS (RFC 8785) is implemented by github.com/gowebpki/jcs; RDF
// Dataset Canonicalization lives in internal/rdfc behind the same signature.
package canon

import (
	"encoding/json"
	"fmt"

	"github.com/gowebpki/jcs"
)

// Func canonicalizes one JSON document.
type Func func(doc []byte) ([]byte, error)

// JCS canonicalizes doc with RFC 8785. The input must already have passed
// jsonx.Check: JCS is defined on I-JSON (no duplicate keys, no lone surrogates).
func JCS(doc []byte) ([]byte, error) {
	out, err := jcs.Transform(doc)
	if err != nil {
		return nil, fmt.Errorf("jcs: %w", err)
	}
	return out, nil
}

// JCSMembers canonicalizes an object given as its members. Each member keeps
// its original bytes, so unknown properties survive exactly as signed.
//
// The members are joined into one object without re-validating them
// (encoding/json would scan every value again); JCS parses the result and
// rejects anything that is not JSON.
func JCSMembers(members map[string]json.RawMessage) ([]byte, error) {
	size := 2
	for k, v := range members {
		size += len(k) + len(v) + 8
	}
	buf := make([]byte, 0, size)
	buf = append(buf, '{')
	first := true
	for k, v := range members {
		if !first {
			buf = append(buf, ',')
		}
		first = false
		key, err := json.Marshal(k)
		if err != nil {
			return nil, fmt.Errorf("jcs: %w", err)
		}
		buf = append(buf, key...)
		buf = append(buf, ':')
		buf = append(buf, v...)
	}
	buf = append(buf, '}')
	return JCS(buf)
}
