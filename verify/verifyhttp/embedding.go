package verifyhttp

import (
	_ "embed"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// WithCORSOrigins lets web pages from these origins call the JSON API
// (POST /v1/verify, POST /v1/verify/batch, GET /v1/challenge) from the
// browser: e.g. "https://jobs.example.kr". Each origin is a scheme and
// host (and port), nothing more; "*" allows every origin, which suits a
// public verifier that keeps no cookies. By default no other origin may
// call it (browsers enforce the same-origin rule).
func WithCORSOrigins(origins ...string) Option {
	return func(c *config) error {
		for _, o := range origins {
			if o == "*" {
				continue
			}
			if err := checkOrigin(o, false); err != nil {
				return fmt.Errorf("verifyhttp: CORS origin %q: %w", o, err)
			}
		}
		c.corsOrigins = append(c.corsOrigins[:0:0], origins...)
		return nil
	}
}

// WithFrameAncestors lets pages of these origins embed the web page in a
// frame, as a recruitment site does to verify badges inside its own
// pages: e.g. "https://jobs.example.kr" or "https://*.example.kr"; "'self'"
// allows this server's own pages. It becomes the page's Content-Security-
// Policy frame-ancestors. By default no page may embed it
// (frame-ancestors 'none' and X-Frame-Options: DENY).
func WithFrameAncestors(origins ...string) Option {
	return func(c *config) error {
		if len(origins) == 0 {
			return fmt.Errorf("verifyhttp: no frame ancestors given")
		}
		for _, o := range origins {
			if o == "'self'" {
				continue
			}
			if err := checkOrigin(o, true); err != nil {
				return fmt.Errorf("verifyhttp: frame ancestor %q: %w", o, err)
			}
		}
		c.frameAncestors = append(c.frameAncestors[:0:0], origins...)
		return nil
	}
}

// checkOrigin accepts scheme://host[:port]; a leading "*." in the host only
// when wildcard is set.
func checkOrigin(o string, wildcard bool) error {
	if strings.ContainsAny(o, " ;,'\"") {
		return fmt.Errorf("want scheme://host[:port]")
	}
	host := o
	if wildcard {
		host = strings.Replace(o, "://*.", "://wildcard.", 1)
	}
	u, err := url.Parse(host)
	if err != nil {
		return err
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("want scheme://host[:port] with scheme http or https")
	}
	return nil
}

// corsHeaders answers cross-origin requests to the API from allowed
// origins, and their preflight requests.
func (h *Handler) corsHeaders(next http.Handler) http.Handler {
	if len(h.cfg.corsOrigins) == 0 {
		return next
	}
	any := slices.Contains(h.cfg.corsOrigins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		api := strings.HasPrefix(r.URL.Path, "/v1/")
		if !api || origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		hd := w.Header()
		hd.Add("Vary", "Origin")
		allowed := any || slices.Contains(h.cfg.corsOrigins, origin)
		if allowed {
			if any {
				hd.Set("Access-Control-Allow-Origin", "*")
			} else {
				hd.Set("Access-Control-Allow-Origin", origin)
			}
			hd.Set("Access-Control-Expose-Headers", "X-Request-Id")
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			if allowed {
				hd.Set("Access-Control-Allow-Methods", "GET, POST")
				hd.Set("Access-Control-Allow-Headers", "Content-Type, X-Request-Id")
				hd.Set("Access-Control-Max-Age", "600")
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// framePolicy is the page's frame-ancestors source list.
func (h *Handler) framePolicy() string {
	if len(h.cfg.frameAncestors) == 0 {
		return "'none'"
	}
	return strings.Join(h.cfg.frameAncestors, " ")
}

// favicon is the page's icon: a badge with a check mark.
//
//go:embed favicon.svg
var favicon []byte

func (h *Handler) handleFavicon(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Type", "image/svg+xml")
	hd.Set("Cache-Control", "public, max-age=86400")
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(http.StatusOK)
	w.Write(favicon)
}
