package rdfc

import (
	"io"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// A line is one quad serialized as N-Quads, with json-gold's rules
// (toNQuad and escape in serialize_nquads.go). A short line is held whole.
// A line with a long term, typically an image embedded as a data URL or a
// page of HTML, is held in parts that share the dataset's own strings, a
// long value unescaped: the term is never copied, neither to sort the
// lines nor to hash or write them, so a certificate with megabytes of
// images costs no more than one copy of them.
type line struct {
	whole string // the line, when short
	parts []part // the line in pieces, when whole is ""
	n     int    // the length of the line's text
}

// A part is a piece of a line's text: s, escaped when esc is set.
type part struct {
	s   string
	esc bool
}

// maxWholeLine is the longest line held whole, and the longest value
// escaped when its line is built.
const maxWholeLine = 512

// maxParts is the most pieces a line has: a subject IRI (3), a predicate
// IRI (3), a literal with a datatype (6), a graph IRI (3) and four
// separators.
const maxParts = 19

// escapable are the bytes N-Quads escapes; escapes holds their escapes.
const escapable = "\\\"\n\r\t"

var escapes = [256]string{'\\': `\\`, '"': `\"`, '\n': `\n`, '\r': `\r`, '\t': `\t`}

// newLine serializes the quad (s, p, o, g); g is nil in the default graph.
func newLine(s, p, o, g ld.Node) line {
	var buf [maxParts]part
	parts := buf[:0]
	parts = appendTerm(parts, s)
	parts = append(parts, part{s: " "})
	parts = appendTerm(parts, p)
	parts = append(parts, part{s: " "})
	parts = appendTerm(parts, o)
	if g != nil {
		parts = append(parts, part{s: " "})
		parts = appendTerm(parts, g)
	}
	parts = append(parts, part{s: " .\n"})
	n, whole := 0, true
	for _, x := range parts {
		if x.esc {
			n += escapedLen(x.s)
			whole = false
		} else {
			n += len(x.s)
		}
	}
	if !whole || n > maxWholeLine {
		return line{parts: append([]part(nil), parts...), n: n}
	}
	var b strings.Builder
	b.Grow(n)
	for _, x := range parts {
		b.WriteString(x.s)
	}
	return line{whole: b.String(), n: n}
}

// appendTerm appends the pieces of one term.
func appendTerm(parts []part, n ld.Node) []part {
	switch {
	case ld.IsIRI(n):
		return append(parts, part{s: "<"}, value(n.GetValue()), part{s: ">"})
	case ld.IsBlankNode(n):
		return append(parts, part{s: n.GetValue()})
	}
	lit := n.(ld.Literal)
	parts = append(parts, part{s: "\""}, value(lit.GetValue()), part{s: "\""})
	switch {
	case lit.Datatype == ld.RDFLangString:
		parts = append(parts, part{s: "@"}, part{s: lit.Language})
	case lit.Datatype != ld.XSDString:
		parts = append(parts, part{s: "^^<"}, value(lit.Datatype), part{s: ">"})
	}
	return parts
}

// value is the part of an IRI or a literal's value: escaped now when
// short, else later, piece by piece, if it needs it at all.
func value(v string) part {
	if len(v) <= maxWholeLine {
		return part{s: escape(v)}
	}
	for i := 0; i < len(escapable); i++ {
		if strings.IndexByte(v, escapable[i]) >= 0 {
			return part{s: v, esc: true}
		}
	}
	return part{s: v}
}

// escapedLen is len(escape(s)).
func escapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(escapable); i++ {
		n += strings.Count(s, escapable[i:i+1])
	}
	return n
}

// cursor reads a line's text chunk by chunk.
type cursor struct {
	parts []part
	cur   string
	esc   bool
	// next holds, when esc, the position in cur of the first of each
	// escapable byte, len(cur) if there is none.
	next [len(escapable)]int
}

func (l *line) cursor() cursor {
	if l.parts == nil {
		return cursor{cur: l.whole}
	}
	return cursor{parts: l.parts}
}

// chunk returns the next chunk of text, "" at the end.
func (c *cursor) chunk() string {
	for c.cur == "" {
		if len(c.parts) == 0 {
			return ""
		}
		c.cur, c.esc = c.parts[0].s, c.parts[0].esc
		c.parts = c.parts[1:]
		if c.esc {
			for k := range c.next {
				c.next[k] = indexOr(c.cur, escapable[k])
			}
		}
	}
	if !c.esc {
		x := c.cur
		c.cur = ""
		return x
	}
	m := len(c.cur)
	for _, i := range c.next {
		m = min(m, i)
	}
	if m > 0 {
		x := c.cur[:m]
		c.advance(m)
		return x
	}
	x := escapes[c.cur[0]]
	c.advance(1)
	return x
}

func (c *cursor) advance(m int) {
	c.cur = c.cur[m:]
	for k := range c.next {
		if c.next[k] -= m; c.next[k] < 0 {
			c.next[k] = indexOr(c.cur, escapable[k])
		}
	}
}

func indexOr(s string, b byte) int {
	if i := strings.IndexByte(s, b); i >= 0 {
		return i
	}
	return len(s)
}

// compareLines orders lines as their texts compare, byte by byte.
func compareLines(a, b line) int {
	if a.parts == nil && b.parts == nil {
		return strings.Compare(a.whole, b.whole)
	}
	ca, cb := a.cursor(), b.cursor()
	var x, y string
	for {
		if x == "" {
			x = ca.chunk()
		}
		if y == "" {
			y = cb.chunk()
		}
		switch {
		case x == "" && y == "":
			return 0
		case x == "":
			return -1
		case y == "":
			return 1
		}
		n := min(len(x), len(y))
		if c := strings.Compare(x[:n], y[:n]); c != 0 {
			return c
		}
		x, y = x[n:], y[n:]
	}
}

// text returns the lines joined, as one string.
func text(lines []line) string {
	n := 0
	for i := range lines {
		n += lines[i].n
	}
	var b strings.Builder
	b.Grow(n)
	for i := range lines {
		c := lines[i].cursor()
		for x := c.chunk(); x != ""; x = c.chunk() {
			b.WriteString(x)
		}
	}
	return b.String()
}

// appendLines appends the lines' text to dst.
func appendLines(dst []byte, lines []line) []byte {
	for i := range lines {
		c := lines[i].cursor()
		for x := c.chunk(); x != ""; x = c.chunk() {
			dst = append(dst, x...)
		}
	}
	return dst
}

// writeLines writes the lines' text to w (a hash, typically) through sw's
// buffer, so that no piece is converted to a []byte of its own.
func (sw *stringWriter) writeLines(w io.Writer, lines []line) error {
	sw.w, sw.n, sw.err = w, 0, nil
	for i := range lines {
		c := lines[i].cursor()
		for x := c.chunk(); x != ""; x = c.chunk() {
			sw.writeString(x)
		}
	}
	return sw.flush()
}

// stringWriter buffers strings on their way to an io.Writer.
type stringWriter struct {
	w   io.Writer
	buf [4096]byte
	n   int
	err error
}

func (s *stringWriter) writeString(x string) {
	for len(x) > 0 && s.err == nil {
		c := copy(s.buf[s.n:], x)
		s.n += c
		x = x[c:]
		if s.n == len(s.buf) {
			s.flush()
		}
	}
}

func (s *stringWriter) flush() error {
	if s.err == nil && s.n > 0 {
		_, s.err = s.w.Write(s.buf[:s.n])
	}
	s.n = 0
	return s.err
}
