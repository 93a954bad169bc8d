// Package openid4vp is the relying party of OpenID for Verifiable
// Presentations 1.0: how a recruitment site asks a job seeker's phone
// wallet for badges and checks what comes back.
//
// # Asking
//
// [New] builds a [RelyingParty] over a verify.Verifier; its [RelyingParty.Handler]
// serves the routes wallets use. [RelyingParty.CreateRequest] starts a
// transaction for a DCQL [Query] (credential formats ldp_vc, jwt_vc_json and
// dc+sd-jwt; others through [WithFormatHandler]) and returns a [Request] whose
// URL (openid4vp://?client_id=...&request_uri=...) is shown as a QR code
// (cross-device) or a link (same device). The wallet fetches the request
// object from request_uri: signed with an X.509 certificate (client
// identifier prefixes x509_san_dns and x509_hash, [X509SANDNSIdentity],
// [X509HashIdentity]) or, for development, unsigned ([RedirectURIIdentity]).
// The request carries a fresh nonce and state, response_mode direct_post.jwt
// (the default: the answer is a JWE, ECDH-ES, to a key made for this
// transaction) or direct_post, and the response URI.
//
// [RelyingParty.CreateDCAPIRequest] makes the Digital Credentials API form of
// a request (openid4vp-v1-signed with expected origins, or -unsigned bound to
// one origin), which a page passes to navigator.credentials.get; the data
// the browser returns goes to [RelyingParty.ProcessDCAPIResponse].
//
// # Checking
//
// [RelyingParty.ProcessResponse] (behind POST /oid4vp/responses/{id})
// checks the answer exactly: the transaction is live and not yet answered,
// the response decrypts with its key, the state is the request's, every
// presentation is bound to the nonce (challenge) and to the client
// identifier (domain; for jwt_vc_json the VP JWT's nonce and aud claims),
// every presented credential was asked for and holds
// every required claim, the credential sets are satisfied, and each
// presentation and credential verifies with the Verifier. The [Result] has
// one verify.Report per presentation (holder binding, and one report per
// credential) and a stable code when not verified (see [ErrWalletError] for
// the table). A wallet's error (access_denied) is a Result, not a failure
// of the server. The first response that decrypts and carries the state
// completes the transaction; any later one is refused (replayed_response).
//
// # State
//
// Transactions (nonce, state, the ephemeral decryption key, the result) live
// in a store.Store: in memory by default, in Redis (redisstore) when several
// instances behind a load balancer share the work; a request created by one
// instance may be answered to another, and is completed once.
//
// # The wallet's side
//
// [ParseRequestLink], [VerifyRequestObject], [CheckRequest] and
// [EncryptResponse] are the wire format a wallet needs; wallet.Wallet uses
// them to answer requests with a holder's badges.
package openid4vp
