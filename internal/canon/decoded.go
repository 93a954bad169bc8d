package canon

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/gowebpki/jcs"
)

// AppendDecoded appends the JCS form of v, a value decoded by encoding/json
// into an any (objects as map[string]any, arrays as []any, numbers as
// float64 or json.Number, strings, booleans and nil), to buf. It gives the
// same bytes as JCS of the text v was decoded from, provided that text
// passed jsonx.Check (valid UTF-8, no lone surrogates, no duplicate keys,
// numbers a double holds exactly), without serializing v and parsing it
// again.
func AppendDecoded(buf []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case bool:
		if x {
			return append(buf, "true"...), nil
		}
		return append(buf, "false"...), nil
	case string:
		return appendString(buf, x), nil
	case float64:
		return appendNumber(buf, x)
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return nil, fmt.Errorf("jcs: number %s: %w", x, err)
		}
		return appendNumber(buf, f)
	case []any:
		buf = append(buf, '[')
		for i, e := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = AppendDecoded(buf, e); err != nil {
				return nil, err
			}
		}
		return append(buf, ']'), nil
	case map[string]any:
		return AppendDecodedMembers(buf, x, SortedKeys(x))
	default:
		return nil, fmt.Errorf("jcs: cannot canonicalize a %T", v)
	}
}

// SortedKeys returns the names of m's members in JCS order.
func SortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareUTF16)
	return keys
}

// AppendDecodedMembers appends the JCS form of the object made of the
// members of m named by keys, which must be in JCS order (SortedKeys, or a
// part of it).
func AppendDecodedMembers(buf []byte, m map[string]any, keys []string) ([]byte, error) {
	buf = append(buf, '{')
	for i, k := range keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, k)
		buf = append(buf, ':')
		var err error
		if buf, err = AppendDecoded(buf, m[k]); err != nil {
			return nil, fmt.Errorf("%q: %w", k, err)
		}
	}
	return append(buf, '}'), nil
}

// AppendString appends s as a JCS string.
func AppendString(buf []byte, s string) []byte { return appendString(buf, s) }

// CompareKeys orders member names as JCS does (by their UTF-16 code units).
func CompareKeys(a, b string) int { return compareUTF16(a, b) }

func appendNumber(buf []byte, f float64) ([]byte, error) {
	// Integers a double holds exactly print as themselves in ES6 form.
	if f > -1<<53 && f < 1<<53 && f == float64(int64(f)) {
		if f == 0 {
			return append(buf, '0'), nil // also -0
		}
		return strconv.AppendInt(buf, int64(f), 10), nil
	}
	s, err := jcs.NumberToJSON(f)
	if err != nil {
		return nil, fmt.Errorf("jcs: %w", err)
	}
	return append(buf, s...), nil
}
