package openid4vp

import (
	"encoding/json"

	"github.com/go-jose/go-jose/v4"
)

// Response modes.
const (
	// ResponseModeDirectPost: the wallet posts vp_token and state as a form.
	ResponseModeDirectPost = "direct_post"
	// ResponseModeDirectPostJWT: the wallet posts response, a JWE (ECDH-ES)
	// to the transaction's ephemeral key holding vp_token and state.
	ResponseModeDirectPostJWT = "direct_post.jwt"
	// ResponseModeDCAPI and ResponseModeDCAPIJWT: the response goes back
	// through the browser's Digital Credentials API.
	ResponseModeDCAPI    = "dc_api"
	ResponseModeDCAPIJWT = "dc_api.jwt"
)

// Digital Credentials API protocol identifiers of OpenID4VP 1.0 (appendix A).
const (
	DCAPIProtocolSigned   = "openid4vp-v1-signed"
	DCAPIProtocolUnsigned = "openid4vp-v1-unsigned"
)

// RequestObjectType is the typ header of a request object (RFC 9101).
const RequestObjectType = "oauth-authz-req+jwt"

// AuthorizationRequest holds the parameters of an OpenID4VP authorization
// request, as the request object's claims or the URL's parameters.
type AuthorizationRequest struct {
	ClientID        string          `json:"client_id,omitempty"`
	ResponseType    string          `json:"response_type"`
	ResponseMode    string          `json:"response_mode"`
	ResponseURI     string          `json:"response_uri,omitempty"`
	Nonce           string          `json:"nonce"`
	State           string          `json:"state,omitempty"`
	DCQLQuery       *Query          `json:"dcql_query"`
	ClientMetadata  *ClientMetadata `json:"client_metadata,omitempty"`
	ExpectedOrigins []string        `json:"expected_origins,omitempty"`
	WalletNonce     string          `json:"wallet_nonce,omitempty"`
	// Claims of the request object as a JWT.
	Issuer    string `json:"iss,omitempty"`
	Audience  string `json:"aud,omitempty"`
	IssuedAt  int64  `json:"iat,omitempty"`
	ExpiresAt int64  `json:"exp,omitempty"`
}

// ClientMetadata is the relying party's metadata passed in the request.
type ClientMetadata struct {
	// JWKS holds the key a direct_post.jwt response is encrypted to.
	JWKS                                *jose.JSONWebKeySet        `json:"jwks,omitempty"`
	EncryptedResponseEncValuesSupported []string                   `json:"encrypted_response_enc_values_supported,omitempty"`
	VPFormatsSupported                  map[string]json.RawMessage `json:"vp_formats_supported,omitempty"`
	ClientName                          string                     `json:"client_name,omitempty"`
}
