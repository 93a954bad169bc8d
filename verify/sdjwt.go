package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/jws"
	"github.com/badgeproof/badgeproof/internal/sdjwt"
	"github.com/badgeproof/badgeproof/internal/vcjwt"
)

// sdjwtTypes are the typ values of an SD-JWT VC: dc+sd-jwt today,
// vc+sd-jwt in earlier drafts that wallets still send.
var sdjwtTypes = map[string]bool{"dc+sd-jwt": true, "vc+sd-jwt": true, "application/dc+sd-jwt": true}

// sdjwtRegistered are the claims of an SD-JWT VC that are not the
// subject's: they are not copied into the summary credential's subject.
var sdjwtRegistered = map[string]bool{"iss": true, "sub": true, "iat": true, "nbf": true, "exp": true, "cnf": true,
	"vct": true, "vct#integrity": true, "status": true, "jti": true, "_sd_alg": true}

// verifySDJWT checks an SD-JWT VC: the issuer's signature, every disclosure
// against the signed digests, vct, the validity claims, the Token Status
// List entry, and the key binding JWT against b (Challenge is the nonce,
// Domain the audience).
func (v *Verifier) verifySDJWT(ctx context.Context, s string, b Binding) *Report {
	sd, err := sdjwt.Parse(s)
	if err != nil {
		return joseFailure(FormatSDJWTVC, err)
	}
	if !sdjwtTypes[strings.ToLower(sd.JWT.Header.Typ)] {
		return joseFailure(FormatSDJWTVC, fmt.Errorf("%w: typ %q is not dc+sd-jwt", jws.ErrMalformed, sd.JWT.Header.Typ))
	}
	// Who issued it is read before the disclosures are checked, from the
	// issuer-signed payload only.
	var head struct {
		Iss    string          `json:"iss"`
		Vct    string          `json:"vct"`
		Sub    string          `json:"sub"`
		Jti    string          `json:"jti"`
		Iat    *int64          `json:"iat"`
		Nbf    *int64          `json:"nbf"`
		Exp    *int64          `json:"exp"`
		Cnf    json.RawMessage `json:"cnf"`
		Status json.RawMessage `json:"status"`
	}
	if err := json.Unmarshal(sd.JWT.Payload, &head); err != nil {
		return joseFailure(FormatSDJWTVC, fmt.Errorf("%w: claims: %v", jws.ErrMalformed, err))
	}
	switch {
	case head.Iss == "":
		return joseFailure(FormatSDJWTVC, fmt.Errorf("%w: no iss", jws.ErrMalformed))
	case head.Vct == "":
		return joseFailure(FormatSDJWTVC, fmt.Errorf("%w: no vct: not an SD-JWT VC", jws.ErrMalformed))
	}
	claims, discErr := sd.Claims()
	cred, err := sdjwtCredential(head.Iss, head.Vct, head.Sub, head.Jti, head.Iat, head.Nbf, head.Exp, claims)
	if err != nil {
		return joseFailure(FormatSDJWTVC, err)
	}
	r := &Report{Credential: summarize(cred), Format: FormatSDJWTVC}
	st := &credState{cred: cred, report: r}
	r.set(Check{ID: CheckFormat, Status: StatusPassed,
		Message: fmt.Sprintf("SD-JWT VC of type %s with %d disclosures presented", head.Vct, len(sd.Disclosures))})
	v.checkJOSESignature(ctx, st, sd.JWT, head.Iss, "SD-JWT")
	if discErr != nil {
		code := ErrDisclosure
		if errors.Is(discErr, sdjwt.ErrMalformed) && !errors.Is(discErr, sdjwt.ErrDisclosure) {
			code = ErrMalformed
		}
		st.signers = nil // the issuer's signature does not cover what is presented
		r.set(Check{ID: CheckSignature, Status: StatusFailed, Err: fmt.Errorf("%w: %w", code, discErr),
			Message: fmt.Sprintf("disclosures: %v", discErr)})
	} else if len(sd.Disclosures) > 0 {
		r.set(Check{ID: CheckSignature, Status: StatusPassed, Message: fmt.Sprintf("%d disclosures match the issuer's signed digests (%s)", len(sd.Disclosures), disclosedNames(claims))})
	}
	noBatch(r)
	v.checkIssuer(st)
	v.checkTokenStatus(ctx, st, head.Iss, head.Status)
	v.checkValidity(st)
	v.checkJWTTimes(st, jwtClaims{Claims: vcjwt.Claims{Nbf: head.Nbf, Exp: head.Exp}})
	r.set(v.checkKeyBinding(sd, head.Cnf, b))
	r.finish()
	return r
}

func disclosedNames(claims map[string]any) string {
	var names []string
	for k := range claims {
		if !sdjwtRegistered[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return "claims: " + strings.Join(names, ", ")
}

// sdjwtCredential is the credential the report and the issuer, status and
// validity checks see: a plain VC whose subject holds the disclosed claims.
func sdjwtCredential(iss, vct, sub, jti string, iat, nbf, exp *int64, claims map[string]any) (*badge.Credential, error) {
	subject := map[string]any{}
	for k, v := range claims {
		if !sdjwtRegistered[k] {
			subject[k] = v
		}
	}
	if sub != "" {
		subject["id"] = sub
	}
	m := map[string]any{
		"@context":          []string{badge.ContextV2},
		"type":              []string{"VerifiableCredential", vct},
		"issuer":            iss,
		"credentialSubject": subject,
	}
	if jti != "" {
		m["id"] = jti
	}
	if name, ok := claims["name"].(string); ok {
		m["name"] = name
	}
	from := nbf
	if from == nil {
		from = iat
	}
	if from != nil {
		m["validFrom"] = time.Unix(*from, 0).UTC().Format(time.RFC3339)
	}
	if exp != nil {
		m["validUntil"] = time.Unix(*exp, 0).UTC().Format(time.RFC3339)
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	c, err := badge.ParseCredential(raw, badge.Limits{})
	if err != nil {
		return nil, fmt.Errorf("%w: the disclosed claims do not form a credential: %v", jws.ErrMalformed, err)
	}
	return c, nil
}

// checkKeyBinding decides the holder check of an SD-JWT VC. A credential
// bound to a key (cnf) must be presented with a key binding JWT by that
// key, over exactly the presented disclosures, bound to the verifier's
// nonce (Binding.Challenge, or AcceptChallenge) and audience
// (Binding.Domain). An SD-JWT as issued (no KB-JWT) is a credential on its
// own: skipped, unless b names a challenge.
func (v *Verifier) checkKeyBinding(sd *sdjwt.SDJWT, cnf json.RawMessage, b Binding) Check {
	fail := func(err error, format string, args ...any) Check {
		return Check{ID: CheckHolder, Status: StatusFailed, Err: err, Message: fmt.Sprintf(format, args...)}
	}
	if sd.KB == nil {
		// A caller that names its challenge expects a presentation; one
		// that only decides challenges (AcceptChallenge, a service taking
		// credentials and presentations alike) gets the credential checked
		// on its own, as for any other credential.
		if b.Challenge != "" {
			return fail(ErrKeyBinding, "a challenge was expected, and the SD-JWT VC has no key binding JWT: the presenter did not prove holding it")
		}
		return Check{ID: CheckHolder, Status: StatusSkipped, Reason: ReasonNotPresented, Message: "not presented: the SD-JWT VC carries no key binding JWT"}
	}
	var c struct {
		JWK json.RawMessage `json:"jwk"`
	}
	if len(cnf) == 0 || json.Unmarshal(cnf, &c) != nil || len(c.JWK) == 0 {
		return fail(ErrKeyBinding, "a key binding JWT is presented, but the credential names no holder key (cnf.jwk) to check it with")
	}
	holder, err := jws.ParsePublicJWK(c.JWK)
	if err != nil {
		return fail(fmt.Errorf("%w: cnf.jwk: %w", ErrKeyBinding, err), "the credential's holder key (cnf.jwk) cannot be read: %v", err)
	}
	maxAge := DefaultKeyBindingMaxAge
	if v.cfg.jose.hasKBA {
		maxAge = v.cfg.jose.kbAge
	}
	nonce := b.Challenge
	var kb struct {
		Nonce string `json:"nonce"`
	}
	if b.AcceptChallenge != nil && json.Unmarshal(sd.KB.Payload, &kb) == nil {
		nonce = kb.Nonce // decided by AcceptChallenge once the binding verifies
	}
	kc, err := sd.VerifyKeyBinding(holder, v.joseAlgs(), b.Domain, nonce, v.cfg.now(), maxAge)
	switch {
	case errors.Is(err, sdjwt.ErrNonce):
		return fail(fmt.Errorf("%w: %w", ErrChallenge, err), "key binding: %v", err)
	case errors.Is(err, jws.ErrAlgNotAllowed):
		return fail(fmt.Errorf("%w: %w", ErrSuiteNotAccepted, err), "key binding: %v", err)
	case err != nil:
		return fail(fmt.Errorf("%w: %w", ErrKeyBinding, err), "key binding: %v", err)
	}
	if b.AcceptChallenge != nil {
		if err := b.AcceptChallenge(kc.Nonce); err != nil {
			return fail(fmt.Errorf("%w: %w", ErrChallenge, err), "key binding nonce %q not accepted: %v", kc.Nonce, err)
		}
	}
	return Check{ID: CheckHolder, Status: StatusPassed,
		Message: fmt.Sprintf("the presenter holds the credential's key (cnf): the key binding JWT covers the presented disclosures, nonce %q, audience %q", kc.Nonce, kc.Aud)}
}
