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
func JCSMembers(members map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(members)
	if err != nil {
		return nil, fmt.Errorf("jcs: %w", err)
	}
	return JCS(b)
}
