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
package jsonx

import (
	"errors"
	"fmt"
	"math"
	"math/big"
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
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = DefaultMaxBytes
	}
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = DefaultMaxDepth
	}
	if len(data) > lim.MaxBytes {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), lim.MaxBytes)
	}
	s := scanner{data: data, maxDepth: lim.MaxDepth}
	s.ws()
	if err := s.value("$", 0); err != nil {
		return err
	}
	s.ws()
	if s.pos != len(s.data) {
		return s.fail("$", "unexpected data after the JSON value")
	}
	return nil
}

type scanner struct {
	data     []byte
	pos      int
	maxDepth int
	// inContext counts the @context members being read: JSON-LD term
	// definitions may differ only in case ("Achievement", "achievement").
	inContext int
}

func (s *scanner) fail(path, format string, args ...any) error {
	return &SyntaxError{Offset: s.pos, Path: path, Msg: fmt.Sprintf(format, args...)}
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

func (s *scanner) value(path string, depth int) error {
	if s.pos >= len(s.data) {
		return s.fail(path, "unexpected end of input")
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		return s.object(path, depth+1)
	case c == '[':
		return s.array(path, depth+1)
	case c == '"':
		_, err := s.str(path)
		return err
	case c == '-' || c >= '0' && c <= '9':
		return s.number(path)
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if len(s.data)-s.pos >= len(lit) && string(s.data[s.pos:s.pos+len(lit)]) == lit {
				s.pos += len(lit)
				return nil
			}
		}
		return s.fail(path, "unexpected character %q", c)
	}
}

func (s *scanner) object(path string, depth int) error {
	if depth > s.maxDepth {
		return s.fail(path, "nesting deeper than %d", s.maxDepth)
	}
	s.pos++ // {
	s.ws()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		return nil
	}
	seen := map[string]bool{}
	folded := map[string]string{}
	for {
		s.ws()
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			return s.fail(path, "expected a string key")
		}
		keyPos := s.pos
		key, err := s.str(path)
		if err != nil {
			return err
		}
		child := path + "." + key
		if seen[key] {
			s.pos = keyPos
			return s.fail(child, "duplicate key %q", key)
		}
		seen[key] = true
		if s.inContext == 0 {
			f := foldKey(key)
			if other, ok := folded[f]; ok {
				s.pos = keyPos
				return s.fail(child, "keys %q and %q differ only in case", other, key)
			}
			folded[f] = key
		}
		s.ws()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			return s.fail(child, "expected ':'")
		}
		s.pos++
		s.ws()
		if key == "@context" {
			s.inContext++
		}
		err = s.value(child, depth)
		if key == "@context" {
			s.inContext--
		}
		if err != nil {
			return err
		}
		s.ws()
		if s.pos >= len(s.data) {
			return s.fail(path, "unexpected end of input in object")
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.fail(path, "expected ',' or '}'")
		}
	}
}

func (s *scanner) array(path string, depth int) error {
	if depth > s.maxDepth {
		return s.fail(path, "nesting deeper than %d", s.maxDepth)
	}
	s.pos++ // [
	s.ws()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		s.ws()
		if err := s.value(path+"["+strconv.Itoa(i)+"]", depth); err != nil {
			return err
		}
		s.ws()
		if s.pos >= len(s.data) {
			return s.fail(path, "unexpected end of input in array")
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return s.fail(path, "expected ',' or ']'")
		}
	}
}

// str reads a string, checking UTF-8 and escapes, and returns its value
// (only needed for keys; values are decoded by encoding/json later).
func (s *scanner) str(path string) (string, error) {
	s.pos++ // opening quote
	var out []byte
	for {
		if s.pos >= len(s.data) {
			return "", s.fail(path, "unterminated string")
		}
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			return string(out), nil
		case c < 0x20:
			return "", s.fail(path, "control character 0x%02x in string", c)
		case c == '\\':
			if s.pos+1 >= len(s.data) {
				return "", s.fail(path, "unterminated escape")
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
				r, err := s.hex4(path)
				if err != nil {
					return "", err
				}
				if utf16.IsSurrogate(r) {
					if r >= 0xdc00 {
						return "", s.fail(path, "lone low surrogate \\u%04x", r)
					}
					if s.pos+1 >= len(s.data) || s.data[s.pos] != '\\' || s.data[s.pos+1] != 'u' {
						return "", s.fail(path, "lone high surrogate \\u%04x", r)
					}
					r2, err := s.hex4(path)
					if err != nil {
						return "", err
					}
					if r2 < 0xdc00 || r2 > 0xdfff {
						return "", s.fail(path, "high surrogate \\u%04x not followed by a low surrogate", r)
					}
					r = utf16.DecodeRune(r, r2)
				}
				out = utf8.AppendRune(out, r)
			default:
				return "", s.fail(path, "invalid escape \\%c", e)
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			s.pos++
		default:
			r, n := utf8.DecodeRune(s.data[s.pos:])
			if r == utf8.RuneError && n <= 1 {
				return "", s.fail(path, "invalid UTF-8")
			}
			out = append(out, s.data[s.pos:s.pos+n]...)
			s.pos += n
		}
	}
}

// hex4 reads \uXXXX at s.pos and advances past it.
func (s *scanner) hex4(path string) (rune, error) {
	if s.pos+6 > len(s.data) {
		return 0, s.fail(path, "truncated \\u escape")
	}
	v, err := strconv.ParseUint(string(s.data[s.pos+2:s.pos+6]), 16, 32)
	if err != nil {
		return 0, s.fail(path, "invalid \\u escape")
	}
	s.pos += 6
	return rune(v), nil
}

func (s *scanner) number(path string) error {
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
		return s.fail(path, "invalid number")
	}
	if s.pos < len(s.data) && s.data[s.pos] == '.' {
		s.pos++
		if digits() == 0 {
			return s.fail(path, "invalid number")
		}
	}
	if s.pos < len(s.data) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.data) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		if digits() == 0 {
			return s.fail(path, "invalid number")
		}
	}
	if s.pos-start > 64 {
		return s.fail(path, "number longer than 64 characters")
	}
	if msg := inexact(string(s.data[start:s.pos])); msg != "" {
		s.pos = start
		return s.fail(path, "%s", msg)
	}
	return nil
}

// maxSafeInteger is the largest integer of the I-JSON range (RFC 7493).
const maxSafeInteger = 1<<53 - 1

// inexact says why the number text cannot be signed exactly under JCS,
// which serializes the nearest double: a value no double equals, a value
// beyond the doubles' range (or below their precision), or an integer
// literal outside the I-JSON range. It returns "" for a good number.
func inexact(text string) string {
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
