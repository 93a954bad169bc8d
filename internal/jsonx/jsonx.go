// Package jsonx checks untrusted JSON before it is decoded: a size limit, a
// nesting limit, duplicate object keys (which make a signature ambiguous),
// keys of one object that differ only in case (encoding/json matches struct
// fields case-insensitively, so {"id":…,"ID":…} is read one way by Go and
// another by a JSON-LD processor; JSON-LD @context definitions, whose terms
// often differ only in case, are exempt), numbers that a double cannot hold
// exactly (JCS would sign a different value than the text says:
// 12345678901234567890 and 12345678901234567000 sign alike) or integers
// outside the I-JSON range ±(2^53−1), invalid UTF-8 and lone UTF-16
// surrogates in escapes, and trailing data. encoding/json accepts all of
// these silently; canonicalization and signatures must not.
//
// Decode does the same checks and decodes the document in the same pass,
// so that a verification reads untrusted bytes once; Members and Elements
// split parts of a checked document without checking them again.
package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Defaults for Limits.
const (
	DefaultMaxBytes = 1 << 20
	DefaultMaxDepth = 64
)

// Limits bound what Check accepts. Zero values take the defaults.
type Limits struct {
	MaxBytes int
	MaxDepth int
}

// ErrInvalid is wrapped by every error Check returns.
var ErrInvalid = errors.New("invalid JSON")

// ErrTooLarge is wrapped when the input is over the size limit.
var ErrTooLarge = errors.New("input too large")

// SyntaxError says what is wrong and where.
type SyntaxError struct {
	Offset int    // byte offset of the problem
	Path   string // JSON path of the value being read, e.g. $.proof[0].proofValue
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s at byte %d (%s)", e.Msg, e.Offset, e.Path)
}

// Unwrap lets errors.Is find ErrInvalid.
func (e *SyntaxError) Unwrap() error { return ErrInvalid }

// Check validates data as exactly one strict JSON value.
func Check(data []byte, lim Limits) error {
	_, err := scan(data, lim, false, false)
	return err
}

// Decoded is a document that passed the checks of Check, decoded by the
// same pass over its bytes.
type Decoded struct {
	// Value is the document as encoding/json decodes it into an any with
	// UseNumber: map[string]any, []any, string, json.Number, bool or nil.
	Value any
	// Members are the original bytes of the top-level members when the
	// document is an object (nil otherwise), as json.Unmarshal into a
	// map[string]json.RawMessage gives them.
	Members map[string]json.RawMessage
}

// Decode checks data as Check does and decodes it in the same pass.
func Decode(data []byte, lim Limits) (*Decoded, error) {
	return scan(data, lim, true, true)
}

func scan(data []byte, lim Limits, build, members bool) (*Decoded, error) {
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = DefaultMaxBytes
	}
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = DefaultMaxDepth
	}
	if len(data) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), lim.MaxBytes)
	}
	s := scanner{data: data, maxDepth: lim.MaxDepth, build: build, wantMembers: members}
	if build {
		// One copy of the input; the decoded strings and numbers without
		// escapes are slices of it, not copies of their own.
		s.text = string(data)
	}
	s.ws()
	v, err := s.value(0)
	if err != nil {
		return nil, err
	}
	s.ws()
	if s.pos != len(s.data) {
		return nil, s.fail("unexpected data after the JSON value")
	}
	return &Decoded{Value: v, Members: s.members}, nil
}

type scanner struct {
	data     []byte
	text     string // data as a string, when building
	pos      int
	maxDepth int
	// inContext counts the @context members being read: JSON-LD term
	// definitions may differ only in case ("Achievement", "achievement").
	inContext int
	// build: decode the values; wantMembers: keep the top-level members'
	// bytes.
	build, wantMembers bool
	members            map[string]json.RawMessage
	// path is where the scanner is, rendered only for an error.
	path []pathSeg
	// keys and vals are stacks shared by the objects and arrays being read.
	keys []string
	vals []any
	buf  []byte
}

// pathSeg is one step of a JSON path: a member name, or an array index
// when key is "" and index >= 0.
type pathSeg struct {
	key   string
	index int
}

func (s *scanner) fail(format string, args ...any) error {
	return &SyntaxError{Offset: s.pos, Path: s.pathString(), Msg: fmt.Sprintf(format, args...)}
}

func (s *scanner) pathString() string {
	var b strings.Builder
	b.WriteByte('$')
	for _, p := range s.path {
		if p.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(p.index))
			b.WriteByte(']')
			continue
		}
		b.WriteByte('.')
		b.WriteString(p.key)
	}
	return b.String()
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

func (s *scanner) value(depth int) (any, error) {
	if s.pos >= len(s.data) {
		return nil, s.fail("unexpected end of input")
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		return s.object(depth + 1)
	case c == '[':
		return s.array(depth + 1)
	case c == '"':
		str, err := s.str(s.build)
		if err != nil || !s.build {
			return nil, err
		}
		return str, nil
	case c == '-' || c >= '0' && c <= '9':
		return s.number()
	default:
		for _, lit := range [...]struct {
			text string
			v    any
		}{{"true", true}, {"false", false}, {"null", nil}} {
			if len(s.data)-s.pos >= len(lit.text) && string(s.data[s.pos:s.pos+len(lit.text)]) == lit.text {
				s.pos += len(lit.text)
				return lit.v, nil
			}
		}
		return nil, s.fail("unexpected character %q", c)
	}
}

// smallObject is the number of members up to which an object's keys are
// compared with each other directly; larger objects use maps, so the cost
// stays linear.
const smallObject = 16

func (s *scanner) object(depth int) (any, error) {
	if depth > s.maxDepth {
		return nil, s.fail("nesting deeper than %d", s.maxDepth)
	}
	top := depth == 1 && s.wantMembers
	if top {
		s.members = map[string]json.RawMessage{}
	}
	s.pos++ // {
	s.ws()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		if !s.build {
			return nil, nil
		}
		return map[string]any{}, nil
	}
	base, vbase := len(s.keys), len(s.vals)
	defer func() { s.keys, s.vals = s.keys[:base], s.vals[:vbase] }()
	var seen map[string]bool
	var folded map[string]string
	for {
		s.ws()
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			return nil, s.fail("expected a string key")
		}
		keyPos := s.pos
		key, err := s.str(true)
		if err != nil {
			return nil, err
		}
		s.path = append(s.path, pathSeg{key: key, index: -1})
		n := len(s.keys) - base
		if n == smallObject {
			seen, folded = map[string]bool{}, map[string]string{}
			for _, k := range s.keys[base:] {
				seen[k] = true
				folded[foldKey(k)] = k
			}
		}
		if other, dup := s.clash(key, base, seen, folded); dup {
			s.pos = keyPos
			if other == key {
				return nil, s.fail("duplicate key %q", key)
			}
			return nil, s.fail("keys %q and %q differ only in case", other, key)
		}
		s.keys = append(s.keys, key)
		s.ws()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			return nil, s.fail("expected ':'")
		}
		s.pos++
		s.ws()
		if key == "@context" {
			s.inContext++
		}
		start := s.pos
		v, err := s.value(depth)
		if key == "@context" {
			s.inContext--
		}
		if err != nil {
			return nil, err
		}
		if top {
			s.members[key] = json.RawMessage(s.data[start:s.pos])
		}
		s.vals = append(s.vals, v)
		s.path = s.path[:len(s.path)-1]
		s.ws()
		if s.pos >= len(s.data) {
			return nil, s.fail("unexpected end of input in object")
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case '}':
			s.pos++
			if !s.build {
				return nil, nil
			}
			m := make(map[string]any, len(s.keys)-base)
			for i, k := range s.keys[base:] {
				m[k] = s.vals[vbase+i]
			}
			return m, nil
		default:
			return nil, s.fail("expected ',' or '}'")
		}
	}
}

// clash reports a key of the object being read (its keys from base on, or
// seen and folded once it is large) that equals key or differs from it
// only in case (outside @context), and records key in the maps.
func (s *scanner) clash(key string, base int, seen map[string]bool, folded map[string]string) (string, bool) {
	if seen == nil {
		for _, k := range s.keys[base:] {
			if k == key {
				return k, true
			}
		}
		if s.inContext == 0 {
			for _, k := range s.keys[base:] {
				if mayFold(k, key) && strings.EqualFold(k, key) {
					return k, true
				}
			}
		}
		return "", false
	}
	if seen[key] {
		return key, true
	}
	seen[key] = true
	if s.inContext == 0 {
		f := foldKey(key)
		if other, ok := folded[f]; ok {
			return other, true
		}
		folded[f] = key
	}
	return "", false
}

// mayFold is a quick test before strings.EqualFold: keys whose first
// bytes are ASCII letters or other ASCII characters that differ even when
// case is ignored do not fold to each other (an ASCII character folds to
// non-ASCII ones only from letters: k and s).
func mayFold(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	x, y := a[0], b[0]
	if x >= utf8.RuneSelf || y >= utf8.RuneSelf {
		return true
	}
	return x|0x20 == y|0x20 || x == y
}

func (s *scanner) array(depth int) (any, error) {
	if depth > s.maxDepth {
		return nil, s.fail("nesting deeper than %d", s.maxDepth)
	}
	s.pos++ // [
	s.ws()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		if !s.build {
			return nil, nil
		}
		return []any{}, nil
	}
	base := len(s.vals)
	defer func() { s.vals = s.vals[:base] }()
	for i := 0; ; i++ {
		s.ws()
		s.path = append(s.path, pathSeg{index: i})
		v, err := s.value(depth)
		if err != nil {
			return nil, err
		}
		s.path = s.path[:len(s.path)-1]
		s.vals = append(s.vals, v)
		s.ws()
		if s.pos >= len(s.data) {
			return nil, s.fail("unexpected end of input in array")
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case ']':
			s.pos++
			if !s.build {
				return nil, nil
			}
			return append([]any(nil), s.vals[base:]...), nil
		default:
			return nil, s.fail("expected ',' or ']'")
		}
	}
}

// str reads a string, checking UTF-8 and escapes, and returns its value
// when decode is set.
func (s *scanner) str(decode bool) (string, error) {
	s.pos++ // opening quote
	start := s.pos
	// The common case: no escape, so the value is the bytes as they are.
	for s.pos < len(s.data) {
		// Plain ASCII first, in a tight loop.
		for s.pos < len(s.data) {
			if c := s.data[s.pos]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
				break
			}
			s.pos++
		}
		if s.pos >= len(s.data) {
			break
		}
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			if !decode {
				return "", nil
			}
			if s.text != "" {
				return s.text[start : s.pos-1], nil
			}
			return string(s.data[start : s.pos-1]), nil
		case c == '\\':
			return s.escaped(start, decode)
		case c < 0x20:
			return "", s.fail("control character 0x%02x in string", c)
		case c < utf8.RuneSelf:
			s.pos++
		default:
			r, n := utf8.DecodeRune(s.data[s.pos:])
			if r == utf8.RuneError && n <= 1 {
				return "", s.fail("invalid UTF-8")
			}
			s.pos += n
		}
	}
	return "", s.fail("unterminated string")
}

// escaped reads the rest of a string from its first escape at s.pos; start
// is where the string's value begins.
func (s *scanner) escaped(start int, decode bool) (string, error) {
	// The value is never longer than the string as written: size the
	// buffer once instead of growing it by appends over a long string.
	out := slices.Grow(s.buf[:0], rawStringLen(s.data, s.pos)+s.pos-start)
	out = append(out, s.data[start:s.pos]...)
	defer func() { s.buf = out[:0] }()
	for {
		if s.pos >= len(s.data) {
			return "", s.fail("unterminated string")
		}
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			if !decode {
				return "", nil
			}
			return string(out), nil
		case c < 0x20:
			return "", s.fail("control character 0x%02x in string", c)
		case c == '\\':
			if s.pos+1 >= len(s.data) {
				return "", s.fail("unterminated escape")
			}
			e := s.data[s.pos+1]
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
				s.pos += 2
			case 'b':
				out = append(out, '\b')
				s.pos += 2
			case 'f':
				out = append(out, '\f')
				s.pos += 2
			case 'n':
				out = append(out, '\n')
				s.pos += 2
			case 'r':
				out = append(out, '\r')
				s.pos += 2
			case 't':
				out = append(out, '\t')
				s.pos += 2
			case 'u':
				r, err := s.hex4()
				if err != nil {
					return "", err
				}
				if utf16.IsSurrogate(r) {
					if r >= 0xdc00 {
						return "", s.fail("lone low surrogate \\u%04x", r)
					}
					if s.pos+1 >= len(s.data) || s.data[s.pos] != '\\' || s.data[s.pos+1] != 'u' {
						return "", s.fail("lone high surrogate \\u%04x", r)
					}
					r2, err := s.hex4()
					if err != nil {
						return "", err
					}
					if r2 < 0xdc00 || r2 > 0xdfff {
						return "", s.fail("high surrogate \\u%04x not followed by a low surrogate", r)
					}
					r = utf16.DecodeRune(r, r2)
				}
				out = utf8.AppendRune(out, r)
			default:
				return "", s.fail("invalid escape \\%c", e)
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			s.pos++
		default:
			r, n := utf8.DecodeRune(s.data[s.pos:])
			if r == utf8.RuneError && n <= 1 {
				return "", s.fail("invalid UTF-8")
			}
			out = append(out, s.data[s.pos:s.pos+n]...)
			s.pos += n
		}
	}
}

// rawStringLen is the length of the rest of a string as written, from i
// to its closing quote (the first quote no backslash escapes), or to the
// end of data when it has none.
func rawStringLen(data []byte, i int) int {
	for j := i; ; {
		q := bytes.IndexByte(data[j:], '"')
		if q < 0 {
			return len(data) - i
		}
		j += q
		n := 0
		for j-1-n >= i && data[j-1-n] == '\\' {
			n++
		}
		if n%2 == 0 {
			return j - i
		}
		j++
	}
}

// hex4 reads \uXXXX at s.pos and advances past it.
func (s *scanner) hex4() (rune, error) {
	if s.pos+6 > len(s.data) {
		return 0, s.fail("truncated \\u escape")
	}
	v, err := strconv.ParseUint(string(s.data[s.pos+2:s.pos+6]), 16, 32)
	if err != nil {
		return 0, s.fail("invalid \\u escape")
	}
	s.pos += 6
	return rune(v), nil
}

func (s *scanner) number() (any, error) {
	start := s.pos
	if s.data[s.pos] == '-' {
		s.pos++
	}
	digits := func() int {
		n := 0
		for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
			s.pos++
			n++
		}
		return n
	}
	if s.pos < len(s.data) && s.data[s.pos] == '0' {
		s.pos++
	} else if digits() == 0 {
		return nil, s.fail("invalid number")
	}
	if s.pos < len(s.data) && s.data[s.pos] == '.' {
		s.pos++
		if digits() == 0 {
			return nil, s.fail("invalid number")
		}
	}
	if s.pos < len(s.data) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.data) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		if digits() == 0 {
			return nil, s.fail("invalid number")
		}
	}
	if s.pos-start > 64 {
		return nil, s.fail("number longer than 64 characters")
	}
	var text string
	if s.text != "" {
		text = s.text[start:s.pos]
	} else {
		text = string(s.data[start:s.pos])
	}
	if msg := inexact(text); msg != "" {
		s.pos = start
		return nil, s.fail("%s", msg)
	}
	if !s.build {
		return nil, nil
	}
	return json.Number(text), nil
}

// maxSafeInteger is the largest integer of the I-JSON range (RFC 7493).
const maxSafeInteger = 1<<53 - 1

// inexact says why the number text cannot be signed exactly under JCS,
// which serializes the nearest double: a value no double equals, a value
// beyond the doubles' range (or below their precision), or an integer
// literal outside the I-JSON range. It returns "" for a good number.
func inexact(text string) string {
	if len(text) <= 15 && !strings.ContainsAny(text, ".eE") {
		return "" // an integer of at most 15 digits: below 2^53, exact
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) {
		return fmt.Sprintf("number %s is outside the range of a double", text)
	}
	if !strings.ContainsAny(text, ".eE") && math.Abs(f) > maxSafeInteger {
		return fmt.Sprintf("integer %s is outside the I-JSON range ±(2^53-1): it cannot be signed exactly", text)
	}
	if f == 0 {
		mant, _, _ := strings.Cut(strings.ToLower(text), "e")
		if strings.Trim(mant, "-0.") != "" {
			return fmt.Sprintf("number %s is too small for a double: it would be signed as 0", text)
		}
		return ""
	}
	var want, got big.Rat
	if _, ok := want.SetString(text); !ok {
		return fmt.Sprintf("invalid number %s", text)
	}
	shortest := strconv.FormatFloat(f, 'g', -1, 64)
	if _, ok := got.SetString(shortest); !ok || want.Cmp(&got) != 0 {
		return fmt.Sprintf("number %s has no exact double: it would be signed as %s", text, shortest)
	}
	return ""
}

// foldKey maps every rune of k to the smallest rune of its Unicode case
// folding orbit, so that keys encoding/json would match case-insensitively
// fold to the same string.
func foldKey(k string) string {
	b := make([]rune, 0, len(k))
	for _, r := range k {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < m {
				m = f
			}
		}
		b = append(b, m)
	}
	return string(b)
}

// Members splits data, one JSON object that passed Check (a part of a
// checked document), into its members' bytes as json.Unmarshal into a
// map[string]json.RawMessage gives them, without checking it again. It
// returns nil when data is not an object.
func Members(data []byte) map[string]json.RawMessage {
	s := scanner{data: data}
	s.ws()
	if s.pos >= len(data) || data[s.pos] != '{' {
		return nil
	}
	s.pos++
	out := map[string]json.RawMessage{}
	for {
		s.ws()
		if s.pos >= len(data) {
			return nil
		}
		switch data[s.pos] {
		case '}':
			return out
		case ',':
			s.pos++
			continue
		case '"':
		default:
			return nil
		}
		key, err := s.str(true)
		if err != nil {
			return nil
		}
		s.ws()
		if s.pos >= len(data) || data[s.pos] != ':' {
			return nil
		}
		s.pos++
		s.ws()
		start := s.pos
		if !s.skip() {
			return nil
		}
		out[key] = json.RawMessage(data[start:s.pos])
	}
}

// skip moves past one value of checked JSON.
func (s *scanner) skip() bool {
	depth := 0
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; c {
		case '"':
			s.pos++
			for {
				// The next quote that no backslash escapes ends the string.
				q := bytes.IndexByte(s.data[s.pos:], '"')
				if q < 0 {
					return false
				}
				s.pos += q
				n := 0
				for n < s.pos && s.data[s.pos-1-n] == '\\' {
					n++
				}
				s.pos++
				if n%2 == 0 {
					break
				}
			}
		case '{', '[':
			depth++
			s.pos++
			continue
		case '}', ']':
			depth--
			s.pos++
		default:
			for s.pos < len(s.data) {
				switch s.data[s.pos] {
				case ',', '}', ']', ' ', '\t', '\n', '\r':
				default:
					s.pos++
					continue
				}
				break
			}
		}
		if depth == 0 {
			return s.pos <= len(s.data)
		}
		if depth < 0 {
			return false
		}
		// Inside a container: move to the next value.
		for s.pos < len(s.data) {
			switch s.data[s.pos] {
			case ' ', '\t', '\n', '\r', ',', ':':
				s.pos++
				continue
			}
			break
		}
	}
	return false
}

// Elements splits data, one JSON array that passed Check (a part of a
// checked document), into its elements' bytes as json.Unmarshal into a
// []json.RawMessage gives them, without checking it again. It returns nil
// when data is not an array.
func Elements(data []byte) []json.RawMessage {
	s := scanner{data: data}
	s.ws()
	if s.pos >= len(data) || data[s.pos] != '[' {
		return nil
	}
	s.pos++
	out := []json.RawMessage{}
	for {
		s.ws()
		if s.pos >= len(data) {
			return nil
		}
		switch data[s.pos] {
		case ']':
			return out
		case ',':
			s.pos++
			continue
		}
		start := s.pos
		if !s.skip() {
			return nil
		}
		out = append(out, json.RawMessage(data[start:s.pos]))
	}
}
