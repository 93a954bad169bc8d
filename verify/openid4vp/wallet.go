package openid4vp

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// This file is the wallet's side of the wire format: reading a request and
// encrypting a response. wallet.Wallet uses it; so can any wallet.

// MaxRequestBytes caps a request URL or request object.
const MaxRequestBytes = 256 << 10

// RequestLink is a request URL as a QR code or link carries it: either a
// reference (client_id and request_uri) or the whole request by value.
type RequestLink struct {
	ClientID         string
	RequestURI       string
	RequestURIMethod string // "get" (default) or "post"
	// ByValue holds the parameters of a request passed by value (no request_uri).
	ByValue *AuthorizationRequest
	// Request is a request object passed by value (the request parameter).
	Request string
}

// ParseRequestLink reads an authorization request URL (openid4vp://?...,
// haip-vp://, an https link, or just its query).
func ParseRequestLink(raw string) (*RequestLink, error) {
	if len(raw) > MaxRequestBytes {
		return nil, fmt.Errorf("%w: a request URL of %d bytes", ErrMalformedRequest, len(raw))
	}
	raw = strings.TrimSpace(raw)
	query := raw
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		query = raw[i+1:]
	}
	vals, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedRequest, err)
	}
	for k, v := range vals {
		if len(v) > 1 {
			return nil, fmt.Errorf("%w: parameter %q given twice", ErrMalformedRequest, k)
		}
	}
	l := &RequestLink{ClientID: vals.Get("client_id"), RequestURI: vals.Get("request_uri"), RequestURIMethod: vals.Get("request_uri_method"), Request: vals.Get("request")}
	if l.RequestURIMethod == "" {
		l.RequestURIMethod = "get"
	}
	if l.RequestURIMethod != "get" && l.RequestURIMethod != "post" {
		return nil, fmt.Errorf("%w: request_uri_method %q", ErrMalformedRequest, l.RequestURIMethod)
	}
	if l.RequestURI != "" || l.Request != "" {
		if l.ClientID == "" {
			return nil, fmt.Errorf("%w: a request by reference without client_id", ErrMalformedRequest)
		}
		if l.RequestURI != "" {
			u, err := url.Parse(l.RequestURI)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return nil, fmt.Errorf("%w: request_uri %q is not an http(s) URL", ErrMalformedRequest, l.RequestURI)
			}
		}
		return l, nil
	}
	ar := &AuthorizationRequest{ClientID: l.ClientID, ResponseType: vals.Get("response_type"), ResponseMode: vals.Get("response_mode"),
		ResponseURI: vals.Get("response_uri"), Nonce: vals.Get("nonce"), State: vals.Get("state")}
	if q := vals.Get("dcql_query"); q != "" {
		if ar.DCQLQuery, err = ParseQuery([]byte(q)); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformedRequest, err)
		}
	}
	if m := vals.Get("client_metadata"); m != "" {
		ar.ClientMetadata = &ClientMetadata{}
		if err := json.Unmarshal([]byte(m), ar.ClientMetadata); err != nil {
			return nil, fmt.Errorf("%w: client_metadata: %v", ErrMalformedRequest, err)
		}
	}
	l.ByValue = ar
	return l, nil
}

// RequestPolicy is what a wallet accepts of a relying party.
type RequestPolicy struct {
	// Roots are the trusted roots of x509_san_dns certificate chains (nil:
	// the system's). An x509_hash identifier is its certificate; its chain
	// is checked against Roots only when RequireTrustedHash is set.
	Roots              *x509.CertPool
	RequireTrustedHash bool
	// AllowRedirectURI accepts unsigned requests of the redirect_uri prefix
	// (development: nothing says who asks).
	AllowRedirectURI bool
	// Now is the clock for certificates and exp (time.Now when nil).
	Now func() time.Time
}

// VerifyRequestObject checks a request object fetched for a link with
// client identifier clientID: its signature by the certificate the
// identifier names (or alg none for redirect_uri, when the policy allows
// it), its type and expiry, and that its parameters are complete.
func VerifyRequestObject(jwt []byte, clientID string, pol RequestPolicy) (*AuthorizationRequest, error) {
	if len(jwt) > MaxRequestBytes {
		return nil, fmt.Errorf("%w: a request object of %d bytes", ErrMalformedRequest, len(jwt))
	}
	now := time.Now
	if pol.Now != nil {
		now = pol.Now
	}
	parts := strings.Split(strings.TrimSpace(string(jwt)), ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: a request object is a compact JWS of three parts, got %d", ErrMalformedRequest, len(parts))
	}
	hdrJSON, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformedRequest, err)
	}
	var hdr struct {
		Alg string   `json:"alg"`
		Typ string   `json:"typ"`
		X5C []string `json:"x5c"`
	}
	if err := json.Unmarshal(hdrJSON, &hdr); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformedRequest, err)
	}
	if hdr.Typ != RequestObjectType {
		return nil, fmt.Errorf("%w: typ %q, want %s", ErrMalformedRequest, hdr.Typ, RequestObjectType)
	}
	prefix, value := SplitClientID(clientID)
	var payload []byte
	switch prefix {
	case PrefixRedirectURI:
		if !pol.AllowRedirectURI {
			return nil, fmt.Errorf("%w: redirect_uri requests are unsigned and this wallet does not accept them", ErrUntrustedClient)
		}
		if hdr.Alg != "none" || parts[2] != "" {
			return nil, fmt.Errorf("%w: a redirect_uri request must not be signed", ErrBadRequestSignature)
		}
		if payload, err = base64.RawURLEncoding.DecodeString(parts[1]); err != nil {
			return nil, fmt.Errorf("%w: payload: %v", ErrMalformedRequest, err)
		}
	case PrefixX509SANDNS, PrefixX509Hash:
		if len(hdr.X5C) == 0 || len(hdr.X5C) > 8 {
			return nil, fmt.Errorf("%w: %d certificates in x5c", ErrBadRequestSignature, len(hdr.X5C))
		}
		chain := make([]*x509.Certificate, len(hdr.X5C))
		for i, c := range hdr.X5C {
			der, err := base64.StdEncoding.DecodeString(c)
			if err != nil {
				return nil, fmt.Errorf("%w: x5c[%d]: %v", ErrBadRequestSignature, i, err)
			}
			if chain[i], err = x509.ParseCertificate(der); err != nil {
				return nil, fmt.Errorf("%w: x5c[%d]: %v", ErrBadRequestSignature, i, err)
			}
		}
		leaf := chain[0]
		if prefix == PrefixX509Hash && X509Hash(leaf) != value {
			return nil, fmt.Errorf("%w: the certificate's hash is %s, the client identifier says %s", ErrClientIDMismatch, X509Hash(leaf), value)
		}
		if prefix == PrefixX509SANDNS && !slices.Contains(leaf.DNSNames, value) {
			return nil, fmt.Errorf("%w: the certificate names %v, not %s", ErrClientIDMismatch, leaf.DNSNames, value)
		}
		if prefix == PrefixX509SANDNS || pol.RequireTrustedHash {
			inter := x509.NewCertPool()
			for _, c := range chain[1:] {
				inter.AddCert(c)
			}
			if _, err := leaf.Verify(x509.VerifyOptions{Roots: pol.Roots, Intermediates: inter, CurrentTime: now()}); err != nil {
				return nil, fmt.Errorf("%w: %v", ErrUntrustedClient, err)
			}
		} else if now().Before(leaf.NotBefore) || now().After(leaf.NotAfter) {
			return nil, fmt.Errorf("%w: the certificate is valid from %s to %s", ErrUntrustedClient, leaf.NotBefore, leaf.NotAfter)
		}
		jws, err := jose.ParseSignedCompact(string(jwt), requestAlgs)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadRequestSignature, err)
		}
		if payload, err = jws.Verify(leaf.PublicKey); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadRequestSignature, err)
		}
	default:
		return nil, fmt.Errorf("%w: client identifier prefix of %q is not supported (redirect_uri, x509_san_dns, x509_hash)", ErrUntrustedClient, clientID)
	}
	var ar AuthorizationRequest
	if err := json.Unmarshal(payload, &ar); err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformedRequest, err)
	}
	if ar.ClientID != clientID {
		return nil, fmt.Errorf("%w: the request object's client_id is %q, the link's %q", ErrClientIDMismatch, ar.ClientID, clientID)
	}
	if ar.ExpiresAt != 0 && now().Unix() > ar.ExpiresAt {
		return nil, fmt.Errorf("%w: the request expired at %s", ErrMalformedRequest, time.Unix(ar.ExpiresAt, 0).UTC())
	}
	if err := CheckRequest(&ar); err != nil {
		return nil, err
	}
	return &ar, nil
}

// CheckRequest checks that a request's parameters are complete and fit its
// client identifier: response_type vp_token, a known response mode with a
// response URI, a nonce, a valid DCQL query, and for redirect_uri and
// x509_san_dns a response URI the identifier names.
func CheckRequest(ar *AuthorizationRequest) error {
	bad := func(f string, a ...any) error {
		return fmt.Errorf("%w: "+f, append([]any{ErrMalformedRequest}, a...)...)
	}
	if ar.ResponseType != "vp_token" {
		return bad("response_type %q, want vp_token", ar.ResponseType)
	}
	if ar.Nonce == "" || len(ar.Nonce) > 256 {
		return bad("nonce of %d bytes", len(ar.Nonce))
	}
	if ar.DCQLQuery == nil {
		return bad("no dcql_query")
	}
	if err := ar.DCQLQuery.Validate(); err != nil {
		return bad("%v", err)
	}
	switch ar.ResponseMode {
	case ResponseModeDirectPost, ResponseModeDirectPostJWT:
		u, err := url.Parse(ar.ResponseURI)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return bad("response_uri %q", ar.ResponseURI)
		}
		prefix, value := SplitClientID(ar.ClientID)
		if prefix == PrefixRedirectURI && value != ar.ResponseURI {
			return fmt.Errorf("%w: redirect_uri client %q but response_uri %q", ErrClientIDMismatch, value, ar.ResponseURI)
		}
		if prefix == PrefixX509SANDNS && !strings.EqualFold(u.Hostname(), value) {
			return fmt.Errorf("%w: x509_san_dns client %q but response_uri on %q", ErrClientIDMismatch, value, u.Hostname())
		}
	case ResponseModeDCAPI, ResponseModeDCAPIJWT:
	default:
		return bad("response_mode %q", ar.ResponseMode)
	}
	if strings.HasSuffix(ar.ResponseMode, ".jwt") {
		if _, err := EncryptionKey(ar); err != nil {
			return err
		}
	}
	return nil
}

// EncryptionKey returns the relying party's key for an encrypted response:
// the first ECDH-ES P-256 key of client_metadata.jwks.
func EncryptionKey(ar *AuthorizationRequest) (*jose.JSONWebKey, error) {
	if ar.ClientMetadata == nil || ar.ClientMetadata.JWKS == nil {
		return nil, fmt.Errorf("%w: an encrypted response mode without client_metadata.jwks", ErrMalformedRequest)
	}
	for _, k := range ar.ClientMetadata.JWKS.Keys {
		if pub, ok := k.Key.(*ecdsa.PublicKey); ok && pub.Curve.Params().Name == "P-256" && (k.Use == "" || k.Use == "enc") &&
			(k.Algorithm == "" || k.Algorithm == string(jose.ECDH_ES)) {
			return &k, nil
		}
	}
	return nil, fmt.Errorf("%w: client_metadata.jwks holds no P-256 ECDH-ES key", ErrMalformedRequest)
}

// EncryptResponse encrypts response parameters (vp_token, state) to the
// request's key as a direct_post.jwt / dc_api.jwt response: a compact JWE,
// ECDH-ES with A128GCM, or A256GCM when that is the only one the relying
// party lists.
func EncryptResponse(ar *AuthorizationRequest, params map[string]any) (string, error) {
	k, err := EncryptionKey(ar)
	if err != nil {
		return "", err
	}
	enc := jose.A128GCM
	if vals := ar.ClientMetadata.EncryptedResponseEncValuesSupported; len(vals) > 0 && !slices.Contains(vals, string(jose.A128GCM)) {
		if !slices.Contains(vals, string(jose.A256GCM)) {
			return "", fmt.Errorf("%w: the relying party supports none of A128GCM and A256GCM", ErrMalformedRequest)
		}
		enc = jose.A256GCM
	}
	e, err := jose.NewEncrypter(enc, jose.Recipient{Algorithm: jose.ECDH_ES, Key: k.Key, KeyID: k.KeyID}, nil)
	if err != nil {
		return "", err
	}
	plain, err := json.Marshal(params)
	if err != nil {
		return "", err
	}
	obj, err := e.Encrypt(plain)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}
