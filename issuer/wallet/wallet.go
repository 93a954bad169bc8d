package wallet

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/fetch"
	"github.com/badgeproof/badgeproof/internal/jws"
	"github.com/badgeproof/badgeproof/internal/vcjwt"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/verify/openid4vp"
)

// Wallet is a job seeker's wallet: it holds badges and answers OpenID4VP
// 1.0 requests of relying parties (employers) with presentations signed by
// the holder's key. It checks who asks (the request object's signature and
// client identifier), selects the badges that match the DCQL query, and
// posts the response (direct_post, or direct_post.jwt encrypted to the
// relying party's key). Make it with New; it is safe for concurrent use.
type Wallet struct {
	holder *issuer.Signer
	// jose signs jwt_vc_json presentations with the holder's key.
	jose    *issuer.JOSESigner
	fetcher *fetch.Fetcher
	policy  openid4vp.RequestPolicy
	mu      sync.RWMutex
	creds   []*badge.Credential
	// jwts holds the VC-JWT each credential added as one came in.
	jwts map[*badge.Credential]string
}

// Option configures a Wallet.
type Option func(*walletConfig) error

type walletConfig struct {
	policy        openid4vp.RequestPolicy
	allowLoopback bool
	allowPrivate  bool
	timeout       time.Duration
}

// WithTrustedRoots sets the roots x509_san_dns relying parties' certificate
// chains must reach (default: the system's).
func WithTrustedRoots(roots *x509.CertPool) Option {
	return func(c *walletConfig) error {
		if roots == nil {
			return errors.New("issuer: nil root pool")
		}
		c.policy.Roots = roots
		return nil
	}
}

// WithTrustedHashRequired makes x509_hash relying parties' chains reach a
// trusted root too (by default the hash is the identity).
func WithTrustedHashRequired() Option {
	return func(c *walletConfig) error { c.policy.RequireTrustedHash = true; return nil }
}

// WithRedirectURIClientsUnsafe accepts unsigned requests of the
// redirect_uri prefix, whose sender nothing proves. For development.
func WithRedirectURIClientsUnsafe() Option {
	return func(c *walletConfig) error { c.policy.AllowRedirectURI = true; return nil }
}

// WithLoopback lets the wallet fetch requests from and post responses
// to loopback addresses (and plain http there): tests and local demos.
// WithPrivateNetworks allows private addresses: on-premise servers.
func WithLoopback() Option {
	return func(c *walletConfig) error { c.allowLoopback = true; return nil }
}

// WithPrivateNetworks lets the wallet reach private (RFC 1918) addresses.
func WithPrivateNetworks() Option {
	return func(c *walletConfig) error { c.allowPrivate = true; return nil }
}

// WithClock sets the clock request expiry and certificates are checked by.
func WithClock(now func() time.Time) Option {
	return func(c *walletConfig) error {
		if now == nil {
			return errors.New("issuer: nil clock")
		}
		c.policy.Now = now
		return nil
	}
}

// New makes a wallet whose presentations holder signs; the holder is
// holder's DID, the subject of the badges it presents.
func New(holder *issuer.Signer, opts ...Option) (*Wallet, error) {
	if holder == nil {
		return nil, errors.New("issuer: nil holder signer")
	}
	cfg := walletConfig{timeout: 15 * time.Second}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	f, err := fetch.New(fetch.Options{Timeout: cfg.timeout, MaxBytes: openid4vp.MaxRequestBytes, AllowLoopback: cfg.allowLoopback,
		AllowPrivate: cfg.allowPrivate, UserAgent: "badgeproof-wallet"})
	if err != nil {
		return nil, err
	}
	js, err := holder.JOSESigner()
	if err != nil {
		return nil, err
	}
	return &Wallet{holder: holder, jose: js, fetcher: f, policy: cfg.policy, jwts: map[*badge.Credential]string{}}, nil
}

// Holder is the DID the wallet presents as.
func (w *Wallet) Holder() string { return w.holder.DID() }

// Add parses a badge and keeps it: a credential with embedded proofs
// (JSON), presented as ldp_vc, or a compact VC-JWT (the VC 1.1 JWT
// encoding, issuer.JOSESigner.SignVCJWT), presented as jwt_vc_json.
func (w *Wallet) Add(data []byte) (*badge.Credential, error) {
	var token string
	if t := bytes.TrimSpace(data); jws.LooksCompact(t) && !bytes.Contains(t, []byte("~")) {
		vc, err := vcjwt.Decode(string(t), badge.DefaultMaxBytes)
		if err != nil {
			return nil, fmt.Errorf("issuer: %w", err)
		}
		token, data = string(t), vc.VC
	}
	c, err := badge.ParseCredential(data, badge.Limits{})
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.creds = append(w.creds, c)
	if token != "" {
		w.jwts[c] = token
	}
	w.mu.Unlock()
	return c, nil
}

// vcJWT returns the VC-JWT c came in as, or "".
func (w *Wallet) vcJWT(c *badge.Credential) string {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.jwts[c]
}

// Credentials returns the badges held, in the order they were added.
func (w *Wallet) Credentials() []*badge.Credential {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return slices.Clone(w.creds)
}

// Request is a relying party's request as the wallet checked it, with
// the badges that could answer each credential query: what a consent
// screen shows.
type Request struct {
	Request *openid4vp.AuthorizationRequest
	// ClientID is the checked client identifier; ClientName the name the
	// relying party gives itself (not verified).
	ClientID   string
	ClientName string
	Matches    []Match
}

// Match lists the held badges that satisfy one credential query.
type Match struct {
	Query      openid4vp.CredentialQuery
	Candidates []Candidate
}

// Candidate is one held badge that satisfies a query, with the claim
// paths the relying party would see answered.
type Candidate struct {
	Credential *badge.Credential
	Claims     [][]any
}

// Fetch reads a request link (openid4vp://..., or an https link or query
// carrying its parameters): it fetches the request object by request_uri,
// checks its signature and client identifier under the wallet's policy and
// matches the query against the held badges. A request no held badge can
// satisfy fails with openid4vp.ErrNoMatchingCredential.
func (w *Wallet) Fetch(ctx context.Context, link string) (*Request, error) {
	l, err := openid4vp.ParseRequestLink(link)
	if err != nil {
		return nil, err
	}
	var ar *openid4vp.AuthorizationRequest
	switch {
	case l.ByValue != nil:
		prefix, _ := openid4vp.SplitClientID(l.ByValue.ClientID)
		if prefix != openid4vp.PrefixRedirectURI || !w.policy.AllowRedirectURI {
			return nil, fmt.Errorf("%w: an unsigned request by value from %q", openid4vp.ErrBadRequestSignature, l.ByValue.ClientID)
		}
		if err := openid4vp.CheckRequest(l.ByValue); err != nil {
			return nil, err
		}
		ar = l.ByValue
	case l.Request != "":
		if ar, err = openid4vp.VerifyRequestObject([]byte(l.Request), l.ClientID, w.policy); err != nil {
			return nil, err
		}
	default:
		var jwt []byte
		if l.RequestURIMethod == "post" {
			var code int
			code, jwt, err = w.fetcher.PostForm(ctx, l.RequestURI, url.Values{})
			if err == nil && (code < 200 || code > 299) {
				err = fmt.Errorf("request_uri answered %d", code)
			}
		} else {
			jwt, err = w.fetcher.Get(ctx, l.RequestURI, "application/oauth-authz-req+jwt")
		}
		if err != nil {
			return nil, fmt.Errorf("issuer: fetching the request object: %w", err)
		}
		if ar, err = openid4vp.VerifyRequestObject(jwt, l.ClientID, w.policy); err != nil {
			return nil, err
		}
	}
	return w.match(ar)
}

func (w *Wallet) match(ar *openid4vp.AuthorizationRequest) (*Request, error) {
	wr := &Request{Request: ar, ClientID: ar.ClientID}
	if ar.ClientMetadata != nil {
		wr.ClientName = ar.ClientMetadata.ClientName
	}
	answered := map[string]bool{}
	for _, cq := range ar.DCQLQuery.Credentials {
		m := Match{Query: cq}
		if cq.Format == openid4vp.FormatLDPVC || cq.Format == openid4vp.FormatJWTVCJSON {
			for _, c := range w.Credentials() {
				// A VC-JWT is presented as jwt_vc_json only, a credential
				// with embedded proofs as ldp_vc only.
				if isJWT := w.vcJWT(c) != ""; isJWT != (cq.Format == openid4vp.FormatJWTVCJSON) {
					continue
				}
				claims, err := cq.Match(openid4vp.Credential{Format: cq.Format, Types: c.Type, Issuer: c.Issuer.ID, Claims: c.Raw()})
				if err == nil {
					m.Candidates = append(m.Candidates, Candidate{Credential: c, Claims: claims})
				}
			}
		}
		answered[cq.ID] = len(m.Candidates) > 0
		wr.Matches = append(wr.Matches, m)
	}
	if miss := ar.DCQLQuery.Missing(answered); miss != "" {
		return wr, fmt.Errorf("%w: nothing held answers %s", openid4vp.ErrNoMatchingCredential, miss)
	}
	return wr, nil
}

// Selection chooses, per credential query id, which candidate(s) to present
// (indexes into Match.Candidates). A nil Selection presents the first
// candidate of every query that has one.
type Selection map[string][]int

// Response builds the response parameters for sel without sending them:
// vp_token and state, or response (a JWE) when the request asks for an
// encrypted response. Respond sends them.
func (w *Wallet) Response(req *Request, sel Selection) (url.Values, error) {
	ar := req.Request
	token := map[string][]json.RawMessage{}
	for _, m := range req.Matches {
		idx, chosen := sel[m.Query.ID]
		if sel == nil {
			if len(m.Candidates) == 0 {
				continue
			}
			idx, chosen = []int{0}, true
		}
		if !chosen || len(idx) == 0 {
			continue
		}
		if len(idx) > 1 && !m.Query.Multiple {
			return nil, fmt.Errorf("issuer: query %q takes one credential, %d chosen", m.Query.ID, len(idx))
		}
		for _, i := range idx {
			if i < 0 || i >= len(m.Candidates) {
				return nil, fmt.Errorf("issuer: query %q has no candidate %d", m.Query.ID, i)
			}
			vp, err := w.present(m.Query.Format, m.Candidates[i].Credential, ar)
			if err != nil {
				return nil, err
			}
			token[m.Query.ID] = append(token[m.Query.ID], vp)
		}
	}
	if len(token) == 0 {
		return nil, fmt.Errorf("%w: nothing selected", openid4vp.ErrNoMatchingCredential)
	}
	return w.encode(ar, map[string]any{"vp_token": token, "state": ar.State})
}

// present makes the presentation of c in format for ar: a Data Integrity
// presentation (ldp_vc), or a VC 1.1 presentation JWT (jwt_vc_json), bound
// to the request's nonce and the client identifier.
func (w *Wallet) present(format string, c *badge.Credential, ar *openid4vp.AuthorizationRequest) (json.RawMessage, error) {
	if format == openid4vp.FormatJWTVCJSON {
		vp, err := w.jose.SignVPJWT(w.holder.DID(), ar.ClientID, ar.Nonce, w.vcJWT(c))
		if err != nil {
			return nil, err
		}
		return json.Marshal(vp)
	}
	p, err := issuer.NewPresentation(w.holder.DID(), c)
	if err != nil {
		return nil, err
	}
	vp, err := w.holder.SignPresentation(p, ar.Nonce, ar.ClientID)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(vp), nil
}

func (w *Wallet) encode(ar *openid4vp.AuthorizationRequest, params map[string]any) (url.Values, error) {
	if ar.State == "" {
		delete(params, "state")
	}
	switch ar.ResponseMode {
	case openid4vp.ResponseModeDirectPostJWT, openid4vp.ResponseModeDCAPIJWT:
		jwe, err := openid4vp.EncryptResponse(ar, params)
		if err != nil {
			return nil, err
		}
		return url.Values{"response": {jwe}}, nil
	}
	form := url.Values{}
	for k, v := range params {
		switch s := v.(type) {
		case string:
			form.Set(k, s)
		default:
			b, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			form.Set(k, string(b))
		}
	}
	return form, nil
}

// Response is what the relying party answered to a posted response.
type Response struct {
	StatusCode int
	// RedirectURI is where the relying party sends the user next, if anywhere.
	RedirectURI string
	Body        []byte
}

// Respond presents the badges sel chooses (nil: the first match of each
// query) and posts them to the relying party's response URI.
func (w *Wallet) Respond(ctx context.Context, req *Request, sel Selection) (*Response, error) {
	form, err := w.Response(req, sel)
	if err != nil {
		return nil, err
	}
	return w.Post(ctx, req, form)
}

// Decline tells the relying party the user refused (error access_denied,
// or the given OAuth error code).
func (w *Wallet) Decline(ctx context.Context, req *Request, code string) (*Response, error) {
	if code == "" {
		code = "access_denied"
	}
	params := map[string]any{"error": code, "error_description": "the holder declined the request", "state": req.Request.State}
	form := url.Values{}
	for k, v := range params {
		form.Set(k, v.(string))
	}
	if req.Request.State == "" {
		form.Del("state")
	}
	return w.Post(ctx, req, form)
}

// Post sends response parameters to the request's response URI.
func (w *Wallet) Post(ctx context.Context, req *Request, form url.Values) (*Response, error) {
	switch req.Request.ResponseMode {
	case openid4vp.ResponseModeDirectPost, openid4vp.ResponseModeDirectPostJWT:
	default:
		return nil, fmt.Errorf("issuer: response mode %s is answered through the browser, not posted", req.Request.ResponseMode)
	}
	code, body, err := w.fetcher.PostForm(ctx, req.Request.ResponseURI, form)
	if err != nil {
		return nil, fmt.Errorf("issuer: posting the response: %w", err)
	}
	out := &Response{StatusCode: code, Body: body}
	var ans struct {
		RedirectURI string `json:"redirect_uri"`
	}
	if json.Unmarshal(body, &ans) == nil {
		out.RedirectURI = ans.RedirectURI
	}
	if code < 200 || code > 299 {
		return out, fmt.Errorf("issuer: the relying party refused the response (%d): %s", code, truncateBody(body))
	}
	return out, nil
}

func truncateBody(b []byte) string {
	if len(b) > 300 {
		b = b[:300]
	}
	return string(b)
}
