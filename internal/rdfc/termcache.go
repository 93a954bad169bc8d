package rdfc

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

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
	var b strings.Builder
	writeShape(&b, v, "")
	return sha256.Sum256([]byte(b.String()))
}

func keepsValue(key string) bool {
	return key == "type" || strings.HasPrefix(key, "@") || strings.HasSuffix(key, "Type")
}

func writeShape(b *strings.Builder, v any, key string) {
	if key == "@context" {
		out, _ := json.Marshal(v) // a context counts whole
		b.Write(out)
		return
	}
	switch x := v.(type) {
	case map[string]any:
		names := make([]string, 0, len(x))
		for k := range x {
			names = append(names, k)
		}
		slices.Sort(names)
		b.WriteByte('{')
		for _, k := range names {
			b.WriteString(strconv.Quote(k))
			b.WriteByte(':')
			writeShape(b, x[k], k)
			b.WriteByte(',')
		}
		b.WriteByte('}')
	case []any:
		shapes := make([]string, 0, len(x))
		for _, e := range x {
			var eb strings.Builder
			writeShape(&eb, e, key)
			shapes = append(shapes, eb.String())
		}
		slices.Sort(shapes)
		b.WriteByte('[')
		for _, sh := range slices.Compact(shapes) {
			b.WriteString(sh)
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case string:
		if keepsValue(key) {
			b.WriteString(strconv.Quote(x))
		} else {
			b.WriteByte('s')
		}
	case float64, json.Number:
		b.WriteByte('n')
	case bool:
		b.WriteByte('b')
	default:
		b.WriteByte('0')
	}
}
