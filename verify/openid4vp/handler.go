package openid4vp

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// Handler serves the routes wallets and the requesting page use, under the
// path prefix (DefaultPathPrefix):
//
//	GET  /oid4vp/requests/{id}    the request object (request_uri)
//	POST /oid4vp/requests/{id}    the same, for request_uri_method=post (wallet_nonce echoed)
//	POST /oid4vp/responses/{id}   the wallet's response (direct_post, direct_post.jwt)
//	GET  /oid4vp/results/{id}?key=RESULTKEY   {"status":"pending"} or the Result
//
// A response the relying party accepts gets 200 {} whatever its verdict; a
// refused one (unknown or expired transaction, replay, undecryptable,
// wrong state) gets 400 {"error":"invalid_request", "code": ...}. Bodies
// are capped (WithMaxResponseBytes).
func (rp *RelyingParty) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+rp.prefix+"/requests/{id}", rp.serveRequest)
	mux.HandleFunc("POST "+rp.prefix+"/requests/{id}", rp.serveRequest)
	mux.HandleFunc("POST "+rp.prefix+"/responses/{id}", rp.serveResponse)
	mux.HandleFunc("GET "+rp.prefix+"/results/{id}", rp.serveResult)
	return mux
}

func (rp *RelyingParty) serveRequest(w http.ResponseWriter, r *http.Request) {
	nonce := ""
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			writeError(w, http.StatusBadRequest, "invalid_request", ErrMalformedRequest, "could not read the form: "+err.Error())
			return
		}
		nonce = r.PostForm.Get("wallet_nonce")
	}
	jwt, err := rp.RequestObject(r.Context(), r.PathValue("id"), nonce)
	switch {
	case errors.Is(err, ErrUnknownTransaction), errors.Is(err, ErrReplayed):
		writeError(w, http.StatusNotFound, "invalid_request_uri", err, "no open request under this URI: it expired or was answered")
		return
	case err != nil:
		writeError(w, http.StatusBadRequest, "invalid_request", err, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/oauth-authz-req+jwt")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(jwt)
}

func (rp *RelyingParty) serveResponse(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > rp.maxResp {
		writeError(w, http.StatusRequestEntityTooLarge, "invalid_request", ErrMalformedResponse, "the response is too large")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, rp.maxResp)
	ct := r.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		writeError(w, http.StatusUnsupportedMediaType, "invalid_request", ErrMalformedResponse, "post the response as application/x-www-form-urlencoded")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", ErrMalformedResponse, "could not read the form: "+err.Error())
		return
	}
	res := rp.ProcessResponse(r.Context(), r.PathValue("id"), r.PostForm)
	if !res.Accepted() {
		writeError(w, http.StatusBadRequest, "invalid_request", res.Err, res.Message)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{})
}

func (rp *RelyingParty) serveResult(w http.ResponseWriter, r *http.Request) {
	res, err := rp.Result(r.Context(), r.PathValue("id"), r.URL.Query().Get("key"))
	switch {
	case errors.Is(err, ErrUnknownTransaction):
		writeError(w, http.StatusNotFound, "not_found", err, "no transaction under this id and key: it expired, or the key is wrong")
	case err != nil:
		writeError(w, http.StatusServiceUnavailable, "server_error", err, "the store is unavailable")
	case res == nil:
		writeJSON(w, http.StatusOK, map[string]string{"status": "pending"})
	default:
		writeJSON(w, http.StatusOK, res)
	}
}

func writeError(w http.ResponseWriter, status int, oauth string, err error, msg string) {
	writeJSON(w, status, map[string]string{"error": oauth, "error_description": msg, "code": Code(err)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
