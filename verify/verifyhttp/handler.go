package verifyhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/verify"
)

// Handler serves the verifier's HTTP API and web page. Build it with
// NewHandler; it is safe for concurrent use.
type Handler struct {
	v          *verify.Verifier
	cfg        config
	challenges *challengeStore
	mux        *http.ServeMux
	root       http.Handler
	// panics counts requests that ended in a recovered panic: bugs.
	panics atomic.Uint64
}

var _ http.Handler = (*Handler)(nil)

// NewHandler wraps v in an http.Handler with these routes:
//
//	POST /v1/verify              one credential or presentation → a Report
//	POST /v1/verify/batch        a JSON array of documents → an array of Reports
//	GET  /v1/challenge           {challenge, domain, expires} for a presentation
//	GET  /healthz                {"status":"ok"}: the process is alive
//	GET  /readyz                 {"status":"ready"}, or 503 while not ready (WithReadiness) or shutting down
//	GET  /                       the web page
//	GET  /favicon.svg            the page's icon (also at /favicon.ico)
//	GET  /v1/demo/badges[/{name}] samples, when WithDemoBadges is given
//
// A verification answers 200 with the Report whatever its verdict; bodies
// that are not a document at all get a Report whose format check failed and
// 400; bodies over the limit get 413.
func NewHandler(v *verify.Verifier, opts ...Option) (*Handler, error) {
	if v == nil {
		return nil, errors.New("verifyhttp: nil verifier")
	}
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.maxBatchBytes < cfg.maxBody {
		return nil, fmt.Errorf("verifyhttp: batch body limit %d is below the document limit %d", cfg.maxBatchBytes, cfg.maxBody)
	}
	challenges, err := newChallengeStore(cfg.challengeTTL, cfg.maxChallenges, cfg.now, cfg.challengeStore, cfg.challengeKey)
	if err != nil {
		return nil, err
	}
	if err := cfg.metrics.registerCaches(v); err != nil {
		return nil, err
	}
	h := &Handler{v: v, cfg: cfg, challenges: challenges, mux: http.NewServeMux()}
	h.mux.HandleFunc("POST /v1/verify", h.handleVerify)
	h.mux.HandleFunc("POST /v1/verify/batch", h.handleBatch)
	h.mux.HandleFunc("GET /v1/challenge", h.handleChallenge)
	h.mountVCAPI()
	h.mux.HandleFunc("GET /healthz", h.handleHealth)
	h.mux.HandleFunc("GET /readyz", h.handleReady)
	h.mux.HandleFunc("GET /{$}", h.handlePage)
	h.mux.HandleFunc("GET /favicon.svg", h.handleFavicon)
	h.mux.HandleFunc("GET /favicon.ico", h.handleFavicon)
	if cfg.demo != nil {
		h.mux.HandleFunc("GET /v1/demo/badges", h.handleDemoList)
		h.mux.HandleFunc("GET /v1/demo/badges/{name}", h.handleDemoBadge)
	}
	h.root = h.logged(h.recovered(h.corsHeaders(h.mux)))
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.root.ServeHTTP(w, r) }

// Domain is the domain presentations must be bound to.
func (h *Handler) Domain() string { return h.cfg.domain }

func (h *Handler) handleVerify(w http.ResponseWriter, r *http.Request) {
	body, code, rep := h.readBody(w, r, h.cfg.maxBody)
	if rep != nil {
		h.writeReport(w, code, rep)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.verifyTimeout)
	defer cancel()
	start := time.Now()
	rep = h.verifyDocument(ctx, body)
	h.cfg.metrics.observeReports("verify", start, rep)
	code = http.StatusOK
	if unparsable(rep) {
		code = http.StatusBadRequest
	}
	h.writeReport(w, code, rep)
}

func (h *Handler) handleBatch(w http.ResponseWriter, r *http.Request) {
	body, code, rep := h.readBody(w, r, h.cfg.maxBatchBytes)
	if rep != nil {
		h.writeReport(w, code, rep)
		return
	}
	var docs []json.RawMessage
	if err := json.Unmarshal(body, &docs); err != nil || docs == nil {
		h.writeReport(w, http.StatusBadRequest, formatReport("the batch must be a JSON array of credentials or presentations"))
		return
	}
	if len(docs) == 0 {
		h.writeReport(w, http.StatusBadRequest, formatReport("the batch is empty"))
		return
	}
	if len(docs) > h.cfg.maxBatch {
		h.writeReport(w, http.StatusRequestEntityTooLarge, formatReport(fmt.Sprintf("the batch holds %d documents, at most %d are accepted", len(docs), h.cfg.maxBatch)))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.verifyTimeout)
	defer cancel()
	start := time.Now()
	reports := make([]*verify.Report, len(docs))
	var creds [][]byte
	var credIdx []int
	for i, d := range docs {
		switch {
		case int64(len(d)) > h.cfg.maxBody:
			reports[i] = formatReport(fmt.Sprintf("document %d is %d bytes, larger than the %d-byte limit", i, len(d), h.cfg.maxBody))
		case badge.Sniff(d) == badge.KindPresentation:
			reports[i] = h.verifyDocument(ctx, d)
		default:
			creds = append(creds, d)
			credIdx = append(credIdx, i)
		}
	}
	for j, rep := range h.v.VerifyBatch(ctx, creds) {
		reports[credIdx[j]] = rep
	}
	h.cfg.metrics.observeReports("batch", start, reports...)
	counts := map[verify.Status]int{}
	for _, rep := range reports {
		counts[rep.Status]++
	}
	setVerdict(w, fmt.Sprintf("batch of %d: %d verified, %d failed, %d indeterminate", len(reports),
		counts[verify.StatusVerified], counts[verify.StatusFailed], counts[verify.StatusIndeterminate]))
	writeJSON(w, http.StatusOK, reports)
}

// verifyDocument verifies one document; a presentation must be bound to
// this handler's domain and to a challenge it issued, used up once the
// holder's signature has verified.
func (h *Handler) verifyDocument(ctx context.Context, data []byte) *verify.Report {
	return h.v.Verify(ctx, data, verify.Binding{Domain: h.cfg.domain, AcceptChallenge: func(c string) error { return h.challenges.consume(ctx, c) }})
}

// readBody reads at most limit bytes of the request body. On failure it
// returns the status code and a Report to answer with.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, int, *verify.Report) {
	tooLarge := func() ([]byte, int, *verify.Report) {
		return nil, http.StatusRequestEntityTooLarge, formatReport(fmt.Sprintf("the request body is larger than the %d-byte limit", limit))
	}
	if r.ContentLength > limit {
		return tooLarge()
	}
	rd := http.MaxBytesReader(w, r.Body, limit)
	var body []byte
	var err error
	if n := r.ContentLength; n > 0 && n <= limit {
		// The announced size, read into one buffer of one byte more, which
		// only a body longer than announced fills (then the rest is read
		// as below).
		buf := make([]byte, n+1)
		m, rerr := io.ReadFull(rd, buf)
		switch {
		case rerr == nil:
			var rest []byte
			rest, err = io.ReadAll(rd)
			body = append(buf, rest...)
		case rerr == io.EOF, rerr == io.ErrUnexpectedEOF:
			body = buf[:m]
		default:
			body, err = buf[:m], rerr
		}
	} else {
		body, err = io.ReadAll(rd)
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return tooLarge()
	case err != nil:
		return nil, http.StatusBadRequest, formatReport("could not read the request body: " + err.Error())
	case len(bytes.TrimSpace(body)) == 0:
		return nil, http.StatusBadRequest, formatReport("the request body is empty: send a credential or a presentation as JSON")
	}
	return body, 0, nil
}

// formatReport is the Report for a body that is not a document.
func formatReport(msg string) *verify.Report {
	return verify.NewReport(verify.Check{ID: verify.CheckFormat, Status: verify.StatusFailed, Message: msg, Err: verify.ErrMalformed})
}

// unparsable reports whether rep says the input could not be parsed at all:
// only a failed format check, nothing else known.
func unparsable(rep *verify.Report) bool {
	return len(rep.Checks) == 1 && rep.Checks[0].ID == verify.CheckFormat && rep.Checks[0].Status == verify.StatusFailed &&
		rep.Credential == nil && len(rep.Credentials) == 0
}

func (h *Handler) writeReport(w http.ResponseWriter, code int, rep *verify.Report) {
	setVerdict(w, string(rep.Status))
	writeJSON(w, code, rep)
}

type challengeResponse struct {
	Challenge string `json:"challenge"`
	Domain    string `json:"domain"`
	Expires   string `json:"expires"`
}

func (h *Handler) handleChallenge(w http.ResponseWriter, r *http.Request) {
	c, exp, err := h.challenges.issue()
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, challengeResponse{Challenge: c, Domain: h.cfg.domain, Expires: exp.UTC().Format(time.RFC3339)})
}

func (h *Handler) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

type demoEntry struct {
	DemoBadge
	URL string `json:"url"`
}

func (h *Handler) handleDemoList(w http.ResponseWriter, r *http.Request) {
	list := make([]demoEntry, len(h.cfg.demo))
	for i, b := range h.cfg.demo {
		list[i] = demoEntry{DemoBadge: b, URL: "/v1/demo/badges/" + b.Name}
	}
	writeJSON(w, http.StatusOK, list)
}

func (h *Handler) handleDemoBadge(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	for _, b := range h.cfg.demo {
		if b.Name == name {
			data := b.Data
			if b.Present != nil {
				var err error
				if data, err = h.demoPresentation(b); err != nil {
					writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": err.Error()})
					return
				}
			}
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=%q", name+".json"))
			w.WriteHeader(http.StatusOK)
			w.Write(data)
			return
		}
	}
	http.NotFound(w, r)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	var b []byte
	var err error
	if r, ok := v.(*verify.Report); ok && r != nil {
		// A Report marshals itself; json.Marshal would only check and copy
		// its bytes again (they are compact and HTML-escaped already).
		b, err = r.MarshalJSON()
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		// Reports and the other answers always marshal; this is a bug.
		panic(fmt.Sprintf("verifyhttp: encoding the answer: %v", err))
	}
	b = append(b, '\n')
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// The length is known: the answer is not sent in chunks.
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(code)
	w.Write(b)
}

// demoPresentation signs b's presentation for a fresh challenge.
func (h *Handler) demoPresentation(b DemoBadge) ([]byte, error) {
	c, _, err := h.challenges.issue()
	if err != nil {
		return nil, err
	}
	return b.Present(c, h.cfg.domain)
}
