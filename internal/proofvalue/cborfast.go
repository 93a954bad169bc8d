package proofvalue

import (
	"encoding/binary"
	"math"
	"unicode/utf8"

	"github.com/badgeproof/badgeproof/internal/merkle"
)

// readCBOR decodes the shapes a MerkleProof2019 value is made of (definite
// arrays, unsigned integers, byte and UTF-8 text strings) into what
// decMode.Unmarshal into an any gives for them: []any, int64, []byte,
// string. ok is false for anything else (a map, a tag, a negative or
// too large integer, an indefinite length, data left over, the decoder's
// limits reached), which the decoder then decodes or refuses, in its own
// words. A test holds both to the same result.
func readCBOR(b []byte) (v any, ok bool) {
	r := cborReader{b: b}
	v, ok = r.item(1)
	return v, ok && r.pos == len(b)
}

type cborReader struct {
	b   []byte
	pos int
}

// head reads an item's major type and argument.
func (r *cborReader) head() (major byte, arg uint64, ok bool) {
	if r.pos >= len(r.b) {
		return 0, 0, false
	}
	c := r.b[r.pos]
	r.pos++
	major, info := c>>5, c&0x1f
	var n int
	switch {
	case info < 24:
		return major, uint64(info), true
	case info == 24:
		n = 1
	case info == 25:
		n = 2
	case info == 26:
		n = 4
	case info == 27:
		n = 8
	default:
		return 0, 0, false // reserved, or an indefinite length
	}
	if len(r.b)-r.pos < n {
		return 0, 0, false
	}
	var buf [8]byte
	copy(buf[8-n:], r.b[r.pos:r.pos+n])
	r.pos += n
	return major, binary.BigEndian.Uint64(buf[:]), true
}

func (r *cborReader) item(depth int) (any, bool) {
	major, arg, ok := r.head()
	if !ok {
		return nil, false
	}
	switch major {
	case 0: // unsigned integer
		if arg > math.MaxInt64 {
			return nil, false
		}
		return int64(arg), true
	case 2, 3: // byte string, text string
		if arg > uint64(len(r.b)-r.pos) {
			return nil, false
		}
		s := r.b[r.pos : r.pos+int(arg)]
		r.pos += int(arg)
		if major == 3 {
			if !utf8.Valid(s) {
				return nil, false
			}
			return string(s), true
		}
		return append([]byte{}, s...), true
	case 4: // array
		if depth >= decMaxNestedLevels || arg > merkle.MaxPathLen {
			return nil, false
		}
		out := make([]any, arg)
		for i := range out {
			if out[i], ok = r.item(depth + 1); !ok {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}
