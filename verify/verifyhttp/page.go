package verifyhttp

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
)

// page is the web page: one HTML file with its CSS and JavaScript inline and
// no external assets.
//
//go:embed page.html
var page []byte

// pageCSP allows exactly the page's own inline style and script (by hash)
// and requests to this origin.
var pageCSP = func() string {
	hashes := func(re string) string {
		var out []string
		for _, m := range regexp.MustCompile(re).FindAllSubmatch(page, -1) {
			sum := sha256.Sum256(m[1])
			out = append(out, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
		}
		return strings.Join(out, " ")
	}
	return "default-src 'none'; connect-src 'self'; img-src 'self' data:; " +
		"style-src " + hashes(`(?s)<style>(.*?)</style>`) + "; " +
		"script-src " + hashes(`(?s)<script>(.*?)</script>`) + "; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}()

func (h *Handler) handlePage(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Security-Policy", pageCSP)
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	w.Write(page)
}
