package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/badgeproof/badgeproof/issuer/wallet"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/badgeproof/badgeproof/verify/openid4vp"
	qrcode "github.com/skip2/go-qrcode"
)

// The demo's OpenID4VP flow: an employer's page asks for badges with a QR
// code or a same-device link, and Kim Ji-won's wallet page (the SDK's
// wallet.Wallet, run by this server for the demo) shows who asks for which
// claims, asks for consent and answers; the employer's page then shows the
// verified reports.

//go:embed wallet.html
var walletPage []byte

//go:embed employer.html
var employerPage []byte

// walletDemo is the employer's relying party and the job seeker's wallet.
type walletDemo struct {
	rp      *openid4vp.RelyingParty
	wallet  *wallet.Wallet
	now     func() time.Time
	issuers openid4vp.TrustedAuthority // the demo trust list's issuers

	mu      sync.Mutex
	pending map[string]pendingRequest // consent token → request the wallet checked
}

type pendingRequest struct {
	req     *wallet.Request
	expires time.Time
}

// maxPending bounds the requests the demo wallet keeps waiting for consent.
const maxPending = 1000

// employerName is the name the demo's relying party gives itself.
const employerName = "한빛소프트 채용 · Hanbit Soft Careers"

// newWalletDemo builds the flow for a server reached at base (http only on
// loopback: a wallet refuses plain http elsewhere). The relying party signs
// its requests with a certificate made at start (client identifier
// x509_hash); the wallet holds the four genuine demo badges.
func newWalletDemo(d *demo, v *verify.Verifier, base string) (*walletDemo, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "Hanbit Soft Careers (demo)"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	id, err := openid4vp.X509HashIdentity([]*x509.Certificate{cert}, key)
	if err != nil {
		return nil, err
	}
	rp, err := openid4vp.New(v, base, openid4vp.WithClientIdentity(id), openid4vp.WithClientName(employerName))
	if err != nil {
		return nil, err
	}
	w, err := wallet.New(d.holder.signer, wallet.WithLoopback(), wallet.WithPrivateNetworks())
	if err != nil {
		return nil, err
	}
	n := min(4, len(d.badges))
	for _, b := range d.badges[:n] {
		if _, err := w.Add(b.Data); err != nil {
			return nil, fmt.Errorf("demo wallet: %s: %w", b.Name, err)
		}
	}
	return &walletDemo{rp: rp, wallet: w, now: time.Now, issuers: openid4vp.TrustedIssuers(d.trust), pending: map[string]pendingRequest{}}, nil
}

// register adds the employer's and the wallet's routes and the relying
// party's (under /oid4vp/) to mux.
func (wd *walletDemo) register(mux *http.ServeMux) {
	page := func(body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.Write(body)
		}
	}
	mux.HandleFunc("GET /employer", page(employerPage))
	mux.HandleFunc("POST /employer/requests", wd.createRequest)
	mux.HandleFunc("GET /wallet", page(walletPage))
	mux.HandleFunc("GET /wallet/badges", wd.listBadges)
	mux.HandleFunc("POST /wallet/requests", wd.readRequest)
	mux.HandleFunc("POST /wallet/responses", wd.answer)
	mux.Handle("/oid4vp/", wd.rp.Handler())
}

// employerQuery asks for a national technical qualification with its name
// and licence number, and, optionally, a work-experience record, each from
// an issuer of the trust list.
func employerQuery(issuers openid4vp.TrustedAuthority) openid4vp.Query {
	obc := openid4vp.Meta{TypeValues: [][]string{{"VerifiableCredential", "OpenBadgeCredential"}}}
	optional := false
	trusted := []openid4vp.TrustedAuthority{issuers}
	return openid4vp.Query{
		Credentials: []openid4vp.CredentialQuery{
			{ID: "qualification", Format: openid4vp.FormatLDPVC, Meta: obc, TrustedAuthorities: trusted, Claims: []openid4vp.ClaimQuery{
				{Path: []any{"credentialSubject", "achievement", "name"}},
				{Path: []any{"credentialSubject", "achievement", "achievementType"}, Values: []any{"License"}},
				{Path: []any{"credentialSubject", "licenseNumber"}},
			}},
			{ID: "career", Format: openid4vp.FormatLDPVC, Meta: obc, TrustedAuthorities: trusted, Claims: []openid4vp.ClaimQuery{
				{Path: []any{"credentialSubject", "achievement", "name"}},
				{Path: []any{"credentialSubject", "achievement", "achievementType"}, Values: []any{"ext:WorkExperience"}},
			}},
		},
		CredentialSets: []openid4vp.CredentialSetQuery{
			{Options: [][]string{{"qualification"}}},
			{Options: [][]string{{"career"}}, Required: &optional},
		},
	}
}

func (wd *walletDemo) createRequest(w http.ResponseWriter, r *http.Request) {
	req, err := wd.rp.CreateRequest(r.Context(), employerQuery(wd.issuers))
	if err != nil {
		writeDemoJSON(w, http.StatusServiceUnavailable, map[string]string{"error": err.Error()})
		return
	}
	png, err := qrcode.Encode(req.URL, qrcode.Medium, 320)
	if err != nil {
		writeDemoJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
		return
	}
	writeDemoJSON(w, http.StatusOK, map[string]any{
		"id": req.ID, "url": req.URL, "client_id": req.ClientID, "expires": req.Expires.UTC().Format(time.RFC3339),
		"qr":          "data:image/png;base64," + base64.StdEncoding.EncodeToString(png),
		"wallet_link": "/wallet?request=" + url.QueryEscape(req.URL),
		"result_url":  "/oid4vp/results/" + req.ID + "?key=" + url.QueryEscape(req.ResultKey),
	})
}

type heldBadge struct {
	Index  int    `json:"index"`
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEn string `json:"nameEn,omitempty"`
	Issuer string `json:"issuer"`
}

func (wd *walletDemo) listBadges(w http.ResponseWriter, r *http.Request) {
	var out []heldBadge
	for i, c := range wd.wallet.Credentials() {
		out = append(out, heldBadge{Index: i, ID: c.ID, Name: c.Name.In("ko"), NameEn: c.Name.In("en"), Issuer: c.Issuer.Name.In("ko")})
	}
	writeDemoJSON(w, http.StatusOK, map[string]any{"holder": wd.wallet.Holder(), "badges": out})
}

// readDemoJSON decodes a small JSON body.
func readDemoJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeDemoJSON(w, http.StatusBadRequest, map[string]string{"error": "send a small JSON object: " + err.Error()})
		return false
	}
	return true
}

type consentClaim struct {
	Path string `json:"path"`
}

type consentCandidate struct {
	Index  int            `json:"index"`
	ID     string         `json:"id"`
	Name   string         `json:"name"`
	Issuer string         `json:"issuer"`
	Claims []consentClaim `json:"claims"`
}

type consentQuery struct {
	ID         string             `json:"id"`
	Candidates []consentCandidate `json:"candidates"`
}

// readRequest has the wallet fetch and check a pasted or linked request
// and answers what the consent screen shows.
func (wd *walletDemo) readRequest(w http.ResponseWriter, r *http.Request) {
	var in struct {
		URL string `json:"url"`
	}
	if !readDemoJSON(w, r, &in) {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	req, err := wd.wallet.Fetch(ctx, in.URL)
	if err != nil && !errors.Is(err, openid4vp.ErrNoMatchingCredential) {
		writeDemoJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error(), "code": openid4vp.Code(err)})
		return
	}
	out := map[string]any{"client_id": req.ClientID, "client_name": req.ClientName, "response_mode": req.Request.ResponseMode}
	var qs []consentQuery
	for _, m := range req.Matches {
		q := consentQuery{ID: m.Query.ID}
		for i, c := range m.Candidates {
			cc := consentCandidate{Index: i, ID: c.Credential.ID, Name: c.Credential.Name.String(), Issuer: c.Credential.Issuer.Name.String()}
			for _, p := range c.Claims {
				cc.Claims = append(cc.Claims, consentClaim{Path: openid4vp.PathString(p)})
			}
			q.Candidates = append(q.Candidates, cc)
		}
		qs = append(qs, q)
	}
	out["queries"] = qs
	if err != nil {
		out["error"], out["code"] = err.Error(), openid4vp.Code(err)
		writeDemoJSON(w, http.StatusOK, out)
		return
	}
	token := randomToken()
	wd.mu.Lock()
	now := wd.now()
	for k, p := range wd.pending {
		if now.After(p.expires) {
			delete(wd.pending, k)
		}
	}
	if len(wd.pending) >= maxPending {
		wd.mu.Unlock()
		writeDemoJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "too many requests waiting for consent"})
		return
	}
	wd.pending[token] = pendingRequest{req: req, expires: now.Add(10 * time.Minute)}
	wd.mu.Unlock()
	out["token"] = token
	writeDemoJSON(w, http.StatusOK, out)
}

func randomToken() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// answer sends the consented badges, or the refusal.
func (wd *walletDemo) answer(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Token  string         `json:"token"`
		Accept bool           `json:"accept"`
		Choice map[string]int `json:"choice"`
	}
	if !readDemoJSON(w, r, &in) {
		return
	}
	wd.mu.Lock()
	p, ok := wd.pending[in.Token]
	delete(wd.pending, in.Token)
	wd.mu.Unlock()
	if !ok {
		writeDemoJSON(w, http.StatusNotFound, map[string]string{"error": "no request waits for consent under this token"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	var err error
	if !in.Accept {
		_, err = wd.wallet.Decline(ctx, p.req, "access_denied")
	} else {
		var sel wallet.Selection
		if in.Choice != nil {
			sel = wallet.Selection{}
			for q, i := range in.Choice {
				if i >= 0 {
					sel[q] = []int{i}
				}
			}
		}
		_, err = wd.wallet.Respond(ctx, p.req, sel)
	}
	if err != nil {
		writeDemoJSON(w, http.StatusBadGateway, map[string]string{"error": err.Error()})
		return
	}
	writeDemoJSON(w, http.StatusOK, map[string]any{"sent": in.Accept})
}

func writeDemoJSON(w http.ResponseWriter, code int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}
