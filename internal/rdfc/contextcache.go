package rdfc

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"hash"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/piprate/json-gold/ld"
)

// Processing a document's @context (loading each context it names and
// building a term definition for every term) costs more than expanding a
// certificate, and every certificate of an issuer names the same contexts.
// So the active context a top-level @context value produces is kept, in a
// bounded cache, and the document is expanded from it (expandWith) as
// json-gold's JsonLdProcessor.Expand would after processing that value.
// json-gold only reads an active context once built (expansion copies it
// before changing anything), so one value serves concurrent calls.
//
// The key is a digest of everything the processing depends on: the value
// itself, written so that values JSON-LD processing may read differently
// (a float64 and a json.Number, say) never share a key; the caller's
// contexts (by identity: a Contexts value never changes); and safe mode,
// which json-gold reads from the active context.

// contextCacheSize bounds the number of active contexts kept. An active
// context holds a term definition for every term of the contexts named
// (10-30 KB for a badge's, sharing the embedded contexts' documents; some
// hundreds of KB for the largest inline context kept), so a flood of
// distinct contexts costs at most some megabytes; an issuer's certificates
// name one.
const contextCacheSize = 64

// maxCachedContext bounds the size of a @context value whose processing
// is kept (its encoding in the key's digest), so that no entry holds the
// definitions of a huge inline context.
const maxCachedContext = 16 << 10

var contextCache = func() *lru.Cache[[32]byte, *ld.Context] {
	c, err := lru.New[[32]byte, *ld.Context](contextCacheSize)
	if err != nil {
		panic(err)
	}
	return c
}()

// contextsID numbers Contexts values, so that a key names the caller's
// contexts by identity without holding a pointer that could be reused.
var contextsID atomic.Uint64

func nextContextsID() uint64 { return contextsID.Add(1) }

func (c *Contexts) id() uint64 {
	if c == nil {
		return 0
	}
	return c.ident
}

// activeContext returns the active context that processing the @context
// value local produces for a top-level document under opts (whose loader
// serves extra), from the cache when it holds it. ok is false when the
// value is not one the cache keeps; the caller then leaves processing to
// json-gold.
func activeContext(local any, opts *ld.JsonLdOptions, extra *Contexts) (ctx *ld.Context, ok bool, err error) {
	key, ok := contextKey(local, opts.SafeMode, extra.id())
	if !ok {
		return nil, false, nil
	}
	if c, hit := contextCache.Get(key); hit {
		return c, c != nil, nil
	}
	// Processed with options of its own: the cached context keeps them.
	own := ld.NewJsonLdOptions("")
	own.DocumentLoader = embeddedLoader{extra: extra}
	own.SafeMode = opts.SafeMode
	// A copy of its own, so that the cached context holds no string of the
	// document (a decoder may slice them all from one copy of its input).
	c, err := ld.NewContext(nil, own).Parse(cloneJSON(local))
	if err != nil {
		return nil, true, err
	}
	if !startsAlike(c) {
		c = nil // remembered as not usable
	}
	contextCache.Add(key, c)
	return c, c != nil, nil
}

// startsAlike reports whether expanding a document from active, without
// its @context, runs as json-gold's expansion of the document with it: at
// the top level, json-gold reads the empty initial context (the empty
// active property's expansion and scoped context) and reverts to a
// previous context before it processes @context. Only a context with
// "@propagate": false, or one that defines the empty term or makes it
// expand to @graph or @reverse, differs there.
func startsAlike(active *ld.Context) bool {
	if active.RevertToPreviousContext() != active || active.GetTermDefinition("") != nil {
		return false
	}
	p, err := active.ExpandIri("", false, true, nil, nil)
	return err == nil && p != "@graph" && p != "@reverse"
}

// contextKey digests a @context value and the options its processing
// reads. ok is false for a value too large, or holding a type other than
// those encoding/json and jsonx decode to.
func contextKey(local any, strict bool, extra uint64) (key [32]byte, ok bool) {
	h := sha256.New()
	var head [9]byte
	if strict {
		head[0] = 1
	}
	binary.BigEndian.PutUint64(head[1:], extra)
	h.Write(head[:])
	w := keyWriter{h: h}
	if !w.value(local) {
		return key, false
	}
	h.Sum(key[:0])
	return key, true
}

type keyWriter struct {
	h   hash.Hash
	n   int
	buf []byte
}

// value writes v in a tagged, unambiguous form; false when v cannot be
// keyed.
func (w *keyWriter) value(v any) bool {
	w.buf = w.buf[:0]
	switch x := v.(type) {
	case nil:
		w.buf = append(w.buf, 'z')
	case bool:
		w.buf = append(w.buf, 'b')
		if x {
			w.buf = append(w.buf, 1)
		} else {
			w.buf = append(w.buf, 0)
		}
	case float64:
		w.buf = append(w.buf, 'f')
		w.buf = binary.BigEndian.AppendUint64(w.buf, math.Float64bits(x))
	case json.Number:
		return w.str('n', string(x))
	case string:
		return w.str('s', x)
	case []any:
		w.buf = append(w.buf, '[')
		w.buf = binary.BigEndian.AppendUint64(w.buf, uint64(len(x)))
		if !w.flush() {
			return false
		}
		for _, e := range x {
			if !w.value(e) {
				return false
			}
		}
		return true
	case map[string]any:
		w.buf = append(w.buf, '{')
		w.buf = binary.BigEndian.AppendUint64(w.buf, uint64(len(x)))
		if !w.flush() {
			return false
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !w.str('k', k) || !w.value(x[k]) {
				return false
			}
		}
		return true
	default:
		return false
	}
	return w.flush()
}

func (w *keyWriter) str(tag byte, s string) bool {
	if w.n+len(s) > maxCachedContext {
		return false
	}
	w.buf = append(w.buf[:0], tag)
	w.buf = strconv.AppendUint(w.buf, uint64(len(s)), 10)
	w.buf = append(w.buf, ':')
	w.buf = append(w.buf, s...)
	return w.flush()
}

func (w *keyWriter) flush() bool {
	w.n += len(w.buf)
	if w.n > maxCachedContext {
		return false
	}
	w.h.Write(w.buf)
	return true
}

// cloneJSON deep-copies a decoded JSON value, its strings included.
func cloneJSON(v any) any {
	switch x := v.(type) {
	case string:
		return strings.Clone(x)
	case json.Number:
		return json.Number(strings.Clone(string(x)))
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneJSON(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[strings.Clone(k)] = cloneJSON(e)
		}
		return out
	}
	return v
}
