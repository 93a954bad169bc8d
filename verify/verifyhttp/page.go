package verifyhttp

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
)

// pageHTML is the web page: one HTML file with its CSS and JavaScript
// inline and no external assets but its icon.
//
//go:embed page.html
var pageHTML []byte

// pageI18N holds the page's Korean and English texts: names of the checks
// and statuses, the verdict banners, and the explanation of each check
// outcome keyed by check id, status and code (see verify's code table).
//
//go:embed page_i18n.json
var pageI18N []byte

// page is pageHTML with pageI18N put in place of its /*I18N*/ marker.
var page = func() []byte {
	var compact bytes.Buffer
	if err := json.Compact(&compact, pageI18N); err != nil {
		panic("verifyhttp: page_i18n.json: " + err.Error())
	}
	// Nothing in the texts may end the script element.
	js := strings.ReplaceAll(compact.String(), "</", `<\/`)
	return bytes.Replace(pageHTML, []byte("/*I18N*/null"), []byte(js), 1)
}()

// pageCSP allows exactly the page's own inline style and script (by hash),
// its icon and requests to this origin; handlePage adds frame-ancestors.
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
		"base-uri 'none'; form-action 'none'"
}()

func (h *Handler) handlePage(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Security-Policy", pageCSP+"; frame-ancestors "+h.framePolicy())
	hd.Set("Referrer-Policy", "no-referrer")
	if len(h.cfg.frameAncestors) == 0 {
		// X-Frame-Options cannot name origins; frame-ancestors does.
		hd.Set("X-Frame-Options", "DENY")
	}
	hd.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	w.Write(page)
}
