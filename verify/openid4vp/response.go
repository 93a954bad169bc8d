package openid4vp

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/badgeproof/badgeproof/store"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/go-jose/go-jose/v4"
)

// ResultVersion is the version of a Result's JSON form.
const ResultVersion = "1"

// Presented is one presentation of a response and its verdict.
type Presented struct {
	// QueryID is the DCQL credential query it answers.
	QueryID string `json:"query"`
	Format  string `json:"format"`
	// Claims lists the paths of the claims the query asked for that the
	// credential holds.
	Claims [][]any `json:"claims,omitempty"`
	// Report is the Verifier's report on the presentation: the holder
	// binding, and one report per credential in Report.Credentials.
	Report *verify.Report `json:"report,omitempty"`
}

// WalletError is an error response of the wallet (OpenID4VP 1.0 section 8.5).
type WalletError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// Result is the verdict on a wallet's response to one request.
type Result struct {
	Version string `json:"version"`
	// ID is the transaction's.
	ID       string        `json:"id"`
	Verified bool          `json:"verified"`
	Status   verify.Status `json:"status"`
	// Code names the first reason a response was not verified: one of this
	// package's codes (see ErrWalletError), or not_verified when a
	// presentation's Report says why.
	Code        string       `json:"code,omitempty"`
	Message     string       `json:"message,omitempty"`
	WalletError *WalletError `json:"wallet_error,omitempty"`
	Presented   []Presented  `json:"presented,omitempty"`
	Received    time.Time    `json:"received"`
	// Err wraps one of this package's sentinels when not verified; it is
	// not kept in the JSON form (Code is).
	Err error `json:"-"`
	// accepted: the response completed the transaction.
	accepted bool
}

// Accepted reports whether the response completed its transaction (its
// verdict may still be failed); false when it was refused before that:
// unknown or expired transaction, replay, undecryptable, wrong state.
func (r *Result) Accepted() bool { return r.accepted }

func (r *Result) fail(err error) *Result {
	if r.Err == nil {
		r.Err, r.Code, r.Message = err, Code(err), err.Error()
	}
	r.Status, r.Verified = verify.StatusFailed, false
	return r
}

// ProcessResponse checks a wallet's response to transaction id: form holds
// the posted parameters (response for direct_post.jwt; vp_token and state,
// or error, for direct_post). It always returns a Result, also for a
// response it refuses. The transaction is completed by the first response
// that decrypts and carries its state, whatever the verdict: a second one
// gets replayed_response.
func (rp *RelyingParty) ProcessResponse(ctx context.Context, id string, form url.Values) *Result {
	res := &Result{Version: ResultVersion, ID: id, Received: rp.now().UTC(), Status: verify.StatusVerified}
	tx, e, err := rp.load(ctx, id)
	if err != nil {
		return res.fail(err)
	}
	if e.Completed {
		return res.fail(fmt.Errorf("%w: transaction %s has been answered", ErrReplayed, id))
	}
	params, err := rp.responseParams(tx, form)
	if err != nil {
		return res.fail(err)
	}
	if subtle.ConstantTimeCompare([]byte(params.State), []byte(tx.State)) != 1 {
		return res.fail(fmt.Errorf("%w: the response's state does not match the request's", ErrStateMismatch))
	}
	rp.check(ctx, tx, params, res)
	data, err := json.Marshal(res)
	if err != nil {
		return res.fail(err)
	}
	switch err := rp.store.Complete(ctx, txPrefix+id, data); {
	case errors.Is(err, store.ErrCompleted):
		// Another instance completed it first: this one is a replay.
		r := &Result{Version: ResultVersion, ID: id, Received: res.Received}
		return r.fail(fmt.Errorf("%w: transaction %s has been answered", ErrReplayed, id))
	case err != nil:
		return res.fail(fmt.Errorf("openid4vp: completing the transaction: %w", err))
	}
	res.accepted = true
	return res
}

// responseParams are the parameters of an authorization response.
type responseParams struct {
	VPToken          json.RawMessage `json:"vp_token"`
	State            string          `json:"state"`
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
}

func (rp *RelyingParty) responseParams(tx *transaction, form url.Values) (*responseParams, error) {
	size := 0
	for k, vs := range form {
		size += len(k)
		for _, v := range vs {
			size += len(v)
		}
		if len(vs) > 1 {
			return nil, fmt.Errorf("%w: parameter %q given %d times", ErrMalformedResponse, k, len(vs))
		}
	}
	if int64(size) > rp.maxResp {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrMalformedResponse, size, rp.maxResp)
	}
	var p responseParams
	if jwe := form.Get("response"); jwe != "" {
		if len(tx.EncKey) == 0 {
			return nil, fmt.Errorf("%w: an encrypted response to a direct_post request", ErrMalformedResponse)
		}
		priv, err := tx.ecdhKey()
		if err != nil {
			return nil, err
		}
		obj, err := jose.ParseEncryptedCompact(jwe, []jose.KeyAlgorithm{jose.ECDH_ES}, []jose.ContentEncryption{jose.A128GCM, jose.A256GCM})
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadEncryption, err)
		}
		if obj.Header.KeyID != "" && obj.Header.KeyID != tx.ID {
			return nil, fmt.Errorf("%w: encrypted to key %q, not this transaction's", ErrBadEncryption, obj.Header.KeyID)
		}
		plain, err := obj.Decrypt(priv)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadEncryption, err)
		}
		if err := decodeStrict(plain, &p); err != nil {
			return nil, fmt.Errorf("%w: the decrypted response: %v", ErrMalformedResponse, err)
		}
	} else {
		if len(tx.EncKey) > 0 && form.Get("error") == "" {
			return nil, fmt.Errorf("%w: the request asked for direct_post.jwt", ErrUnencryptedResponse)
		}
		p.State, p.Error, p.ErrorDescription = form.Get("state"), form.Get("error"), form.Get("error_description")
		if t := form.Get("vp_token"); t != "" {
			p.VPToken = json.RawMessage(t)
		}
	}
	return &p, nil
}

// decodeStrict decodes a JSON object, refusing trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

// check validates the parameters against the transaction and verifies
// every presentation, filling res.
func (rp *RelyingParty) check(ctx context.Context, tx *transaction, p *responseParams, res *Result) {
	if p.Error != "" {
		res.WalletError = &WalletError{Error: truncate(p.Error, 64), Description: truncate(p.ErrorDescription, 512)}
		res.fail(fmt.Errorf("%w: %s", ErrWalletError, res.WalletError.Error))
		return
	}
	if len(p.VPToken) == 0 {
		res.fail(fmt.Errorf("%w: no vp_token", ErrMalformedResponse))
		return
	}
	var token map[string][]json.RawMessage
	if err := decodeStrict(p.VPToken, &token); err != nil || token == nil {
		res.fail(fmt.Errorf("%w: vp_token must be a JSON object of arrays of presentations keyed by credential query id", ErrMalformedResponse))
		return
	}
	ids := make([]string, 0, len(token))
	for id := range token {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	answered := map[string]bool{}
	var errs []error
	for _, id := range ids {
		cq := tx.Query.credential(id)
		if cq == nil {
			errs = append(errs, fmt.Errorf("%w: vp_token answers %q, which the query does not name", ErrUnrequestedCredential, truncate(id, 64)))
			continue
		}
		pres := token[id]
		if len(pres) == 0 {
			errs = append(errs, fmt.Errorf("%w: an empty list of presentations for %q", ErrMalformedResponse, id))
			continue
		}
		if len(pres) > 1 && !cq.Multiple {
			errs = append(errs, fmt.Errorf("%w: %d presentations for %q, which asks for one", ErrUnrequestedCredential, len(pres), id))
			continue
		}
		h := rp.formats[cq.Format]
		if h == nil {
			errs = append(errs, fmt.Errorf("%w: %s", ErrUnsupportedFormat, cq.Format))
			continue
		}
		ok := true
		for _, pr := range pres {
			rep, creds, err := h.Verify(ctx, pr, PresentationBinding{Nonce: tx.Nonce, Audience: tx.ClientID})
			if err != nil {
				errs = append(errs, fmt.Errorf("query %q: %w", id, err))
				ok = false
				continue
			}
			item := Presented{QueryID: id, Format: cq.Format, Report: rep}
			if len(creds) != 1 && !(len(creds) == 0 && rep != nil && !rep.Verified) {
				errs = append(errs, fmt.Errorf("%w: a presentation for %q holds %d credentials, the query asks for one per presentation", ErrUnrequestedCredential, id, len(creds)))
				ok = false
			}
			for _, c := range creds {
				claims, err := cq.Match(c)
				if err != nil {
					errs = append(errs, fmt.Errorf("query %q: %w", id, err))
					ok = false
				}
				item.Claims = append(item.Claims, claims...)
			}
			if rep != nil && !rep.Verified {
				errs = append(errs, fmt.Errorf("%w: query %q: the presentation is %s", ErrNotVerified, id, rep.Status))
				ok = false
				if rep.Status == verify.StatusIndeterminate && len(errs) == 1 {
					res.Status = verify.StatusIndeterminate
				}
			}
			res.Presented = append(res.Presented, item)
		}
		answered[id] = ok
	}
	if miss := tx.Query.unsatisfied(answered); miss != "" && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("%w: %s is not answered", ErrMissingCredential, miss))
	}
	if len(errs) == 0 {
		res.Status, res.Verified = verify.StatusVerified, true
		return
	}
	indeterminate := res.Status == verify.StatusIndeterminate && len(errs) == 1
	res.fail(errors.Join(errs...))
	if indeterminate {
		res.Status = verify.StatusIndeterminate
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// Result returns the result of transaction id, if its response has
// arrived: (nil, nil) while it is pending. resultKey is Request.ResultKey;
// another key gets ErrUnknownTransaction, as does an expired transaction.
func (rp *RelyingParty) Result(ctx context.Context, id, resultKey string) (*Result, error) {
	tx, e, err := rp.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(resultKey), []byte(tx.ResultKey)) != 1 {
		return nil, ErrUnknownTransaction
	}
	if !e.Completed {
		return nil, nil
	}
	var r Result
	if err := json.Unmarshal(e.Result, &r); err != nil {
		return nil, fmt.Errorf("openid4vp: stored result of %s: %w", id, err)
	}
	return &r, nil
}
