package batchproof

import (
	"crypto/sha256"
	"encoding"
	"fmt"
	"hash"
	"slices"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/bufpool"
	"github.com/badgeproof/badgeproof/internal/canon"
	"github.com/badgeproof/badgeproof/internal/decoded"
)

// Leaves returns the Merkle leaves of the proofs at indexes idx of c's proof
// set, as Leaf would, in one pass: the document without proofs and each
// proof are canonicalized once, and the leaves share the hashing of what
// they have in common. Leaf(c, i) costs a JCS pass over the document and
// the i proofs before it, so computing it for every proof of a set grows
// with the square of the set; Leaves grows with its size.
//
// It relies on JCS being compositional: the canonical form of the document
// with a "proof" array is the canonical form without it, with the member
// "proof":[p0,...,pi-1] (each pj canonical) inserted where its key sorts.
func Leaves(c *badge.Credential, idx []int) (map[int][32]byte, error) {
	out := make(map[int][32]byte, len(idx))
	if len(idx) == 0 {
		return out, nil
	}
	last := slices.Max(idx)
	if slices.Min(idx) < 0 || last > len(c.Proofs) {
		return nil, fmt.Errorf("batchproof: proof index out of range 0..%d", len(c.Proofs))
	}
	// From the parse's decoding when there is one, else from the members'
	// bytes: the same canonical forms.
	doc := decoded.Value(c)
	proofs := decodedProofs(doc, len(c.Proofs))
	var base []byte
	var ins int
	var err error
	if proofs != nil {
		base, ins, err = canon.AppendJCSAt(bufpool.Get(len(c.Raw())), doc, "proof")
		defer bufpool.Put(base) // hashed below, not kept
		if err != nil {
			return nil, fmt.Errorf("batchproof: %w", err)
		}
	} else {
		if base, err = canon.JCSMembers(c.Unsigned()); err != nil {
			return nil, fmt.Errorf("batchproof: %w", err)
		}
		if ins, err = proofKeyOffset(base); err != nil {
			return nil, err
		}
	}
	// ins is the start of the first member after "proof" (preceded by '{'
	// or ','), or the closing brace (preceded by '{' or the last value).
	sepBefore, sepAfter := "", ","
	if base[ins] == '}' {
		sepAfter = ""
		if base[ins-1] != '{' {
			sepBefore = ","
		}
	}
	want := map[int]bool{}
	for _, i := range idx {
		want[i] = true
	}
	if want[0] {
		out[0] = sha256.Sum256(base)
	}
	h := sha256.New()
	h.Write(base[:ins])
	h.Write([]byte(sepBefore + `"proof":[`))
	for j := 0; j < last; j++ {
		var p []byte
		if proofs != nil {
			p, err = canon.AppendJCS(nil, proofs[j])
		} else {
			p, err = canon.JCS(c.Proofs[j].Raw())
		}
		if err != nil {
			return nil, fmt.Errorf("batchproof: proof %d: %w", j, err)
		}
		if j > 0 {
			h.Write([]byte{','})
		}
		h.Write(p)
		if want[j+1] {
			leaf, err := finish(h, "]"+sepAfter, base[ins:])
			if err != nil {
				return nil, err
			}
			out[j+1] = leaf
		}
	}
	return out, nil
}

// decodedProofs are the n proofs of a decoded document, or nil when there
// is no decoding or it does not hold n proofs.
func decodedProofs(doc map[string]any, n int) []any {
	if doc == nil {
		return nil
	}
	switch p := doc["proof"].(type) {
	case []any:
		if len(p) == n {
			return p
		}
	case map[string]any:
		if n == 1 {
			return []any{p}
		}
	}
	return nil
}

// finish hashes the rest of one document on a copy of h's state.
func finish(h hash.Hash, mid string, rest []byte) ([32]byte, error) {
	state, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		return [32]byte{}, fmt.Errorf("batchproof: %w", err)
	}
	c := sha256.New()
	if err := c.(encoding.BinaryUnmarshaler).UnmarshalBinary(state); err != nil {
		return [32]byte{}, fmt.Errorf("batchproof: %w", err)
	}
	c.Write([]byte(mid))
	c.Write(rest)
	var out [32]byte
	c.Sum(out[:0])
	return out, nil
}

// proofKeyOffset returns the offset in the canonical object b at which a
// top-level "proof" member goes: before the first top-level member whose
// key sorts after "proof" in JCS order (UTF-16 code units), or at the
// closing brace. b must not have a "proof" member.
func proofKeyOffset(b []byte) (int, error) {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return 0, fmt.Errorf("batchproof: canonical document is not an object")
	}
	proofKey := utf16.Encode([]rune("proof"))
	i := 1
	for b[i] != '}' {
		start := i
		key, end, err := readString(b, i)
		if err != nil {
			return 0, err
		}
		if compareUTF16(utf16.Encode([]rune(key)), proofKey) > 0 {
			return start, nil
		}
		// Skip ':' and the value, to the ',' or '}' that ends the member.
		depth := 0
		for i = end + 1; i < len(b); i++ {
			c := b[i]
			if c == '"' {
				_, e, err := readString(b, i)
				if err != nil {
					return 0, err
				}
				i = e - 1
				continue
			}
			if depth == 0 && (c == ',' || c == '}') {
				break
			}
			switch c {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
		}
		if i >= len(b) {
			return 0, fmt.Errorf("batchproof: canonical document ends inside a member")
		}
		if b[i] == ',' {
			i++
		}
	}
	return i, nil
}

// readString reads the JSON string starting at b[i] and returns its value
// and the offset after it.
func readString(b []byte, i int) (string, int, error) {
	if b[i] != '"' {
		return "", 0, fmt.Errorf("batchproof: expected a string at %d", i)
	}
	var out []rune
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '"':
			return string(out), j + 1, nil
		case '\\':
			j++
			if j >= len(b) {
				return "", 0, fmt.Errorf("batchproof: bad escape")
			}
			// JCS escapes only \", \\, \b, \f, \n, \r, \t and \u00XX
			// controls; the key is compared for ordering, where the escaped
			// character's code unit is what counts.
			switch b[j] {
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				if j+4 >= len(b) {
					return "", 0, fmt.Errorf("batchproof: bad escape")
				}
				var r rune
				for _, h := range b[j+1 : j+5] {
					r <<= 4
					switch {
					case h >= '0' && h <= '9':
						r |= rune(h - '0')
					case h >= 'a' && h <= 'f':
						r |= rune(h-'a') + 10
					case h >= 'A' && h <= 'F':
						r |= rune(h-'A') + 10
					}
				}
				out = append(out, r)
				j += 4
			default:
				out = append(out, rune(b[j]))
			}
		default:
			r, n := utf8.DecodeRune(b[j:])
			out = append(out, r)
			j += n - 1
		}
	}
	return "", 0, fmt.Errorf("batchproof: unterminated string")
}

func compareUTF16(a, b []uint16) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}
