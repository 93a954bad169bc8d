package verify

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/budget"
	"github.com/badgeproof/badgeproof/internal/jsonx"
	"github.com/badgeproof/badgeproof/internal/jws"
)

// vpTypes are the typ values of a presentation secured with JOSE.
var vpTypes = map[string]bool{"vp+jwt": true, "application/vp+jwt": true}

// envelopedPrefixes are the data: URL media types of a credential
// enveloped in a presentation (VC 2.0 EnvelopedVerifiableCredential).
var envelopedPrefixes = []string{"data:application/vc+jwt,", "data:application/jwt,"}

// maxPresentedCredentials bounds the credentials of one vp+jwt, checked
// before any of them is looked at.
const maxPresentedCredentials = 64

// isJWTPresentation: typ vp+jwt, a VC 2.0 payload typed
// VerifiablePresentation, or a VC 1.1 presentation JWT (a vp claim).
func isJWTPresentation(t *jws.Token) bool {
	if vpTypes[strings.ToLower(t.Header.Typ)] {
		return true
	}
	var p struct {
		Type badge.Strings   `json:"type"`
		VP   json.RawMessage `json:"vp"`
	}
	return json.Unmarshal(t.Payload, &p) == nil && (p.Type.Has("VerifiablePresentation") || hasVPClaim(p.VP))
}

// jwtPresentation is what a vp+jwt's payload says.
type jwtPresentation struct {
	Context []json.RawMessage `json:"@context"`
	Type    badge.Strings     `json:"type"`
	Holder  json.RawMessage   `json:"holder"`
	VC      json.RawMessage   `json:"verifiableCredential"`
	Iss     string            `json:"iss"`
	Nonce   string            `json:"nonce"`
	Aud     json.RawMessage   `json:"aud"`
	Iat     *int64            `json:"iat"`
	Nbf     *int64            `json:"nbf"`
	Exp     *int64            `json:"exp"`
	// VP is the presentation of a VC 1.1 presentation JWT.
	VP json.RawMessage `json:"vp"`
}

func (p *jwtPresentation) holder() (string, error) {
	if len(p.Holder) == 0 {
		return p.Iss, nil
	}
	var id string
	if json.Unmarshal(p.Holder, &id) == nil {
		return id, nil
	}
	var obj struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(p.Holder, &obj); err != nil {
		return "", fmt.Errorf("holder is neither a string nor an object with an id")
	}
	return obj.ID, nil
}

// audiences reads aud: one string or an array of strings.
func (p *jwtPresentation) audiences() ([]string, error) {
	if len(p.Aud) == 0 {
		return nil, nil
	}
	var one string
	if json.Unmarshal(p.Aud, &one) == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(p.Aud, &many); err != nil {
		return nil, fmt.Errorf("aud is neither a string nor an array of strings")
	}
	return many, nil
}

// verifyJWTPresentation checks a VC 2.0 presentation secured with JOSE
// (vp+jwt, W3C VC-JOSE-COSE), or a VC 1.1 presentation JWT (jwt_vp_json,
// its presentation in the vp claim, its credentials VC-JWTs): the holder's signature by a key of the
// holder (kid), the binding to b exactly as for a Data Integrity
// presentation (the nonce claim is the challenge, aud the domain; codes
// challenge_mismatch and not_holder), and every credential inside
// (enveloped vc+jwt credentials, or embedded ones with their own proofs),
// each with its own report in Report.Credentials.
func (v *Verifier) verifyJWTPresentation(ctx context.Context, t *jws.Token, b Binding) *Report {
	reportFormat, wantContext := FormatVPJOSE, badge.ContextV2
	fail := func(format string, args ...any) *Report {
		return joseFailure(reportFormat, fmt.Errorf("%w: "+format, append([]any{jws.ErrMalformed}, args...)...))
	}
	if err := jsonx.Check(t.Payload, jsonx.Limits{MaxBytes: len(t.Payload) + 1}); err != nil {
		return fail("payload: %v", err)
	}
	var p jwtPresentation
	if err := json.Unmarshal(t.Payload, &p); err != nil {
		return fail("payload: %v", err)
	}
	if hasVPClaim(p.VP) {
		reportFormat, wantContext = FormatVPJWT, badge.ContextV1
		if err := p.liftVP(); err != nil {
			return fail("%v", err)
		}
	}
	holder, err := p.holder()
	if err != nil {
		return fail("%v", err)
	}
	auds, err := p.audiences()
	if err != nil {
		return fail("%v", err)
	}
	var items []json.RawMessage
	if len(p.VC) > 0 {
		if bytes.HasPrefix(bytes.TrimSpace(p.VC), []byte("[")) {
			if err := json.Unmarshal(p.VC, &items); err != nil {
				return fail("verifiableCredential: %v", err)
			}
		} else {
			items = []json.RawMessage{p.VC}
		}
	}
	typ := strings.ToLower(t.Header.Typ)
	switch {
	case typ != "" && !vpTypes[typ] && typ != "jwt":
		return fail("typ %q is not vp+jwt", t.Header.Typ)
	case !p.Type.Has("VerifiablePresentation"):
		return fail("type %v does not include VerifiablePresentation", []string(p.Type))
	case len(p.Context) == 0 || string(bytes.Trim(p.Context[0], `"`)) != wantContext:
		return fail("the first @context is not %s: a %s secures a %s presentation", wantContext, reportFormat, map[string]string{badge.ContextV1: "VC 1.1", badge.ContextV2: "VC 2.0"}[wantContext])
	case holder == "":
		return fail("no holder and no iss: nothing says who presents it")
	case p.Iss != "" && p.Iss != holder:
		return fail("iss %q is not the holder %q", p.Iss, holder)
	case len(items) == 0:
		return fail("no verifiableCredential")
	case len(items) > maxPresentedCredentials:
		return fail("%d credentials, at most %d", len(items), maxPresentedCredentials)
	}

	r := &Report{Format: reportFormat}
	what := "VC 2.0 presentation secured with JOSE (vp+jwt)"
	if reportFormat == FormatVPJWT {
		what = "VC 1.1 presentation JWT (vp claim)"
	}
	r.set(Check{ID: CheckFormat, Status: StatusPassed, Message: fmt.Sprintf("%s of %d credential(s)", what, len(items))})
	authenticated, undecided := v.checkJWTHolderProof(ctx, r, t, &p, holder, auds, b)

	bud := budget.New(v.cfg.workBudget)
	others := 0
	decide := func(c *badge.Credential) Check { return holderCheck(c, holder, authenticated, undecided, b, &others) }
	for i, it := range items {
		r.Credentials = append(r.Credentials, v.presentedCredential(ctx, bud, i, it, decide))
	}
	summarizeHolder(r, holder, authenticated, undecided, others)
	r.finish()
	return r
}

// checkJWTHolderProof verifies the holder's JWS and its binding, as
// checkPresentationProof does for a Data Integrity proof. It returns
// whether the holder is authenticated, and why not when that could not be
// decided.
func (v *Verifier) checkJWTHolderProof(ctx context.Context, r *Report, t *jws.Token, p *jwtPresentation, holder string, auds []string, b Binding) (bool, error) {
	sigFail := func(err error, format string, args ...any) {
		r.set(Check{ID: CheckSignature, Status: StatusFailed, Err: err, Message: "presentation: " + fmt.Sprintf(format, args...)})
		r.set(Check{ID: CheckHolder, Status: StatusFailed, Err: ErrNotHolder, Message: "the holder's signature did not verify"})
	}
	alg := t.Header.Alg
	if !jwsAccepted(v.joseAlgs(), alg) {
		sigFail(ErrSuiteNotAccepted, "alg %s is not accepted by this verifier (accepted: %s)", alg, strings.Join(v.joseAlgs(), ", "))
		return false, nil
	}
	vm := t.Header.Kid
	if strings.HasPrefix(vm, "#") {
		vm = holder + vm
	}
	if vm == "" {
		sigFail(ErrUnknownKey, "the JOSE header names no key (kid) of the holder %s", holder)
		return false, nil
	}
	var key *Key
	if strings.HasPrefix(vm, jws.DIDJWKPrefix) {
		pub, did, err := jws.ParseDIDJWK(vm)
		if err != nil {
			sigFail(fmt.Errorf("%w: %w", ErrMalformed, err), "kid: %v", err)
			return false, nil
		}
		if err := t.Verify(pub, v.joseAlgs()); err != nil {
			sigFail(joseError(err), "%s signature by %s does not verify: %v", alg, vm, err)
			return false, nil
		}
		key = &Key{ID: did + "#0", Controller: did}
	} else {
		k, found := v.resolveKey(ctx, r, CheckSignature, 0, vm, PurposeAuthentication)
		if !found {
			c := r.Check(CheckSignature)
			if c != nil && c.Status == StatusIndeterminate {
				return false, c.Err
			}
			r.set(Check{ID: CheckHolder, Status: StatusFailed, Err: ErrNotHolder, Message: "the holder's key could not be had"})
			return false, nil
		}
		if err := t.Verify(k.Public, v.joseAlgs()); err != nil {
			sigFail(joseError(err), "%s signature by %s does not verify: %v", alg, vm, err)
			return false, nil
		}
		key = k
	}
	if key.Controller != holder {
		sigFail(ErrKeyNotIssuer, "signed with a key of %s, but the holder is %s", key.Controller, holder)
		return false, nil
	}
	now := v.cfg.now()
	if p.Exp != nil && !now.Before(time.Unix(*p.Exp, 0)) {
		sigFail(ErrProofExpired, "the presentation expired at %s, now is %s", time.Unix(*p.Exp, 0).UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		return false, nil
	}
	for _, at := range []*int64{p.Nbf, p.Iat} {
		if at != nil && time.Unix(*at, 0).After(now.Add(v.cfg.clockSkew)) {
			sigFail(ErrProofNotYetValid, "the presentation says it was made at %s, later than now (%s) plus the allowed clock skew of %v",
				time.Unix(*at, 0).UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339), v.cfg.clockSkew)
			return false, nil
		}
	}
	r.set(Check{ID: CheckSignature, Status: StatusPassed, Message: fmt.Sprintf("presentation: %s signature by the holder %s (%s)", alg, holder, key.ID)})

	// The binding: as for a Data Integrity presentation, a failure here
	// fails the holder check only; the badges keep their own verdicts.
	bindFail := func(err error, format string, args ...any) (bool, error) {
		r.set(Check{ID: CheckHolder, Status: StatusFailed, Err: err, Message: "presentation: " + fmt.Sprintf(format, args...)})
		return true, nil
	}
	if b.Challenge == "" && b.AcceptChallenge == nil || b.Domain == "" {
		return bindFail(ErrChallenge, "no challenge and domain were expected, so the presentation could be a replay")
	}
	inAud := false
	for _, a := range auds {
		inAud = inAud || a == b.Domain
	}
	if !inAud {
		return bindFail(ErrChallenge, "audience (aud) is %s, expected %q", strings.Join(quoteAll(auds), ", "), b.Domain)
	}
	if b.AcceptChallenge != nil {
		if err := b.AcceptChallenge(p.Nonce); err != nil {
			return bindFail(fmt.Errorf("%w: %w", ErrChallenge, err), "nonce %q: %v", p.Nonce, err)
		}
		return true, nil
	}
	if subtle.ConstantTimeCompare([]byte(p.Nonce), []byte(b.Challenge)) != 1 {
		return bindFail(ErrChallenge, "nonce is %q, expected %q", p.Nonce, b.Challenge)
	}
	return true, nil
}

func quoteAll(list []string) []string {
	if len(list) == 0 {
		return []string{"absent"}
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// presentedCredential verifies one entry of a vp+jwt's
// verifiableCredential: an EnvelopedVerifiableCredential (a data: URL of a
// vc+jwt), a compact JWT, or an embedded credential with its own proofs.
func (v *Verifier) presentedCredential(ctx context.Context, bud *budget.Budget, i int, raw json.RawMessage, holder func(*badge.Credential) Check) *Report {
	bad := func(format string, args ...any) *Report {
		return formatFailure(fmt.Errorf("verifiableCredential[%d]: "+format, append([]any{i}, args...)...))
	}
	lim, _ := v.limitsFor(nil)
	maxPayload := lim.MaxBytes
	if maxPayload <= 0 {
		maxPayload = badge.DefaultMaxBytes
	}
	jwt := func(token string) *Report {
		t, err := jws.Parse(token, maxPayload)
		if err != nil {
			return joseFailure("", fmt.Errorf("verifiableCredential[%d]: %w", i, err))
		}
		if isJWTPresentation(t) {
			return bad("a presentation inside a presentation")
		}
		return v.verifyJWTCredential(ctx, t, holder)
	}
	var token string
	if json.Unmarshal(raw, &token) == nil {
		return jwt(token)
	}
	var env struct {
		ID   string        `json:"id"`
		Type badge.Strings `json:"type"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return bad("not a credential object, an enveloped credential or a JWT")
	}
	if env.Type.Has("EnvelopedVerifiableCredential") {
		for _, prefix := range envelopedPrefixes {
			if strings.HasPrefix(env.ID, prefix) {
				return jwt(strings.TrimPrefix(env.ID, prefix))
			}
		}
		media, _, _ := strings.Cut(env.ID, ",")
		return bad("an enveloped credential of %q; this verifier reads data:application/vc+jwt", media)
	}
	c, err := badge.ParseCredential(raw, lim)
	if err != nil {
		return formatFailure(fmt.Errorf("verifiableCredential[%d]: %w", i, err))
	}
	return v.credentialReport(ctx, bud, c, holder)
}
