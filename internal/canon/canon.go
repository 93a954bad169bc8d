// Package canon turns JSON documents into the exact bytes that are hashed and
// signed. JCS (RFC 8785) of bytes is implemented by github.com/gowebpki/jcs;
// a document already decoded (jsonx.Decode) is serialized by AppendJCS with
// the same number formatter, to the same bytes, without being parsed again.
// RDF Dataset Canonicalization lives in internal/rdfc behind the same
// signature.
package canon

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf16"
	"unicode/utf8"

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
// its original bytes, so unknown properties survive exactly as signed; each
// value is canonicalized on its own (see Object).
func JCSMembers(members map[string]json.RawMessage) ([]byte, error) {
	o, err := NewObject(members)
	if err != nil {
		return nil, fmt.Errorf("jcs: %w", err)
	}
	return o.Bytes(), nil
}

// Object is a JSON object canonicalized member by member: each member's
// value in JCS form, the members in JCS order (by the UTF-16 code units of
// their names). Its Bytes are the JCS form of the whole object, and With
// adds a member without canonicalizing the others again, so a document and
// the same document with a proof added cost one canonicalization, not two.
type Object struct {
	keys []string
	vals [][]byte
}

// NewObject canonicalizes members (see JCS for what the values must be).
func NewObject(members map[string]json.RawMessage) (*Object, error) {
	o := &Object{keys: make([]string, 0, len(members)), vals: make([][]byte, 0, len(members))}
	for k := range members {
		o.keys = append(o.keys, k)
	}
	slices.SortFunc(o.keys, compareUTF16)
	for _, k := range o.keys {
		v, err := JCS(members[k])
		if err != nil {
			return nil, fmt.Errorf("%q: %w", k, err)
		}
		o.vals = append(o.vals, v)
	}
	return o, nil
}

// With returns a copy of o with member key set to value (canonicalized);
// o is unchanged.
func (o *Object) With(key string, value json.RawMessage) (*Object, error) {
	v, err := JCS(value)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", key, err)
	}
	i, found := slices.BinarySearchFunc(o.keys, key, compareUTF16)
	out := &Object{keys: slices.Clone(o.keys), vals: slices.Clone(o.vals)}
	if found {
		out.vals[i] = v
		return out, nil
	}
	out.keys = slices.Insert(out.keys, i, key)
	out.vals = slices.Insert(out.vals, i, v)
	return out, nil
}

// Bytes returns the object's JCS form.
func (o *Object) Bytes() []byte {
	size := 2
	for i, k := range o.keys {
		size += len(k) + len(o.vals[i]) + 4
	}
	buf := make([]byte, 0, size)
	buf = append(buf, '{')
	for i, k := range o.keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, k)
		buf = append(buf, ':')
		buf = append(buf, o.vals[i]...)
	}
	return append(buf, '}')
}

// compareUTF16 orders strings by their UTF-16 code units, as JCS sorts
// property names.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, ub := utf16Unit(ra), utf16Unit(rb)
			if ua != ub {
				return cmp.Compare(ua, ub)
			}
			// Same high surrogate: compare the low ones.
			_, la := utf16.EncodeRune(ra)
			_, lb := utf16.EncodeRune(rb)
			return cmp.Compare(la, lb)
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

// utf16Unit is the first UTF-16 code unit of r.
func utf16Unit(r rune) rune {
	if r >= 0x10000 {
		hi, _ := utf16.EncodeRune(r)
		return hi
	}
	return r
}

// appendString writes s as a JCS string: only '"', '\\' and control
// characters are escaped (the short forms where JSON has them, \u00xx
// otherwise), everything else is written as it is.
func appendString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	plain := 0 // s[:plain] needs no escape
	for plain < len(s) && s[plain] >= 0x20 && s[plain] != '"' && s[plain] != '\\' {
		plain++
	}
	buf = append(buf, s[:plain]...)
	for i := plain; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			buf = append(buf, '\\', c)
		case c == '\b':
			buf = append(buf, '\\', 'b')
		case c == '\f':
			buf = append(buf, '\\', 'f')
		case c == '\n':
			buf = append(buf, '\\', 'n')
		case c == '\r':
			buf = append(buf, '\\', 'r')
		case c == '\t':
			buf = append(buf, '\\', 't')
		case c < 0x20:
			buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			buf = append(buf, c)
		}
	}
	return append(buf, '"')
}
