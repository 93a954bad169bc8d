// Package issuehttp is the W3C VC-API issuing endpoint over the SDK's
// signers, for an issuing service and for pointing the W3C
// interoperability test suites at an issuer:
//
//	POST /credentials/issue   {"credential": {...}, "options": {"cryptosuite": "...", "verificationMethod": "..."}}
//	POST /credentials/status  {"credentialId": "...", "credentialStatus": [{"type": "BitstringStatusListEntry", "status": "revoked"}]}
//	GET  <path of the status list URL>  the signed BitstringStatusListCredential
//
// With WithStatusList, every issued credential gets a
// BitstringStatusListEntry in the list, the list is published after each
// change and served at its URL's path, and /credentials/status sets or
// clears a credential's bit.
//
// answers 201 {"verifiableCredential": {...}} with the credential signed by
// the configured signer the options choose (by verification method, else by
// cryptosuite, else the first one). A credential without an issuer gets the
// signer's identifier; one naming another issuer, one that is not a
// credential, or one that breaks the Verifiable Credentials data model is
// refused with 400 and a problem detail naming why.
package issuehttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
)

// MaxBodyBytes bounds a request body.
const MaxBodyBytes = 1 << 20

// Handler serves the issuing endpoint. It is safe for concurrent use.
type Handler struct {
	signers []*issuer.Signer
	mux     *http.ServeMux
	status  *issuer.StatusList // nil: no status entries
	mu      sync.Mutex         // serializes status list changes and publishing
}

// Option configures a Handler.
type Option func(*Handler) error

// WithStatusList gives every issued credential an entry in l (a status
// list of the issuer's, opened with issuer.OpenStatusList), publishes l
// after each change, serves its signed credential at the path of l's URL
// and lets POST /credentials/status change a credential's status.
func WithStatusList(l *issuer.StatusList) Option {
	return func(h *Handler) error {
		if l == nil {
			return errors.New("issuehttp: nil status list")
		}
		u, err := url.Parse(l.URL())
		if err != nil || u.Path == "" {
			return fmt.Errorf("issuehttp: status list URL %q has no path to serve it at", l.URL())
		}
		h.status = l
		h.mux.HandleFunc("GET "+u.EscapedPath(), h.handleStatusList)
		h.mux.HandleFunc("POST /credentials/status", h.handleStatus)
		return nil
	}
}

// NewHandler builds the handler over signers (at least one; no two with
// the same verification method and cryptosuite).
func NewHandler(signers []*issuer.Signer, opts ...Option) (*Handler, error) {
	if len(signers) == 0 {
		return nil, errors.New("issuehttp: no signer")
	}
	seen := map[string]bool{}
	for i, s := range signers {
		if s == nil {
			return nil, fmt.Errorf("issuehttp: signer %d is nil", i)
		}
		k := s.VerificationMethod() + " " + s.Cryptosuite()
		if seen[k] {
			return nil, fmt.Errorf("issuehttp: two signers for %s with %s", s.VerificationMethod(), s.Cryptosuite())
		}
		seen[k] = true
	}
	h := &Handler{signers: signers, mux: http.NewServeMux()}
	h.mux.HandleFunc("POST /credentials/issue", h.handleIssue)
	for _, o := range opts {
		if err := o(h); err != nil {
			return nil, err
		}
	}
	if h.status != nil {
		h.mu.Lock()
		_, err := h.status.Publish()
		h.mu.Unlock()
		if err != nil {
			return nil, fmt.Errorf("issuehttp: publishing the status list: %w", err)
		}
	}
	return h, nil
}

// ServeHTTP routes a request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Problem is an error answer (RFC 9457 members).
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Detail string `json:"detail,omitempty"`
}

type issueRequest struct {
	Credential json.RawMessage `json:"credential"`
	Options    struct {
		Cryptosuite        string `json:"cryptosuite"`
		VerificationMethod string `json:"verificationMethod"`
	} `json:"options"`
}

type issueResponse struct {
	VerifiableCredential json.RawMessage `json:"verifiableCredential"`
}

func (h *Handler) handleIssue(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		problem(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("the body is not readable within %d bytes: %v", MaxBodyBytes, err))
		return
	}
	var req issueRequest
	if err := json.Unmarshal(body, &req); err != nil || len(req.Credential) == 0 || req.Credential[0] != '{' {
		problem(w, http.StatusBadRequest, "malformed", "the body must be a JSON object with credential (a credential object)")
		return
	}
	s, err := h.choose(req.Options.VerificationMethod, req.Options.Cryptosuite)
	if err != nil {
		problem(w, http.StatusBadRequest, "unknown_signer", err.Error())
		return
	}
	doc, err := withIssuer(req.Credential, s.DID())
	if err != nil {
		problem(w, http.StatusBadRequest, "wrong_issuer", err.Error())
		return
	}
	c, err := badge.ParseCredential(doc, badge.Limits{MaxBytes: MaxBodyBytes})
	if err != nil {
		problem(w, http.StatusBadRequest, "malformed", "not a credential this issuer can sign: "+err.Error())
		return
	}
	if h.status != nil {
		if c.ID == "" {
			problem(w, http.StatusBadRequest, "malformed", "a credential with a status entry needs an id, to change its status later")
			return
		}
		h.mu.Lock()
		c, err = h.status.AddEntry(c)
		if err == nil {
			_, err = h.status.Publish()
		}
		h.mu.Unlock()
		if err != nil {
			problem(w, http.StatusBadRequest, "status_entry", err.Error())
			return
		}
	}
	signed, err := s.SignCredential(c)
	switch {
	case errors.Is(err, issuer.ErrDataModel):
		problem(w, http.StatusBadRequest, "malformed", err.Error())
		return
	case err != nil:
		problem(w, http.StatusInternalServerError, "signing_failed", err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, issueResponse{VerifiableCredential: signed})
}

// choose picks the signer named by verification method, else the first
// with the cryptosuite, else the first.
func (h *Handler) choose(vm, suite string) (*issuer.Signer, error) {
	for _, s := range h.signers {
		if (vm == "" || s.VerificationMethod() == vm) && (suite == "" || s.Cryptosuite() == suite) {
			return s, nil
		}
	}
	var have []string
	for _, s := range h.signers {
		have = append(have, s.VerificationMethod()+" ("+s.Cryptosuite()+")")
	}
	return nil, fmt.Errorf("no configured signer for verification method %q and cryptosuite %q; configured: %v", vm, suite, have)
}

// withIssuer fills in the issuer when absent; an issuer naming another id
// is refused.
func withIssuer(raw json.RawMessage, id string) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	is, ok := m["issuer"]
	if !ok {
		b, _ := json.Marshal(id)
		m["issuer"] = b
		return json.Marshal(m)
	}
	var s string
	var o struct {
		ID string `json:"id"`
	}
	switch {
	case json.Unmarshal(is, &s) == nil && s == id:
	case json.Unmarshal(is, &o) == nil && o.ID == id:
	case json.Unmarshal(is, &s) == nil || json.Unmarshal(is, &o) == nil:
		return nil, fmt.Errorf("the credential's issuer is not %s, the identifier of the chosen signer", id)
	default:
		return nil, errors.New("issuer must be a URL or an object with an id")
	}
	return raw, nil
}

func problem(w http.ResponseWriter, code int, typ, detail string) {
	writeJSON(w, code, struct {
		Errors []Problem `json:"errors"`
		Problem
	}{[]Problem{{Type: typ, Title: http.StatusText(code), Detail: detail}}, Problem{Type: typ, Title: http.StatusText(code), Detail: detail}})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("issuehttp: encoding the answer: %v", err)) // the answers always marshal
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(b)
}

type statusRequest struct {
	CredentialID     string `json:"credentialId"`
	CredentialStatus []struct {
		Type   string `json:"type"`
		Status string `json:"status"`
	} `json:"credentialStatus"`
}

// handleStatus sets ("revoked", "suspended") or clears ("active") the
// status of an issued credential, then republishes the list.
func (h *Handler) handleStatus(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		problem(w, http.StatusRequestEntityTooLarge, "too_large", err.Error())
		return
	}
	var req statusRequest
	if err := json.Unmarshal(body, &req); err != nil || req.CredentialID == "" || len(req.CredentialStatus) != 1 {
		problem(w, http.StatusBadRequest, "malformed", "the body must name credentialId and one credentialStatus {type, status}")
		return
	}
	st := req.CredentialStatus[0]
	if st.Type != "BitstringStatusListEntry" {
		problem(w, http.StatusBadRequest, "malformed", fmt.Sprintf("status type %q: only BitstringStatusListEntry", st.Type))
		return
	}
	var set bool
	switch st.Status {
	case "revoked", "suspended", "true", "1":
		set = true
	case "active", "false", "0":
	default:
		problem(w, http.StatusBadRequest, "malformed", fmt.Sprintf("status %q: want revoked, suspended or active", st.Status))
		return
	}
	h.mu.Lock()
	_, err = h.status.Set(req.CredentialID, set)
	if err == nil {
		_, err = h.status.Publish()
	}
	h.mu.Unlock()
	if err != nil {
		problem(w, http.StatusNotFound, "unknown_credential", err.Error())
		return
	}
	w.WriteHeader(http.StatusOK)
}

// handleStatusList serves the published status list credential.
func (h *Handler) handleStatusList(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	b, err := os.ReadFile(filepath.Join(h.status.Dir(), issuer.StatusListFile))
	h.mu.Unlock()
	if err != nil {
		problem(w, http.StatusInternalServerError, "unavailable", "the status list is not published")
		return
	}
	w.Header().Set("Content-Type", "application/vc+ld+json")
	w.Header().Set("Cache-Control", "max-age=0, must-revalidate")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}
