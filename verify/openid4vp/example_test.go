package openid4vp_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net/http/httptest"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/issuer/wallet"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/badgeproof/badgeproof/verify/openid4vp"
)

// A recruitment site asks a job seeker's wallet for a national
// qualification and checks the answer: request, wallet, response, Result.
func Example() {
	ctx := context.Background()
	// An agency's badge for the job seeker, and the job seeker's wallet.
	agencyKey, _ := keys.Generate(keys.Ed25519)
	agency, _ := issuer.NewSigner(agencyKey)
	holderKey, _ := keys.Generate(keys.P256)
	holder, _ := issuer.NewSigner(holderKey)
	c, _ := badge.NationalQualification{
		Common: badge.Common{ID: "urn:uuid:q1", Issuer: badge.Profile{ID: agency.DID(), Name: badge.AgencyHRDKorea()},
			HolderID: holder.DID(), ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
		ItemCode: "1320", ItemName: "정보처리", Grade: "기사", LicenceNumber: "25201001234A",
	}.Credential()
	signed, _ := agency.SignCredential(c)
	w, _ := wallet.New(holder, wallet.WithLoopback())
	w.Add(signed)

	// The relying party: a Verifier trusting the agency, a certificate
	// that signs the requests (x509_hash), served where wallets reach it.
	v, _ := verify.New(verify.WithTrustedKey(agency.DID()))
	certKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Recruiter"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &certKey.PublicKey, certKey)
	cert, _ := x509.ParseCertificate(der)
	identity, _ := openid4vp.X509HashIdentity([]*x509.Certificate{cert}, certKey)
	srv := httptest.NewUnstartedServer(nil)
	rp, _ := openid4vp.New(v, "http://"+srv.Listener.Addr().String(), openid4vp.WithClientIdentity(identity))
	srv.Config.Handler = rp.Handler()
	srv.Start()
	defer srv.Close()

	req, _ := rp.CreateRequest(ctx, openid4vp.Query{Credentials: []openid4vp.CredentialQuery{{
		ID: "qualification", Format: openid4vp.FormatLDPVC,
		Meta:   openid4vp.Meta{TypeValues: [][]string{{"OpenBadgeCredential"}}},
		Claims: []openid4vp.ClaimQuery{{Path: []any{"credentialSubject", "licenseNumber"}}},
	}}})
	// req.URL goes into a QR code; the wallet reads it and answers.
	wr, err := w.Fetch(ctx, req.URL)
	if err != nil {
		panic(err)
	}
	if _, err := w.Respond(ctx, wr, nil); err != nil {
		panic(err)
	}
	res, _ := rp.Result(ctx, req.ID, req.ResultKey)
	fmt.Println(res.Status, res.Presented[0].QueryID, res.Presented[0].Report.Credentials[0].Credential.ID)
	// Output: verified qualification urn:uuid:q1
}
