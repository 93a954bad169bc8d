package badge

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// isURLRegexp is the definition IsURL implements: a scheme (RFC 3986), a
// colon, one or more characters that are not white space (Go's \s: space,
// tab, line feed, form feed, carriage return), and no control character.
var isURLRegexp = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$`)

func isURLReference(s string) bool {
	return isURLRegexp.MatchString(s) && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// urlPieces are the bytes and characters whose handling decides IsURL: the
// classes of the scheme, the colon, every kind of white space and control
// character (ASCII and not), and bytes that are not valid UTF-8.
var urlPieces = []string{
	"a", "Z", "q", "0", "9", "+", "-", ".", ":", "/", "_", "%", "@", "~", "[", "`", "{",
	" ", "\t", "\n", "\v", "\f", "\r", "\x00", "\x1f", "\x7f",
	"\x80", "\xff", "\xc3", "é", "\u0085", "\u00a0", "\u2028", "\u3000", "\ufeff", "정",
}

// IsURL decides as the regular expression did on every string of up to
// three pieces and on many longer random ones.
func TestIsURLMatchesRegexp(t *testing.T) {
	check := func(s string) {
		if got, want := IsURL(s), isURLReference(s); got != want {
			t.Fatalf("IsURL(%q) = %v, the regular expression says %v", s, got, want)
		}
	}
	check("")
	n := len(urlPieces)
	for i := range n {
		check(urlPieces[i])
		for j := range n {
			check(urlPieces[i] + urlPieces[j])
			for k := range n {
				check(urlPieces[i] + urlPieces[j] + urlPieces[k])
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	prefixes := []string{"", "https:", "did:", "urn:uuid:", "a+b-c.d:", "x"}
	for range 100_000 {
		var b strings.Builder
		b.WriteString(prefixes[rng.IntN(len(prefixes))])
		for range rng.IntN(12) {
			b.WriteString(urlPieces[rng.IntN(n)])
		}
		check(b.String())
	}
	for _, s := range []string{
		"https://example.org/x", "did:example:123", "urn:uuid:1", "data:,x", "mailto:a@b", "HTTP://X",
		"https://example.org/a b", "https://example.org/\x7f", "https:", "1https://x", "ht tp://x", "https://x\n",
	} {
		check(s)
	}
}

func FuzzIsURL(f *testing.F) {
	for _, s := range []string{"https://example.org/x", "did:example:123", "urn:uuid:1", "a:\x7f", "a:\u0085", ":x", "a b:c", "z:\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := IsURL(s), isURLReference(s); got != want {
			t.Fatalf("IsURL(%q) = %v, the regular expression says %v", s, got, want)
		}
	})
}

func BenchmarkIsURL(b *testing.B) {
	urls := []string{"https://www.w3.org/ns/credentials/v2", "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", "urn:uuid:bench-0517", "fake-issuer"}
	b.Run("IsURL", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			IsURL(urls[i%len(urls)])
		}
	})
	b.Run("regexp", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			isURLReference(urls[i%len(urls)])
		}
	})
}
