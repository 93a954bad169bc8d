package rdfc

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
)

// TermCache remembers the shapes of credentials whose JSON-LD terms checked
// out, so that the credentials of one issuer's batch, which differ in names,
// ids, dates and numbers but not in the terms they use, are expanded once
// and not once each: expanding a document's JSON-LD costs more than
// verifying its signature. It is safe for concurrent use; a TermCache
// belongs to one set of Options (the contexts it checks against).
type TermCache struct {
	opts   Options
	shapes *lru.Cache[[32]byte, struct{}]
}

// NewTermCache returns a cache of up to size shapes (a bounded LRU: a flood
// of distinct shapes costs each its full check and evicts, never grows).
func NewTermCache(opts Options, size int) (*TermCache, error) {
	c, err := lru.New[[32]byte, struct{}](size)
	if err != nil {
		return nil, err
	}
	return &TermCache{opts: opts, shapes: c}, nil
}

// CheckCredentialTerms is Options.CheckCredentialTerms, skipped for a
// document whose shape already passed.
func (c *TermCache) CheckCredentialTerms(ctx context.Context, raw []byte) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return c.opts.CheckCredentialTerms(ctx, raw) // let the full check say what is wrong
	}
	return c.CheckCredentialTermsDecoded(ctx, raw, v)
}

// CheckCredentialTermsDecoded is CheckCredentialTerms for a document also
// given decoded (by encoding/json into an any), so that its shape is read
// without decoding it again. It does not change doc.
func (c *TermCache) CheckCredentialTermsDecoded(ctx context.Context, raw []byte, doc any) error {
	shape := termShapeOf(doc)
	if c.shapes.Contains(shape) {
		return nil
	}
	if err := c.opts.CheckCredentialTerms(ctx, raw); err != nil {
		return err
	}
	c.shapes.Add(shape, struct{}{})
	return nil
}

// TermShape digests what a JSON-LD term check of a document depends on:
// every property name at every place; the full value of every @context,
// of every JSON-LD keyword (@id, @type, @language, @direction, ...) and of
// "type" and properties named ...Type (enumerations such as
// achievementType, whose values are terms); and of any other value only
// its JSON kind. Array elements count by their distinct shapes, not by
// order or number. ok is false when raw is not JSON.
func TermShape(raw []byte) (shape [32]byte, ok bool) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return shape, false
	}
	return termShapeOf(v), true
}

func termShapeOf(v any) [32]byte {
	e := shapeEncoders.Get().(*shapeEncoder)
	e.shape(v, "")
	sum := sha256.Sum256(e.buf)
	e.reset()
	shapeEncoders.Put(e)
	return sum
}

func keepsValue(key string) bool {
	return key == "type" || strings.HasPrefix(key, "@") || strings.HasSuffix(key, "Type")
}

// shapeEncoder writes a document's shape as bytes that can be read back
// unambiguously (each value starts with a tag byte; names and kept values
// carry their length), so that equal shapes, and only they, write equal
// bytes, and a SHA-256 of the bytes stands for the shape. Its buffers are
// reused from one document to the next.
type shapeEncoder struct {
	buf     []byte
	members []member // the members of the maps being written, sorted by name
	spans   []span   // the element shapes of the arrays being written
}

type member struct {
	name  string
	value any
}

type span struct{ lo, hi int }

var shapeEncoders = sync.Pool{New: func() any { return new(shapeEncoder) }}

// maxKeptBuffer and maxKeptEntries bound the buffers a shapeEncoder keeps
// for the next document; larger ones (an unusually large document) are let
// go.
const (
	maxKeptBuffer  = 64 << 10
	maxKeptEntries = 4 << 10
)

func (e *shapeEncoder) reset() {
	e.buf = e.buf[:0]
	if cap(e.buf) > maxKeptBuffer {
		e.buf = nil
	}
	// members and spans are emptied as each map and array is done; the
	// members' names and values, which point into the document, are
	// cleared then.
	if cap(e.members) > maxKeptEntries {
		e.members = nil
	}
	if cap(e.spans) > maxKeptEntries {
		e.spans = nil
	}
}

// Tags of the shape encoding. A map is its member count and its members in
// name order (each name as length and bytes, then its value's shape); an
// array is the distinct shapes of its elements in byte order, then
// tagEnd; a kept string is its length and bytes. A @context value is
// written whole (tagFull...), in its own order.
const (
	tagMap     = '{'
	tagArray   = '['
	tagEnd     = ']'
	tagKept    = '"'
	tagString  = 's'
	tagNumber  = 'n'
	tagBool    = 'b'
	tagNull    = '0'
	tagFullMap = 'M'
	tagFullArr = 'A'
	tagFullStr = 'S'
	tagFullNum = 'N'
	tagTrue    = 'T'
	tagFalse   = 'F'
	tagFullNil = 'Z'
	tagOther   = 'J' // a value encoding/json does not decode to, as json.Marshal writes it
)

func (e *shapeEncoder) bytes(s string) {
	e.buf = binary.AppendUvarint(e.buf, uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// sortedMembers appends m's members to e.members, sorted by name, and
// returns where they start.
func (e *shapeEncoder) sortedMembers(m map[string]any) int {
	base := len(e.members)
	for k, v := range m {
		e.members = append(e.members, member{k, v})
	}
	ms := e.members[base:]
	if len(ms) > 16 {
		slices.SortFunc(ms, func(a, b member) int { return strings.Compare(a.name, b.name) })
		return base
	}
	for i := 1; i < len(ms); i++ { // an insertion sort: most objects have a handful of members
		for j := i; j > 0 && ms[j].name < ms[j-1].name; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
	return base
}

// dropMembers empties e.members back to base, clearing what it held.
func (e *shapeEncoder) dropMembers(base int) {
	clear(e.members[base:])
	e.members = e.members[:base]
}

// shape writes v's shape; key is the name of the member v is the value of
// (or an element of).
func (e *shapeEncoder) shape(v any, key string) {
	if key == "@context" {
		e.full(v) // a context counts whole
		return
	}
	switch x := v.(type) {
	case map[string]any:
		e.buf = append(e.buf, tagMap)
		e.buf = binary.AppendUvarint(e.buf, uint64(len(x)))
		base := e.sortedMembers(x)
		for i := base; i < base+len(x); i++ {
			m := e.members[i] // e.members may grow (and move) within shape
			e.bytes(m.name)
			e.shape(m.value, m.name)
		}
		e.dropMembers(base)
	case []any:
		e.buf = append(e.buf, tagArray)
		if len(x) == 1 {
			e.shape(x[0], key)
			e.buf = append(e.buf, tagEnd)
			return
		}
		start, base := len(e.buf), len(e.spans)
		for _, el := range x {
			lo := len(e.buf)
			e.shape(el, key)
			e.spans = append(e.spans, span{lo, len(e.buf)})
		}
		e.distinct(start, e.spans[base:])
		e.spans = e.spans[:base]
		e.buf = append(e.buf, tagEnd)
	case string:
		if keepsValue(key) {
			e.buf = append(e.buf, tagKept)
			e.bytes(x)
		} else {
			e.buf = append(e.buf, tagString)
		}
	case float64, json.Number:
		e.buf = append(e.buf, tagNumber)
	case bool:
		e.buf = append(e.buf, tagBool)
	default:
		e.buf = append(e.buf, tagNull)
	}
}

// distinct rewrites e.buf[start:], the element shapes at spans, as the
// distinct ones in byte order.
func (e *shapeEncoder) distinct(start int, spans []span) {
	buf := e.buf
	slices.SortFunc(spans, func(a, b span) int { return bytes.Compare(buf[a.lo:a.hi], buf[b.lo:b.hi]) })
	end := len(buf)
	var prev []byte
	for i, s := range spans {
		el := buf[s.lo:s.hi]
		if i > 0 && bytes.Equal(el, prev) {
			continue
		}
		prev = el
		buf = append(buf, el...) // el stays valid if buf moves: it is read from the old array
	}
	n := copy(buf[start:], buf[end:])
	e.buf = buf[:start+n]
}

// full writes a value whole: every string, number and member, arrays in
// their order.
func (e *shapeEncoder) full(v any) {
	switch x := v.(type) {
	case string:
		e.buf = append(e.buf, tagFullStr)
		e.bytes(x)
	case map[string]any:
		e.buf = append(e.buf, tagFullMap)
		e.buf = binary.AppendUvarint(e.buf, uint64(len(x)))
		base := e.sortedMembers(x)
		for i := base; i < base+len(x); i++ {
			m := e.members[i]
			e.bytes(m.name)
			e.full(m.value)
		}
		e.dropMembers(base)
	case []any:
		e.buf = append(e.buf, tagFullArr)
		e.buf = binary.AppendUvarint(e.buf, uint64(len(x)))
		for _, el := range x {
			e.full(el)
		}
	case json.Number:
		e.buf = append(e.buf, tagFullNum)
		e.bytes(string(x))
	case float64:
		e.buf = append(e.buf, tagFullNum)
		lenAt := len(e.buf)
		e.buf = append(e.buf, 0)
		e.buf = appendJSONFloat(e.buf, x)
		e.buf[lenAt] = byte(len(e.buf) - lenAt - 1) // a few dozen bytes: a one-byte length
	case bool:
		if x {
			e.buf = append(e.buf, tagTrue)
		} else {
			e.buf = append(e.buf, tagFalse)
		}
	case nil:
		e.buf = append(e.buf, tagFullNil)
	default:
		out, _ := json.Marshal(v)
		e.buf = append(e.buf, tagOther)
		e.bytes(string(out))
	}
}

// appendJSONFloat appends f as encoding/json writes a float64, so that a
// number decoded as json.Number and the same number decoded as float64
// write the same bytes whenever encoding/json would write them alike.
func appendJSONFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
