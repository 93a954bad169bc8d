package canon

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/gowebpki/jcs"
)

// AppendJCS appends the JCS form of v, a document decoded by jsonx.Decode
// (map[string]any, []any, string, json.Number, bool or nil; float64 is
// accepted too), to buf. It gives the bytes JCS gives for the document the
// decoding came from, without reading those bytes again; members of the
// outermost object named in skip are left out (a document without its
// proof, a proof without its proofValue). Numbers are serialized by the
// same ES6 formatter as JCS.
func AppendJCS(buf []byte, v any, skip ...string) ([]byte, error) {
	switch x := v.(type) {
	case map[string]any:
		buf, _, err := appendObject(buf, x, skip, "")
		return buf, err
	case []any:
		buf = append(buf, '[')
		for i, e := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = AppendJCS(buf, e); err != nil {
				return nil, err
			}
		}
		return append(buf, ']'), nil
	case string:
		return appendString(buf, x), nil
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return nil, fmt.Errorf("jcs: number %s: %w", x, err)
		}
		return appendNumber(buf, f)
	case float64:
		return appendNumber(buf, x)
	case bool:
		if x {
			return append(buf, "true"...), nil
		}
		return append(buf, "false"...), nil
	case nil:
		return append(buf, "null"...), nil
	}
	return nil, fmt.Errorf("jcs: cannot serialize a %T", v)
}

// AppendJCSAt is AppendJCS for an object m without its member key, and
// also returns the offset in the result at which that member goes in JCS
// order: the start of the first member whose name sorts after key, or the
// closing brace. (A member inserted there needs a comma after it in the
// first case, and before it in the second unless the object is empty.)
func AppendJCSAt(buf []byte, m map[string]any, key string) ([]byte, int, error) {
	return appendObject(buf, m, []string{key}, key)
}

// appendObject appends the JCS form of m without the members in skip; at
// is the offset where member at goes ("" for none).
func appendObject(buf []byte, m map[string]any, skip []string, at string) ([]byte, int, error) {
	var keysBuf [32]string
	keys := keysBuf[:0]
	for k := range m {
		if !slices.Contains(skip, k) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, compareKeys)
	buf = append(buf, '{')
	off := -1
	for i, k := range keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		if at != "" && off < 0 && compareKeys(k, at) > 0 {
			off = len(buf)
		}
		buf = appendString(buf, k)
		buf = append(buf, ':')
		var err error
		if buf, err = AppendJCS(buf, m[k]); err != nil {
			return nil, 0, err
		}
	}
	if off < 0 {
		off = len(buf)
	}
	return append(buf, '}'), off, nil
}

func appendNumber(buf []byte, f float64) ([]byte, error) {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		// An integer below 10^15: ES6 writes its digits (and 0 for -0).
		if f == 0 {
			return append(buf, '0'), nil
		}
		return strconv.AppendInt(buf, int64(f), 10), nil
	}
	s, err := jcs.NumberToJSON(f)
	if err != nil {
		return nil, fmt.Errorf("jcs: %w", err)
	}
	return append(buf, s...), nil
}

// compareKeys is compareUTF16, comparing bytes where that gives the same
// order: UTF-8 byte order is code point order, which differs from UTF-16
// order only between U+E000..U+FFFF (lead bytes 0xEE, 0xEF) and the
// supplementary planes.
func compareKeys(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	if i == n {
		return len(a) - len(b)
	}
	if a[i] >= 0xee || b[i] >= 0xee {
		return compareUTF16(a, b)
	}
	return int(a[i]) - int(b[i])
}
