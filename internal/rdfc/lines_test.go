package rdfc

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"
)

// Lines held in pieces, long values escaped piece by piece, read, sort and
// write as the quads' N-Quads text does.
func TestLinesMatchNQuads(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alphabet := []string{"a", "b", "/", "+", "=", "\\", "\"", "\n", "\r", "\t", "é", "<", ">"}
	str := func() string {
		var n int
		switch r.Intn(4) {
		case 0:
			n = r.Intn(8)
		case 1:
			n = maxWholeLine - 4 + r.Intn(8)
		default:
			n = r.Intn(3 * maxWholeLine)
		}
		plain := r.Intn(3) == 0 // base64, say
		var b strings.Builder
		for b.Len() < n {
			if !plain && r.Intn(4) == 0 {
				b.WriteString(alphabet[r.Intn(len(alphabet))])
			} else {
				b.WriteString("ab/+="[r.Intn(5):][:1])
			}
		}
		return b.String()
	}
	node := func(object bool) ld.Node {
		switch r.Intn(5) {
		case 0:
			return ld.NewBlankNode("_:c14n1")
		case 1, 2:
			return ld.NewIRI("data:" + str())
		}
		if !object {
			return ld.NewIRI("urn:" + str())
		}
		switch r.Intn(3) {
		case 0:
			return ld.NewLiteral(str(), ld.XSDString, "")
		case 1:
			return ld.NewLiteral(str(), ld.RDFLangString, "en")
		}
		return ld.NewLiteral(str(), "urn:type:"+str(), "")
	}
	var lines []line
	var texts []string
	for range 300 {
		s, p, o := node(false), ld.NewIRI("urn:p:"+str()), node(true)
		var g ld.Node
		if r.Intn(2) == 0 {
			g = ld.NewIRI("urn:g")
		}
		l := newLine(s, p, o, g)
		want := nquad(s, p, o, g)
		if got := text([]line{l}); got != want {
			t.Fatalf("text:\n got %q\nwant %q", got, want)
		}
		if l.n != len(want) {
			t.Fatalf("n = %d, want %d", l.n, len(want))
		}
		lines, texts = append(lines, l), append(texts, want)
		// Lines sharing a long prefix compare beyond it.
		if r.Intn(3) == 0 {
			l2 := newLine(s, p, node(true), g)
			lines, texts = append(lines, l2), append(texts, text([]line{l2}))
		}
	}
	for i := range lines {
		for j := range lines {
			if got, want := compareLines(lines[i], lines[j]), strings.Compare(texts[i], texts[j]); got != want {
				t.Fatalf("compare %d %d = %d, want %d", i, j, got, want)
			}
		}
	}
	var sw stringWriter
	var buf bytes.Buffer
	if err := sw.writeLines(&buf, lines); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(texts, "")
	if buf.String() != all || text(lines) != all || string(appendLines(nil, lines)) != all {
		t.Error("writeLines, text and appendLines differ from the lines' text")
	}
}
