package verifyhttp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/verify"
)

// The W3C VC-API verification endpoints (https://w3c-ccg.github.io/vc-api/),
// so that the W3C interoperability test suites (Data Integrity, VC Data
// Model 2.0, Bitstring Status List) can be pointed at this handler:
//
//	POST /credentials/verify    {"verifiableCredential": {...}, "options": {...}}
//	POST /presentations/verify  {"verifiablePresentation": {...}, "options": {"challenge": "...", "domain": "..."}}
//
// Both answer with a VerificationResult: 200 when the document is verified;
// 400 when it is malformed, failed or could not be decided, with one entry
// in errors per failed or indeterminate check (type is the check's stable
// code). The full Report is in "report".

// VerificationResult is the answer of the VC-API verification endpoints.
type VerificationResult struct {
	Verified bool `json:"verified"`
	// Checks names the checks that passed ("proof" for the signature, then
	// this SDK's check ids).
	Checks   []string        `json:"checks"`
	Warnings []ProblemDetail `json:"warnings"`
	Errors   []ProblemDetail `json:"errors"`
	// Report is the full verdict.
	Report *verify.Report `json:"report"`
}

// ProblemDetail is one error or warning (RFC 9457 members).
type ProblemDetail struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Detail string `json:"detail,omitempty"`
}

// vcapiOptions are the request options this handler reads.
type vcapiOptions struct {
	Challenge string `json:"challenge"`
	Domain    string `json:"domain"`
}

type verifyCredentialRequest struct {
	VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	Options              vcapiOptions    `json:"options"`
}

type verifyPresentationRequest struct {
	VerifiablePresentation json.RawMessage `json:"verifiablePresentation"`
	Options                vcapiOptions    `json:"options"`
}

func (h *Handler) mountVCAPI() {
	h.mux.HandleFunc("POST /credentials/verify", h.handleVCAPICredential)
	h.mux.HandleFunc("POST /presentations/verify", h.handleVCAPIPresentation)
}

func (h *Handler) handleVCAPICredential(w http.ResponseWriter, r *http.Request) {
	body, code, rep := h.readBody(w, r, h.cfg.maxBody)
	if rep != nil {
		h.writeResult(w, code, rep)
		return
	}
	var req verifyCredentialRequest
	if err := json.Unmarshal(body, &req); err != nil || len(req.VerifiableCredential) == 0 || string(req.VerifiableCredential) == "null" {
		h.writeResult(w, http.StatusBadRequest, formatReport("the body must be a JSON object with verifiableCredential (a credential object)"))
		return
	}
	if badge.Sniff(req.VerifiableCredential) == badge.KindPresentation {
		h.writeResult(w, http.StatusBadRequest, formatReport("verifiableCredential holds a presentation: use /presentations/verify"))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.verifyTimeout)
	defer cancel()
	start := time.Now()
	rep = h.v.Verify(ctx, req.VerifiableCredential, verify.Binding{})
	h.cfg.metrics.observeReports("vcapi_credential", start, rep)
	h.writeResult(w, resultCode(rep), rep)
}

func (h *Handler) handleVCAPIPresentation(w http.ResponseWriter, r *http.Request) {
	body, code, rep := h.readBody(w, r, h.cfg.maxBody)
	if rep != nil {
		h.writeResult(w, code, rep)
		return
	}
	var req verifyPresentationRequest
	if err := json.Unmarshal(body, &req); err != nil || len(req.VerifiablePresentation) == 0 || string(req.VerifiablePresentation) == "null" {
		h.writeResult(w, http.StatusBadRequest, formatReport("the body must be a JSON object with verifiablePresentation (a presentation object)"))
		return
	}
	if badge.Sniff(req.VerifiablePresentation) != badge.KindPresentation {
		h.writeResult(w, http.StatusBadRequest, formatReport("verifiablePresentation is not a VerifiablePresentation"))
		return
	}
	// The caller states the challenge and domain it expects (VC-API); with
	// neither, the presentation must carry one of this handler's own
	// challenges for its domain, as on /v1/verify.
	// As the VC data model allows, the holder may present credentials
	// about other subjects (verify.Binding.OtherSubjects); /v1/verify, the
	// job application endpoint, does not accept them.
	b := verify.Binding{Challenge: req.Options.Challenge, Domain: req.Options.Domain, OtherSubjects: true}
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.verifyTimeout)
	defer cancel()
	if b.Challenge == "" && b.Domain == "" {
		b = verify.Binding{Domain: h.cfg.domain, AcceptChallenge: func(c string) error { return h.challenges.consume(ctx, c) }, OtherSubjects: true}
	}
	start := time.Now()
	rep = h.v.Verify(ctx, req.VerifiablePresentation, b)
	h.cfg.metrics.observeReports("vcapi_presentation", start, rep)
	h.writeResult(w, resultCode(rep), rep)
}

func resultCode(rep *verify.Report) int {
	if rep.Verified {
		return http.StatusOK
	}
	return http.StatusBadRequest
}

// writeResult answers with the VerificationResult of rep.
func (h *Handler) writeResult(w http.ResponseWriter, code int, rep *verify.Report) {
	setVerdict(w, string(rep.Status))
	writeJSON(w, code, resultOf(rep))
}

// resultOf maps a Report onto a VerificationResult: passed checks by name
// (the signature check as "proof"), failed and indeterminate ones as
// errors, skipped ones not at all; a presentation's credentials add their
// own, prefixed with the credential's index.
func resultOf(rep *verify.Report) VerificationResult {
	res := VerificationResult{Verified: rep.Verified, Checks: []string{}, Warnings: []ProblemDetail{}, Errors: []ProblemDetail{}, Report: rep}
	add := func(prefix string, r *verify.Report) {
		for _, c := range r.Checks {
			name := string(c.ID)
			if c.ID == verify.CheckSignature {
				name = "proof"
			}
			switch c.Status {
			case verify.StatusPassed:
				res.Checks = append(res.Checks, prefix+name)
			case verify.StatusFailed, verify.StatusIndeterminate:
				code := c.Code
				if code == "" {
					code = string(c.Status)
				}
				res.Errors = append(res.Errors, ProblemDetail{Type: code, Title: fmt.Sprintf("%s%s %s", prefix, c.ID, c.Status), Detail: c.Message})
			}
		}
	}
	add("", rep)
	for i, sub := range rep.Credentials {
		add(fmt.Sprintf("verifiableCredential[%d].", i), sub)
	}
	return res
}
