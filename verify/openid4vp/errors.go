package openid4vp

import (
	"errors"

	"github.com/badgeproof/badgeproof/internal/errcode"
)

// Sentinel errors of the relying party and of request checking, for
// errors.Is. Each has a stable snake_case code (Result.Code, "code" in
// JSON), in the manner of the verify package's table:
//
//	code                    error                        meaning
//	wallet_error            ErrWalletError               the wallet answered with an error (access_denied, ...): see Result.WalletError
//	malformed_response      ErrMalformedResponse         the response is not a well-formed authorization response (size, encoding, vp_token shape)
//	bad_encryption          ErrBadEncryption             a direct_post.jwt response that is not a JWE to this transaction's key, or does not decrypt (tampered)
//	unencrypted_response    ErrUnencryptedResponse       a plain response where the request asked for an encrypted one
//	unknown_transaction     ErrUnknownTransaction        no live transaction: never created, or expired
//	replayed_response       ErrReplayed                  the transaction was already completed: a second response is refused
//	state_mismatch          ErrStateMismatch             the response's state is not the request's
//	nonce_mismatch          ErrNonceMismatch             a presentation is not bound to the request's nonce
//	audience_mismatch       ErrAudienceMismatch          a presentation is bound to another audience (domain) than this client identifier
//	unrequested_credential  ErrUnrequestedCredential     a credential the query did not ask for (unknown query id, wrong type, too many)
//	missing_credential      ErrMissingCredential         a required credential (or credential set) is not in the response
//	missing_claim           ErrMissingClaim              a presented credential lacks a claim the query requires, or has another value
//	unsupported_format      ErrUnsupportedFormat         a credential format no handler is registered for
//	not_verified            ErrNotVerified               a presented credential or its presentation did not verify: see its Report
//	malformed_request       ErrMalformedRequest          (wallet) the authorization request is not well-formed
//	bad_request_signature   ErrBadRequestSignature       (wallet) the request object's signature does not verify, or is missing where the client identifier needs one
//	client_id_mismatch      ErrClientIDMismatch          (wallet) the certificate or response URI does not belong to the client identifier
//	untrusted_client        ErrUntrustedClient           (wallet) the request's certificate chain does not reach a trusted root
//	no_matching_credential  ErrNoMatchingCredential      (wallet) the wallet holds nothing that satisfies the query
//
// A result whose error wraps several sentinels takes the code of the first
// one found (outermost first).
var (
	ErrWalletError           = errors.New("openid4vp: the wallet answered with an error")
	ErrMalformedResponse     = errors.New("openid4vp: malformed response")
	ErrBadEncryption         = errors.New("openid4vp: response does not decrypt")
	ErrUnencryptedResponse   = errors.New("openid4vp: response not encrypted")
	ErrUnknownTransaction    = errors.New("openid4vp: unknown or expired transaction")
	ErrReplayed              = errors.New("openid4vp: transaction already completed")
	ErrStateMismatch         = errors.New("openid4vp: state mismatch")
	ErrNonceMismatch         = errors.New("openid4vp: nonce mismatch")
	ErrAudienceMismatch      = errors.New("openid4vp: audience mismatch")
	ErrUnrequestedCredential = errors.New("openid4vp: credential not requested")
	ErrMissingCredential     = errors.New("openid4vp: required credential missing")
	ErrMissingClaim          = errors.New("openid4vp: required claim missing")
	ErrUnsupportedFormat     = errors.New("openid4vp: unsupported credential format")
	ErrNotVerified           = errors.New("openid4vp: presentation not verified")
	ErrMalformedRequest      = errors.New("openid4vp: malformed authorization request")
	ErrBadRequestSignature   = errors.New("openid4vp: bad request object signature")
	ErrClientIDMismatch      = errors.New("openid4vp: client identifier mismatch")
	ErrUntrustedClient       = errors.New("openid4vp: untrusted client certificate")
	ErrNoMatchingCredential  = errors.New("openid4vp: no matching credential")
)

var errorCodes = map[error]string{
	ErrWalletError: "wallet_error", ErrMalformedResponse: "malformed_response", ErrBadEncryption: "bad_encryption",
	ErrUnencryptedResponse: "unencrypted_response", ErrUnknownTransaction: "unknown_transaction", ErrReplayed: "replayed_response",
	ErrStateMismatch: "state_mismatch", ErrNonceMismatch: "nonce_mismatch", ErrAudienceMismatch: "audience_mismatch",
	ErrUnrequestedCredential: "unrequested_credential", ErrMissingCredential: "missing_credential", ErrMissingClaim: "missing_claim",
	ErrUnsupportedFormat: "unsupported_format", ErrNotVerified: "not_verified", ErrMalformedRequest: "malformed_request",
	ErrBadRequestSignature: "bad_request_signature", ErrClientIDMismatch: "client_id_mismatch", ErrUntrustedClient: "untrusted_client",
	ErrNoMatchingCredential: "no_matching_credential",
}

// Code returns the stable code of the first of this package's sentinel
// errors that err wraps (outermost first), or "" when it wraps none.
func Code(err error) string { return errcode.Lookup(err, errorCodes) }
