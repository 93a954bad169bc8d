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
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/store"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/go-jose/go-jose/v4"
)

// Defaults of a RelyingParty.
const (
	// DefaultTTL is how long a request may be answered.
	DefaultTTL = 10 * time.Minute
	// DefaultMaxResponseBytes caps a wallet's response body.
	DefaultMaxResponseBytes = 4 << 20
	// DefaultPathPrefix is where Handler serves its routes.
	DefaultPathPrefix = "/oid4vp"
	// DefaultURIScheme starts the request URL shown as a QR code or link.
	DefaultURIScheme = "openid4vp://"
)

// RelyingParty asks wallets for credentials and checks their answers with a
// Verifier. Build it with New; it is safe for concurrent use, and several
// RelyingParty values on several machines sharing one store.Store (Redis)
// act as one: a request made by one can be answered to another.
type RelyingParty struct {
	v        *verify.Verifier
	base     string // scheme://host[:port] + path prefix, no trailing slash
	prefix   string // path prefix
	identity ClientIdentity
	store    store.Store
	mode     string
	ttl      time.Duration
	maxResp  int64
	name     string
	scheme   string
	now      func() time.Time
	formats  map[string]FormatHandler
}

// Option configures a RelyingParty; options are checked by New.
type Option func(*RelyingParty) error

// WithStore keeps transactions in s (default: a memory store of this
// process). Use a shared store (redisstore) behind a load balancer.
func WithStore(s store.Store) Option {
	return func(rp *RelyingParty) error {
		if s == nil {
			return errors.New("openid4vp: nil store")
		}
		rp.store = s
		return nil
	}
}

// WithClientIdentity sets how the relying party identifies itself (default
// RedirectURIIdentity, for development).
func WithClientIdentity(id ClientIdentity) Option {
	return func(rp *RelyingParty) error {
		if id.prefix == "" {
			return errors.New("openid4vp: empty client identity: use RedirectURIIdentity, X509SANDNSIdentity or X509HashIdentity")
		}
		rp.identity = id
		return nil
	}
}

// WithResponseMode sets direct_post or direct_post.jwt (the default: the
// response encrypted to a key made for each transaction).
func WithResponseMode(mode string) Option {
	return func(rp *RelyingParty) error {
		if mode != ResponseModeDirectPost && mode != ResponseModeDirectPostJWT {
			return fmt.Errorf("openid4vp: response mode %q: use direct_post or direct_post.jwt", mode)
		}
		rp.mode = mode
		return nil
	}
}

// WithTTL sets how long a request may be answered (default DefaultTTL).
func WithTTL(d time.Duration) Option {
	return func(rp *RelyingParty) error {
		if d <= 0 || d > 24*time.Hour {
			return fmt.Errorf("openid4vp: ttl %v: want more than 0 and at most a day", d)
		}
		rp.ttl = d
		return nil
	}
}

// WithMaxResponseBytes caps a wallet's response (default DefaultMaxResponseBytes).
func WithMaxResponseBytes(n int64) Option {
	return func(rp *RelyingParty) error {
		if n < 1024 || n > store.MaxValueBytes {
			return fmt.Errorf("openid4vp: response limit %d: want 1 KiB to %d", n, store.MaxValueBytes)
		}
		rp.maxResp = n
		return nil
	}
}

// WithClientName sets the name wallets show the user (client_name).
func WithClientName(name string) Option {
	return func(rp *RelyingParty) error {
		if len(name) > 200 {
			return errors.New("openid4vp: client name longer than 200 bytes")
		}
		rp.name = name
		return nil
	}
}

// WithPathPrefix sets the path under the base URL where Handler's routes
// are (default DefaultPathPrefix).
func WithPathPrefix(p string) Option {
	return func(rp *RelyingParty) error {
		if !strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.ContainsAny(p, "?#{} ") {
			return fmt.Errorf("openid4vp: path prefix %q: want /name without a trailing slash", p)
		}
		rp.prefix = p
		return nil
	}
}

// WithURIScheme sets the start of request URLs (default DefaultURIScheme;
// e.g. "haip-vp://" or an https universal link of a wallet).
func WithURIScheme(s string) Option {
	return func(rp *RelyingParty) error {
		if s == "" || !strings.Contains(s, ":") {
			return fmt.Errorf("openid4vp: URI scheme %q", s)
		}
		rp.scheme = s
		return nil
	}
}

// WithClock sets the clock transactions expire by.
func WithClock(now func() time.Time) Option {
	return func(rp *RelyingParty) error {
		if now == nil {
			return errors.New("openid4vp: nil clock")
		}
		rp.now = now
		return nil
	}
}

// WithFormatHandler adds (or replaces) the handler of one credential format.
func WithFormatHandler(h FormatHandler) Option {
	return func(rp *RelyingParty) error {
		if h == nil || h.Format() == "" {
			return errors.New("openid4vp: nil format handler or empty format")
		}
		rp.formats[h.Format()] = h
		return nil
	}
}

// New builds a RelyingParty that verifies with v and is reached at baseURL
// (https://host[:port], where Handler is served; http only for loopback).
func New(v *verify.Verifier, baseURL string, opts ...Option) (*RelyingParty, error) {
	if v == nil {
		return nil, errors.New("openid4vp: nil verifier")
	}
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname()))) {
		return nil, fmt.Errorf("openid4vp: base URL %q: want https://host (http only for loopback)", baseURL)
	}
	rp := &RelyingParty{v: v, base: strings.TrimSuffix(baseURL, "/"), prefix: DefaultPathPrefix, identity: RedirectURIIdentity(),
		mode: ResponseModeDirectPostJWT, ttl: DefaultTTL, maxResp: DefaultMaxResponseBytes, scheme: DefaultURIScheme, now: time.Now,
		formats: map[string]FormatHandler{}}
	rp.formats[FormatLDPVC] = ldpVC{v}
	rp.formats[FormatSDJWTVC] = sdJWTVC{v}
	rp.formats[FormatJWTVCJSON] = jwtVCJSON{v}
	for _, o := range opts {
		if err := o(rp); err != nil {
			return nil, err
		}
	}
	if rp.store == nil {
		if rp.store, err = store.NewMemory(0, rp.now); err != nil {
			return nil, err
		}
	}
	if rp.identity.prefix == PrefixX509SANDNS && !strings.EqualFold(u.Hostname(), rp.identity.dns) {
		return nil, fmt.Errorf("openid4vp: x509_san_dns identity %q but the base URL's host is %q: wallets refuse a response URI on another host", rp.identity.dns, u.Hostname())
	}
	return rp, nil
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// transaction is what the store keeps of one request.
type transaction struct {
	ID           string          `json:"id"`
	State        string          `json:"state"`
	Nonce        string          `json:"nonce"`
	ClientID     string          `json:"client_id"`
	ResponseMode string          `json:"response_mode"`
	ResponseURI  string          `json:"response_uri"`
	Query        Query           `json:"query"`
	EncKey       json.RawMessage `json:"enc_key,omitempty"` // private JWK of a direct_post.jwt transaction
	ResultKey    string          `json:"result_key"`
	Expires      time.Time       `json:"expires"`
	Origins      []string        `json:"origins,omitempty"`
}

// Request is a created authorization request: how to hand it to a wallet,
// and how to find its result.
type Request struct {
	// ID names the transaction.
	ID string
	// URL is the request as a link or QR code: openid4vp://?client_id=...&request_uri=...
	URL string
	// RequestURI is where the wallet fetches the request object.
	RequestURI  string
	ClientID    string
	Nonce       string
	State       string
	ResponseURI string
	Expires     time.Time
	// ResultKey is the secret that reads the result (Result, and Handler's
	// GET results route): give it to the party that made the request only,
	// never to the wallet.
	ResultKey string
}

func randomID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

const txPrefix = "oid4vp:tx:"

// CreateRequest starts a transaction asking for q and stores it.
func (rp *RelyingParty) CreateRequest(ctx context.Context, q Query) (*Request, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	for _, c := range q.Credentials {
		if rp.formats[c.Format] == nil {
			return nil, fmt.Errorf("%w: %s (query %q): no handler is registered", ErrUnsupportedFormat, c.Format, c.ID)
		}
	}
	tx := transaction{ID: randomID(18), State: randomID(18), Nonce: randomID(24), ResponseMode: rp.mode, Query: q,
		ResultKey: randomID(24), Expires: rp.now().Add(rp.ttl)}
	tx.ResponseURI = rp.base + rp.prefix + "/responses/" + tx.ID
	tx.ClientID = rp.identity.ID(tx.ResponseURI)
	if rp.mode == ResponseModeDirectPostJWT {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		if tx.EncKey, err = json.Marshal(jose.JSONWebKey{Key: k, KeyID: tx.ID, Algorithm: string(jose.ECDH_ES), Use: "enc"}); err != nil {
			return nil, err
		}
	}
	data, err := json.Marshal(tx)
	if err != nil {
		return nil, err
	}
	if err := rp.store.Create(ctx, txPrefix+tx.ID, data, rp.ttl); err != nil {
		return nil, fmt.Errorf("openid4vp: storing the transaction: %w", err)
	}
	reqURI := rp.base + rp.prefix + "/requests/" + tx.ID
	link := rp.scheme + "?" + url.Values{"client_id": {tx.ClientID}, "request_uri": {reqURI}}.Encode()
	return &Request{ID: tx.ID, URL: link, RequestURI: reqURI, ClientID: tx.ClientID, Nonce: tx.Nonce, State: tx.State,
		ResponseURI: tx.ResponseURI, Expires: tx.Expires, ResultKey: tx.ResultKey}, nil
}

func (rp *RelyingParty) load(ctx context.Context, id string) (*transaction, store.Entry, error) {
	if !idRE.MatchString(id) {
		return nil, store.Entry{}, ErrUnknownTransaction
	}
	e, err := rp.store.Load(ctx, txPrefix+id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, e, ErrUnknownTransaction
	}
	if err != nil {
		return nil, e, err
	}
	var tx transaction
	if err := json.Unmarshal(e.Value, &tx); err != nil {
		return nil, e, fmt.Errorf("openid4vp: stored transaction %s: %w", id, err)
	}
	return &tx, e, nil
}

// authorizationRequest builds the request parameters of tx.
func (rp *RelyingParty) authorizationRequest(tx *transaction, walletNonce string) (*AuthorizationRequest, error) {
	ar := &AuthorizationRequest{ClientID: tx.ClientID, ResponseType: "vp_token", ResponseMode: tx.ResponseMode, ResponseURI: tx.ResponseURI,
		Nonce: tx.Nonce, State: tx.State, DCQLQuery: &tx.Query, WalletNonce: walletNonce, Audience: "https://self-issued.me/v2",
		IssuedAt: rp.now().Unix(), ExpiresAt: tx.Expires.Unix(), ExpectedOrigins: tx.Origins}
	md := &ClientMetadata{ClientName: rp.name, VPFormatsSupported: map[string]json.RawMessage{}}
	for f := range rp.formats {
		md.VPFormatsSupported[f] = json.RawMessage(`{}`)
	}
	md.VPFormatsSupported[FormatLDPVC] = json.RawMessage(`{"proof_type_values":["DataIntegrityProof"],"cryptosuite_values":["eddsa-jcs-2022","ecdsa-jcs-2019","eddsa-rdfc-2022","ecdsa-rdfc-2019"]}`)
	if len(tx.EncKey) > 0 {
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(tx.EncKey); err != nil {
			return nil, err
		}
		pub := k.Public()
		md.JWKS = &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{pub}}
		md.EncryptedResponseEncValuesSupported = []string{string(jose.A128GCM), string(jose.A256GCM)}
	}
	ar.ClientMetadata = md
	return ar, nil
}

// RequestObject returns the signed request object of transaction id (an
// unsigned one, alg none, for the redirect_uri prefix). walletNonce is
// echoed when the wallet sent one (request_uri_method post).
func (rp *RelyingParty) RequestObject(ctx context.Context, id, walletNonce string) ([]byte, error) {
	tx, e, err := rp.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Completed {
		return nil, ErrReplayed
	}
	if len(walletNonce) > 256 {
		return nil, fmt.Errorf("%w: wallet_nonce longer than 256 bytes", ErrMalformedRequest)
	}
	ar, err := rp.authorizationRequest(tx, walletNonce)
	if err != nil {
		return nil, err
	}
	payload, err := json.Marshal(ar)
	if err != nil {
		return nil, err
	}
	return signRequest(rp.identity, payload)
}

func signRequest(id ClientIdentity, payload []byte) ([]byte, error) {
	if id.prefix == PrefixRedirectURI {
		hdr, _ := json.Marshal(map[string]string{"alg": "none", "typ": RequestObjectType})
		enc := base64.RawURLEncoding
		return []byte(enc.EncodeToString(hdr) + "." + enc.EncodeToString(payload) + "."), nil
	}
	x5c := make([]string, len(id.chain))
	for i, c := range id.chain {
		x5c[i] = base64.StdEncoding.EncodeToString(c.Raw)
	}
	alg, err := signatureAlg(id.key.Public())
	if err != nil {
		return nil, err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: opaque(id.key)},
		(&jose.SignerOptions{}).WithType(RequestObjectType).WithHeader("x5c", x5c))
	if err != nil {
		return nil, fmt.Errorf("openid4vp: request object signer: %w", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return nil, fmt.Errorf("openid4vp: signing the request object: %w", err)
	}
	s, err := jws.CompactSerialize()
	return []byte(s), err
}

// ecdhKey reads the transaction's private key.
func (tx *transaction) ecdhKey() (*ecdsa.PrivateKey, error) {
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON(tx.EncKey); err != nil {
		return nil, err
	}
	priv, ok := k.Key.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("openid4vp: stored encryption key is not an EC private key")
	}
	if _, err := priv.ECDH(); err != nil {
		return nil, err
	}
	return priv, nil
}
