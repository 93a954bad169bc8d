package verify

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/baking"
	"github.com/badgeproof/badgeproof/internal/jws"
	"github.com/badgeproof/badgeproof/internal/vcjwt"
	"github.com/badgeproof/badgeproof/keys"
)

// Formats a Report names (Report.Format): the identifiers OpenID for
// Verifiable Presentations uses where one exists.
const (
	// FormatLDP is a JSON-LD credential or presentation with embedded proofs
	// (Data Integrity, Blockcerts).
	FormatLDP = "ldp_vc"
	// FormatVCJWT is the VC Data Model 1.1 JWT encoding Open Badges 3.0
	// specifies (a "vc" claim beside iss, sub, jti, nbf, exp).
	FormatVCJWT = "jwt_vc_json"
	// FormatVCJOSE is a VC 2.0 credential secured with JOSE (application/vc+jwt).
	FormatVCJOSE = "vc+jwt"
	// FormatSDJWTVC is an SD-JWT VC (application/dc+sd-jwt).
	FormatSDJWTVC = "dc+sd-jwt"
	// FormatVPJOSE is a VC 2.0 presentation secured with JOSE
	// (application/vp+jwt); each credential inside has its own report.
	FormatVPJOSE = "vp+jwt"
	// FormatVPJWT is a VC Data Model 1.1 presentation JWT (a "vp" claim
	// beside iss, aud and nonce), the presentation OpenID4VP's jwt_vc_json
	// format carries; each credential inside has its own report.
	FormatVPJWT = "jwt_vp_json"
)

// joseConfig is what the options of jose_options.go set.
type joseConfig struct {
	algs   []string // nil: every supported asymmetric algorithm
	jwks   map[string][]jws.JWK
	roots  *x509.CertPool
	kbAge  time.Duration
	hasKBA bool
}

func (v *Verifier) joseAlgs() []string {
	if v.cfg.jose.algs != nil {
		return v.cfg.jose.algs
	}
	return jws.Algorithms()
}

// verifyEncoded handles the inputs that are not JSON: baked images and
// compact JWTs and SD-JWTs. It returns nil for anything else.
func (v *Verifier) verifyEncoded(ctx context.Context, data []byte, b Binding) *Report {
	if k := baking.Sniff(data); k != baking.Unknown {
		cred, _, err := baking.Extract(data)
		if err != nil {
			r := NewReport(Check{ID: CheckFormat, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrMalformed, err),
				Message: fmt.Sprintf("%s image: %v", strings.ToUpper(k.String()), err)})
			r.Container = k.String()
			return r
		}
		r := v.Verify(ctx, cred, b)
		r.Container = k.String()
		if c := r.Check(CheckFormat); c != nil {
			c.Message = fmt.Sprintf("baked in a %s image: %s", strings.ToUpper(k.String()), c.Message)
		}
		return r
	}
	if !jws.LooksCompact(data) {
		return nil
	}
	s := string(bytes.TrimSpace(data))
	ctx, cancel := context.WithTimeout(ctx, v.cfg.timeout)
	defer cancel()
	if strings.Contains(s, "~") {
		return v.verifySDJWT(ctx, s, b)
	}
	return v.verifyJWT(ctx, s, b)
}

// verifyJWT tells a presentation (vp+jwt) from a credential JWT and
// verifies it.
func (v *Verifier) verifyJWT(ctx context.Context, token string, b Binding) *Report {
	lim, _ := v.limitsFor(nil)
	maxPayload := lim.MaxBytes
	if maxPayload <= 0 {
		maxPayload = badge.DefaultMaxBytes
	}
	t, err := jws.Parse(token, maxPayload)
	if err != nil {
		return joseFailure("", err)
	}
	if isJWTPresentation(t) {
		return v.verifyJWTPresentation(ctx, t, b)
	}
	return v.verifyJWTCredential(ctx, t, standalone)
}

// standalone decides the holder check of a credential verified on its own.
func standalone(*badge.Credential) Check {
	return Check{ID: CheckHolder, Status: StatusSkipped, Reason: ReasonNotPresented, Message: "not presented: no holder to check"}
}

// joseFailure is the report of a token that could not be parsed: alg none
// and HMAC are signature failures with their own codes, anything else a
// format failure.
func joseFailure(format string, err error) *Report {
	var r *Report
	switch {
	case errors.Is(err, jws.ErrAlgNone):
		r = NewReport(Check{ID: CheckFormat, Status: StatusPassed, Message: "a compact JWS"},
			Check{ID: CheckSignature, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrAlgNone, err), Message: "alg none: the token is unsigned and is never accepted"})
	case errors.Is(err, jws.ErrAlgHMAC):
		r = NewReport(Check{ID: CheckFormat, Status: StatusPassed, Message: "a compact JWS"},
			Check{ID: CheckSignature, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrAlgHMAC, err), Message: err.Error()})
	default:
		r = NewReport(Check{ID: CheckFormat, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrMalformed, err), Message: err.Error()})
	}
	r.Format = format
	return r
}

// verifyJWTCredential checks an Open Badges 3.0 VC-JWT (VC 1.1) or a VC 2.0
// credential secured with JOSE; holder decides the holder check.
func (v *Verifier) verifyJWTCredential(ctx context.Context, t *jws.Token, holder func(*badge.Credential) Check) *Report {
	lim, _ := v.limitsFor(nil)
	format, credJSON, claims, err := jwtCredential(t)
	if err != nil {
		return joseFailure(format, err)
	}
	c, err := badge.ParseCredential(credJSON, lim)
	if err != nil {
		// Not a credential this SDK models; the signature is still checked
		// and reported, so that the report says all that is known.
		r := formatFailure(err)
		r.Format = format
		r.Credential = &CredentialSummary{ID: claims.Jti, Issuer: claims.Iss, Subject: claims.Sub}
		if claims.Nbf != nil {
			r.Credential.ValidFrom = time.Unix(*claims.Nbf, 0).UTC().Format(time.RFC3339)
		}
		v.checkJOSESignature(ctx, &credState{report: r}, t, claims.Iss, "JWT")
		r.finish()
		return r
	}
	r := &Report{Credential: summarize(c), Format: format}
	st := &credState{cred: c, report: r}
	fc := v.formatCheck(c)
	if fc.Status == StatusPassed {
		fc.Message = fmt.Sprintf("%s: %s", formatName(format), fc.Message)
	}
	r.set(fc)
	v.checkJOSESignature(ctx, st, t, c.Issuer.ID, "JWT")
	noBatch(r)
	v.checkIssuer(st)
	v.status.check(ctx, st)
	v.checkValidity(st)
	v.checkJWTTimes(st, claims)
	r.set(holder(c))
	r.finish()
	return r
}

func formatName(f string) string {
	switch f {
	case FormatVCJWT:
		return "Open Badges 3.0 VC-JWT (VC 1.1 JWT encoding)"
	case FormatVCJOSE:
		return "VC 2.0 secured with JOSE (vc+jwt)"
	case FormatSDJWTVC:
		return "SD-JWT VC"
	}
	return f
}

func noBatch(r *Report) {
	r.set(Check{ID: CheckMerkle, Status: StatusSkipped, Reason: ReasonNoBatchProof, Message: "JOSE-secured: no batch proof"})
	r.set(Check{ID: CheckAnchor, Status: StatusSkipped, Reason: ReasonNoBatchProof, Message: "JOSE-secured: nothing to look up on a chain"})
}

// jwtClaims are the registered claims a credential JWT may carry: those
// that stand for properties of the credential, and iat.
type jwtClaims struct {
	vcjwt.Claims
	Iat *int64 `json:"iat"`
}

// jwtCredential turns a credential JWT's payload into the credential it
// secures. VC 1.1 (a "vc" claim): iss, jti, sub, nbf and exp stand for the
// issuer, id, subject id, issuanceDate and expirationDate, and are filled
// in where the vc object lacks them; where both are given they must agree.
// VC 2.0 (typ vc+jwt or a payload with @context): the payload is the
// credential, and any registered claim must agree with it.
func jwtCredential(t *jws.Token) (string, []byte, jwtClaims, error) {
	var claims jwtClaims
	var payload map[string]json.RawMessage
	if err := json.Unmarshal(t.Payload, &payload); err != nil || payload == nil {
		return "", nil, claims, fmt.Errorf("%w: the JWT payload is not a JSON object", jws.ErrMalformed)
	}
	if err := json.Unmarshal(t.Payload, &claims); err != nil {
		return "", nil, claims, fmt.Errorf("%w: registered claims: %v", jws.ErrMalformed, err)
	}
	typ := strings.ToLower(t.Header.Typ)
	if vc, ok := payload["vc"]; ok {
		var cred map[string]json.RawMessage
		if err := json.Unmarshal(vc, &cred); err != nil || cred == nil {
			return FormatVCJWT, nil, claims, fmt.Errorf("%w: the vc claim is not an object", jws.ErrMalformed)
		}
		if err := vcjwt.Map(cred, claims.Claims); err != nil {
			return FormatVCJWT, nil, claims, err
		}
		out, err := json.Marshal(cred)
		return FormatVCJWT, out, claims, err
	}
	if _, ok := payload["@context"]; ok || typ == "vc+jwt" || typ == "application/vc+jwt" {
		if typ != "" && typ != "vc+jwt" && typ != "application/vc+jwt" && typ != "jwt" {
			return FormatVCJOSE, nil, claims, fmt.Errorf("%w: typ %q is not vc+jwt", jws.ErrMalformed, t.Header.Typ)
		}
		if claims.Iss != "" {
			var p struct {
				Issuer badge.Profile `json:"issuer"`
			}
			if err := json.Unmarshal(t.Payload, &p); err == nil && p.Issuer.ID != claims.Iss {
				return FormatVCJOSE, nil, claims, fmt.Errorf("%w: iss %q is not the credential's issuer %q", jws.ErrMalformed, claims.Iss, p.Issuer.ID)
			}
		}
		return FormatVCJOSE, t.Payload, claims, nil
	}
	return "", nil, claims, fmt.Errorf("%w: a JWT that is neither a VC-JWT (no vc claim) nor a VC 2.0 credential (no @context)", jws.ErrMalformed)
}

// checkJWTTimes applies the JWT's own nbf and exp (they may be stricter
// than the credential's dates).
func (v *Verifier) checkJWTTimes(st *credState, c jwtClaims) {
	now := v.cfg.now()
	if c.Exp != nil && !now.Before(time.Unix(*c.Exp, 0)) {
		st.report.set(Check{ID: CheckValidity, Status: StatusFailed, Err: ErrExpired,
			Message: fmt.Sprintf("expired: the JWT's exp was %s, now is %s", time.Unix(*c.Exp, 0).UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))})
	}
	if c.Nbf != nil && now.Before(time.Unix(*c.Nbf, 0)) {
		st.report.set(Check{ID: CheckValidity, Status: StatusFailed, Err: ErrNotYetValid,
			Message: fmt.Sprintf("not yet valid: the JWT's nbf is %s, now is %s", time.Unix(*c.Nbf, 0).UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))})
	}
}

// joseKey is a key found for a JOSE header, with who it belongs to.
type joseKey struct {
	id         string // the verification method or a name for the key
	controller string // who the key belongs to ("" when nothing says)
	pub        crypto.PublicKey
	// vouched: the verifier's own configuration ties the key to the issuer
	// (a JWK set given for it, a certificate from a configured root), so the
	// trust list need not list the key itself.
	vouched bool
	how     string
}

// findJOSEKey finds the key a JOSE header names for a token issued by
// issuer: x5c (a chain to the configured roots whose leaf names the
// issuer), kid (a DID URL resolved like any verification method, did:jwk
// included, or a kid of the issuer's configured JWK set), jwk (an embedded
// key, which counts only when the trust list or a configured JWK set lists
// it for the issuer), or else the issuer's configured JWK set.
func (v *Verifier) findJOSEKey(ctx context.Context, h jws.Header, issuer string) (*joseKey, Status, error) {
	fail := func(err error) (*joseKey, Status, error) { return nil, StatusFailed, err }
	if len(h.X5C) > 0 {
		return v.x5cKey(h.X5C, issuer)
	}
	configured := v.cfg.jose.jwks[issuer]
	if h.Kid != "" {
		for _, k := range configured {
			if k.Kid == h.Kid || len(configured) == 1 && k.Kid == "" {
				return &joseKey{id: h.Kid, controller: issuer, pub: k.Key, vouched: true, how: "the issuer's configured JWK set"}, "", nil
			}
		}
		if strings.HasPrefix(h.Kid, jws.DIDJWKPrefix) {
			pub, did, err := jws.ParseDIDJWK(h.Kid)
			if err != nil {
				return fail(fmt.Errorf("%w: %w", ErrMalformed, err))
			}
			return &joseKey{id: did + "#0", controller: did, pub: pub, how: "did:jwk"}, "", nil
		}
		vm := h.Kid
		if strings.HasPrefix(vm, "#") && strings.HasPrefix(issuer, "did:") {
			vm = issuer + vm
		}
		if strings.HasPrefix(vm, "did:") || v.trust != nil {
			key, err := v.keys.ResolveKey(ctx, vm, PurposeAssertion)
			switch {
			case err == nil:
				return &joseKey{id: key.ID, controller: key.Controller, pub: key.Public, how: "kid " + vm}, "", nil
			case errors.Is(err, ErrUnknownKey) && len(h.JWK) == 0 && len(configured) == 0:
				return fail(fmt.Errorf("%w: %w", ErrUnknownKey, err))
			case errors.Is(err, ErrUnknownKey):
			case errors.Is(err, ErrMalformed), errors.Is(err, ErrFetchRefused), errors.Is(err, ErrKeyMismatch):
				return fail(err)
			default:
				return nil, StatusIndeterminate, fmt.Errorf("%w: %w", ErrKeyUnavailable, err)
			}
		}
	}
	if len(h.JWK) > 0 {
		pub, err := jws.ParsePublicJWK(h.JWK)
		if err != nil {
			return fail(fmt.Errorf("%w: header jwk: %w", ErrMalformed, err))
		}
		tp, _ := jws.Thumbprint(pub)
		k := &joseKey{id: "urn:ietf:params:oauth:jwk-thumbprint:sha-256:" + tp, pub: pub, how: "the embedded jwk"}
		for _, c := range configured {
			if sameKey(c.Key, pub) {
				k.controller, k.vouched = issuer, true
				return k, "", nil
			}
		}
		if is := v.trust.issuer(issuer); is != nil {
			if pk, ok := pub.(*keys.PublicKey); ok {
				if tk := is.key("", pk); tk != nil {
					k.id, k.controller = tk.ID, issuer
				}
			}
		}
		return k, "", nil
	}
	if len(configured) == 1 {
		return &joseKey{id: issuer + "#jwks", controller: issuer, pub: configured[0].Key, vouched: true, how: "the issuer's configured JWK set"}, "", nil
	}
	if len(configured) > 1 {
		return fail(fmt.Errorf("%w: the issuer's JWK set holds %d keys and the token names none (no kid)", ErrUnknownKey, len(configured)))
	}
	return fail(fmt.Errorf("%w: the JOSE header names no key (no kid, jwk or x5c) and no JWK set is configured for %s", ErrUnknownKey, issuer))
}

func sameKey(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if pa, ok := a.(*keys.PublicKey); ok {
		if pb, ok := b.(*keys.PublicKey); ok {
			return pa.Equal(pb)
		}
		return false
	}
	if e, ok := a.(equaler); ok {
		return e.Equal(b)
	}
	return false
}

// x5cKey checks an x5c chain against the configured roots; the leaf must
// name the issuer (a URI SAN equal to it, or a DNS SAN equal to its host).
func (v *Verifier) x5cKey(chain []string, issuer string) (*joseKey, Status, error) {
	if v.cfg.jose.roots == nil {
		return nil, StatusFailed, fmt.Errorf("%w: the token carries an x5c certificate chain, and no X.509 roots are configured (WithX509Roots)", ErrUnknownKey)
	}
	leaf, err := jws.VerifyChain(chain, v.cfg.jose.roots, v.cfg.now())
	switch {
	case errors.Is(err, jws.ErrBadChain):
		return nil, StatusFailed, fmt.Errorf("%w: %w", ErrMalformed, err)
	case err != nil:
		return nil, StatusFailed, fmt.Errorf("%w: x5c chain does not lead to a configured root: %w", ErrUntrustedIssuer, err)
	}
	names := false
	for _, u := range leaf.URIs {
		names = names || u.String() == issuer
	}
	if u, err := url.Parse(issuer); err == nil && u.Scheme == "https" {
		for _, d := range leaf.DNSNames {
			names = names || strings.EqualFold(d, u.Hostname())
		}
	}
	if !names {
		return nil, StatusFailed, fmt.Errorf("%w: the x5c leaf certificate (%s) does not name the issuer %s", ErrKeyNotIssuer, leaf.Subject, issuer)
	}
	return &joseKey{id: "x5c:" + leaf.Subject.String(), controller: issuer, pub: leaf.PublicKey, vouched: true, how: "an x5c chain to a configured root"}, "", nil
}

// checkJOSESignature finds the key, checks the algorithm and the signature,
// and records the signer for the issuer check.
func (v *Verifier) checkJOSESignature(ctx context.Context, st *credState, t *jws.Token, issuer, what string) {
	r := st.report
	set := func(s Status, err error, format string, args ...any) {
		r.set(Check{ID: CheckSignature, Status: s, Err: err, Message: what + ": " + fmt.Sprintf(format, args...)})
	}
	alg := t.Header.Alg
	if !jwsAccepted(v.joseAlgs(), alg) {
		set(StatusFailed, ErrSuiteNotAccepted, "alg %s is not accepted by this verifier (accepted: %s)", alg, strings.Join(v.joseAlgs(), ", "))
		return
	}
	key, status, err := v.findJOSEKey(ctx, t.Header, issuer)
	if err != nil {
		set(status, err, "no key to check the %s signature with: %v", alg, err)
		return
	}
	if err := t.Verify(key.pub, v.joseAlgs()); err != nil {
		set(StatusFailed, joseError(err), "%s signature with %s (%s) does not verify: %v", alg, key.id, key.how, err)
		return
	}
	if key.controller != issuer {
		if key.controller != "" && strings.HasPrefix(issuer, "did:") {
			set(StatusFailed, ErrKeyNotIssuer, "the %s signature is valid, but by a key of %s, and the issuer is %s", alg, key.controller, issuer)
			return
		}
		set(StatusIndeterminate, ErrKeyUnavailable, "the %s signature verifies with %s, but nothing ties that key to the issuer %s; list it under the issuer in the trust list, or give the issuer's JWK set (WithIssuerJWKS)", alg, key.how, issuer)
		return
	}
	pk, _ := key.pub.(*keys.PublicKey)
	signer := &Key{ID: key.id, Controller: key.controller, Public: pk}
	st.signers = append(st.signers, signer)
	if key.vouched {
		if st.vouched == nil {
			st.vouched = map[*Key]bool{}
		}
		st.vouched[signer] = true
	}
	set(StatusPassed, nil, "%s signature by %s (%s) verifies", alg, key.id, key.how)
}

func jwsAccepted(list []string, alg string) bool {
	for _, a := range list {
		if a == alg {
			return true
		}
	}
	return false
}

func joseError(err error) error {
	switch {
	case errors.Is(err, jws.ErrKeyMismatch):
		return fmt.Errorf("%w: %w", ErrKeyMismatch, err)
	case errors.Is(err, jws.ErrAlgNotAllowed):
		return fmt.Errorf("%w: %w", ErrSuiteNotAccepted, err)
	}
	return fmt.Errorf("%w: %w", ErrBadSignature, err)
}
