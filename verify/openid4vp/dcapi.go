package openid4vp

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// The Digital Credentials API form of a request (OpenID4VP 1.0 appendix
// A): the page passes it to navigator.credentials.get({digital: {requests:
// [it]}}), the browser hands it to a wallet with the page's origin, and the
// wallet's answer comes back to the page, which posts it to the relying
// party. The response is encrypted (dc_api.jwt) to the transaction's key.

// DCAPIRequest is one entry of digital.requests.
type DCAPIRequest struct {
	Protocol string          `json:"protocol"`
	Data     json.RawMessage `json:"data"`
}

// CreateDCAPIRequest starts a transaction to be answered through the
// Digital Credentials API from a page on one of origins (https://host[:port]).
// With a signed client identity the request is a signed request object
// naming the expected origins (openid4vp-v1-signed) and presentations are
// bound to the client identifier; with RedirectURIIdentity it is unsigned
// (openid4vp-v1-unsigned), there must be exactly one origin, and
// presentations are bound to "origin:" and it. Request.DigitalCredentials
// holds what the page passes to the browser.
func (rp *RelyingParty) CreateDCAPIRequest(ctx context.Context, q Query, origins ...string) (*Request, json.RawMessage, error) {
	if len(origins) == 0 || len(origins) > 8 {
		return nil, nil, fmt.Errorf("openid4vp: %d origins, want 1 to 8", len(origins))
	}
	for _, o := range origins {
		u, err := url.Parse(o)
		if err != nil || u.Host == "" || u.Path != "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname()))) {
			return nil, nil, fmt.Errorf("openid4vp: origin %q: want https://host[:port]", o)
		}
	}
	unsigned := rp.identity.prefix == PrefixRedirectURI
	if unsigned && len(origins) != 1 {
		return nil, nil, errors.New("openid4vp: an unsigned Digital Credentials API request is bound to exactly one origin")
	}
	if err := q.Validate(); err != nil {
		return nil, nil, err
	}
	tx := transaction{ID: randomID(18), Nonce: randomID(24), ResponseMode: ResponseModeDCAPIJWT, Query: q,
		ResultKey: randomID(24), Expires: rp.now().Add(rp.ttl), Origins: slices.Clone(origins)}
	tx.ClientID = rp.identity.ID("")
	if unsigned {
		tx.ClientID = "origin:" + origins[0]
	}
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	if tx.EncKey, err = json.Marshal(jose.JSONWebKey{Key: k, KeyID: tx.ID, Algorithm: string(jose.ECDH_ES), Use: "enc"}); err != nil {
		return nil, nil, err
	}
	data, err := json.Marshal(tx)
	if err != nil {
		return nil, nil, err
	}
	if err := rp.store.Create(ctx, txPrefix+tx.ID, data, rp.ttl); err != nil {
		return nil, nil, fmt.Errorf("openid4vp: storing the transaction: %w", err)
	}
	ar, err := rp.authorizationRequest(&tx, "")
	if err != nil {
		return nil, nil, err
	}
	ar.Audience, ar.State = "", ""
	var entry DCAPIRequest
	if unsigned {
		ar.ClientID, ar.ExpectedOrigins, ar.IssuedAt, ar.ExpiresAt = "", nil, 0, 0
		entry.Protocol = DCAPIProtocolUnsigned
		if entry.Data, err = json.Marshal(ar); err != nil {
			return nil, nil, err
		}
	} else {
		payload, err := json.Marshal(ar)
		if err != nil {
			return nil, nil, err
		}
		jwt, err := signRequest(rp.identity, payload)
		if err != nil {
			return nil, nil, err
		}
		entry.Protocol = DCAPIProtocolSigned
		entry.Data, _ = json.Marshal(map[string]string{"request": string(jwt)})
	}
	form, err := json.Marshal(entry)
	if err != nil {
		return nil, nil, err
	}
	req := &Request{ID: tx.ID, ClientID: tx.ClientID, Nonce: tx.Nonce, Expires: tx.Expires, ResultKey: tx.ResultKey}
	return req, form, nil
}

// ProcessDCAPIResponse checks the data a wallet returned through the
// Digital Credentials API ({"response": JWE}), which the page posts to the
// relying party, for transaction id. Like ProcessResponse it always
// returns a Result and completes the transaction once.
func (rp *RelyingParty) ProcessDCAPIResponse(ctx context.Context, id string, data json.RawMessage) *Result {
	var in map[string]any
	if len(data) > int(rp.maxResp) || json.Unmarshal(data, &in) != nil {
		res := &Result{Version: ResultVersion, ID: id, Received: rp.now().UTC()}
		return res.fail(fmt.Errorf("%w: the Digital Credentials API data must be a JSON object", ErrMalformedResponse))
	}
	form := url.Values{}
	for k, v := range in {
		switch s := v.(type) {
		case string:
			form.Set(k, s)
		default:
			b, _ := json.Marshal(v)
			form.Set(k, string(b))
		}
	}
	return rp.ProcessResponse(ctx, id, form)
}

// VerifyDCAPIRequest is the wallet's side: it checks a request the browser
// handed over from a page of origin and returns its parameters, with
// ClientID set to the audience presentations must be bound to (the client
// identifier of a signed request, "origin:" and origin for an unsigned one).
func VerifyDCAPIRequest(req DCAPIRequest, origin string, pol RequestPolicy) (*AuthorizationRequest, error) {
	if len(req.Data) > MaxRequestBytes {
		return nil, fmt.Errorf("%w: request data of %d bytes", ErrMalformedRequest, len(req.Data))
	}
	var ar *AuthorizationRequest
	switch req.Protocol {
	case DCAPIProtocolSigned:
		var d struct {
			Request string `json:"request"`
		}
		if err := json.Unmarshal(req.Data, &d); err != nil || d.Request == "" {
			return nil, fmt.Errorf("%w: a signed request needs data.request", ErrMalformedRequest)
		}
		// The client identifier is read from the payload and then checked
		// against the signature's certificate.
		parts := strings.Split(d.Request, ".")
		if len(parts) != 3 {
			return nil, fmt.Errorf("%w: data.request is not a compact JWS", ErrMalformedRequest)
		}
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		var claims struct {
			ClientID string `json:"client_id"`
		}
		if err != nil || json.Unmarshal(payload, &claims) != nil || claims.ClientID == "" {
			return nil, fmt.Errorf("%w: the request object names no client_id", ErrMalformedRequest)
		}
		if prefix, _ := SplitClientID(claims.ClientID); prefix == PrefixRedirectURI {
			return nil, fmt.Errorf("%w: a signed Digital Credentials API request with a redirect_uri client", ErrMalformedRequest)
		}
		if ar, err = VerifyRequestObject([]byte(d.Request), claims.ClientID, pol); err != nil {
			return nil, err
		}
		if !slices.Contains(ar.ExpectedOrigins, origin) {
			return nil, fmt.Errorf("%w: the page's origin %q is not one the request expects %v", ErrClientIDMismatch, origin, ar.ExpectedOrigins)
		}
	case DCAPIProtocolUnsigned:
		if !pol.AllowRedirectURI {
			return nil, fmt.Errorf("%w: unsigned requests say nothing of who asks and this wallet does not accept them", ErrUntrustedClient)
		}
		ar = &AuthorizationRequest{}
		if err := json.Unmarshal(req.Data, ar); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformedRequest, err)
		}
		if ar.ClientID != "" {
			return nil, fmt.Errorf("%w: an unsigned request carries no client_id", ErrMalformedRequest)
		}
		ar.ClientID = "origin:" + origin
		if err := CheckRequest(ar); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: protocol %q", ErrMalformedRequest, req.Protocol)
	}
	if ar.ResponseMode != ResponseModeDCAPI && ar.ResponseMode != ResponseModeDCAPIJWT {
		return nil, fmt.Errorf("%w: response_mode %q through the Digital Credentials API", ErrMalformedRequest, ar.ResponseMode)
	}
	return ar, nil
}
