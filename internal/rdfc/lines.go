package rdfc

import (
	"io"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// A line is one quad serialized as N-Quads, with json-gold's rules
// (toNQuad and escape in serialize_nquads.go). A short line is held whole.
// A line with a long term, typically an image embedded as a data URL or a
// page of HTML, is held in parts that share the dataset's own strings: the
// term is never copied, neither to sort the lines nor to hash or write
// them, so a certificate with megabytes of images costs no more than one
// copy of them.
type line struct {
	whole string   // the line, when short
	parts []string // the line in pieces, when whole is ""
}

// maxWholeLine is the longest line held whole.
const maxWholeLine = 512

// maxParts is the most pieces a line has: a subject IRI (3), a predicate
// IRI (3), a literal with a datatype (6), a graph IRI (3) and four
// separators.
const maxParts = 19

// newLine serializes the quad (s, p, o, g); g is nil in the default graph.
func newLine(s, p, o, g ld.Node) line {
	var buf [maxParts]string
	parts := buf[:0]
	parts = appendTerm(parts, s)
	parts = append(parts, " ")
	parts = appendTerm(parts, p)
	parts = append(parts, " ")
	parts = appendTerm(parts, o)
	if g != nil {
		parts = append(parts, " ")
		parts = appendTerm(parts, g)
	}
	parts = append(parts, " .\n")
	n := 0
	for _, x := range parts {
		n += len(x)
	}
	if n > maxWholeLine {
		return line{parts: append([]string(nil), parts...)}
	}
	var b strings.Builder
	b.Grow(n)
	for _, x := range parts {
		b.WriteString(x)
	}
	return line{whole: b.String()}
}

// appendTerm appends the pieces of one term.
func appendTerm(parts []string, n ld.Node) []string {
	switch {
	case ld.IsIRI(n):
		return append(parts, "<", escape(n.GetValue()), ">")
	case ld.IsBlankNode(n):
		return append(parts, n.GetValue())
	}
	lit := n.(ld.Literal)
	parts = append(parts, "\"", escape(lit.GetValue()), "\"")
	switch {
	case lit.Datatype == ld.RDFLangString:
		parts = append(parts, "@", lit.Language)
	case lit.Datatype != ld.XSDString:
		parts = append(parts, "^^<", escape(lit.Datatype), ">")
	}
	return parts
}

func (l *line) pieces() []string {
	if l.parts != nil {
		return l.parts
	}
	return []string{l.whole}
}

func (l *line) len() int {
	if l.parts == nil {
		return len(l.whole)
	}
	n := 0
	for _, x := range l.parts {
		n += len(x)
	}
	return n
}

// compareLines orders lines as their texts compare, byte by byte.
func compareLines(a, b line) int {
	if a.parts == nil && b.parts == nil {
		return strings.Compare(a.whole, b.whole)
	}
	pa, pb := a.pieces(), b.pieces()
	var x, y string
	for {
		for x == "" && len(pa) > 0 {
			x, pa = pa[0], pa[1:]
		}
		for y == "" && len(pb) > 0 {
			y, pb = pb[0], pb[1:]
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
		n += lines[i].len()
	}
	var b strings.Builder
	b.Grow(n)
	for i := range lines {
		if lines[i].parts == nil {
			b.WriteString(lines[i].whole)
			continue
		}
		for _, x := range lines[i].parts {
			b.WriteString(x)
		}
	}
	return b.String()
}

// appendLines appends the lines' text to dst.
func appendLines(dst []byte, lines []line) []byte {
	for i := range lines {
		if lines[i].parts == nil {
			dst = append(dst, lines[i].whole...)
			continue
		}
		for _, x := range lines[i].parts {
			dst = append(dst, x...)
		}
	}
	return dst
}

// writeLines writes the lines' text to w (a hash, typically) through a
// small buffer, so that no piece is converted to a []byte of its own.
func writeLines(w io.Writer, lines []line) error {
	sw := stringWriter{w: w}
	for i := range lines {
		if lines[i].parts == nil {
			sw.writeString(lines[i].whole)
			continue
		}
		for _, x := range lines[i].parts {
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
