package openid4vp_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/issuer/wallet"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/badgeproof/badgeproof/verify/openid4vp"
	"github.com/stretchr/testify/require"
)

// fixture: an issuing agency, a job seeker with a wallet holding two badges
// of theirs and one of someone else, and a verifier trusting the agency.
type fixture struct {
	agency *issuer.Signer
	holder *issuer.Signer
	wallet *wallet.Wallet
	v      *verify.Verifier
	badges map[string][]byte
}

func newFixture(t testing.TB, walletOpts ...wallet.Option) *fixture {
	t.Helper()
	f := &fixture{badges: map[string][]byte{}}
	f.agency = signer(t, keys.Ed25519)
	f.holder = signer(t, keys.P256)
	q, err := badge.NationalQualification{
		Common: badge.Common{ID: "urn:uuid:q1", Issuer: badge.Profile{ID: f.agency.DID(), Name: badge.AgencyHRDKorea()}, HolderID: f.holder.DID(),
			ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
		ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing", Grade: "기사", GradeEn: "Engineer",
		LicenceNumber: "25201001234A", PassDate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
	}.Credential()
	require.NoError(t, err)
	w, err := badge.WorkExperience{
		Common: badge.Common{ID: "urn:uuid:w1", Issuer: badge.Profile{ID: f.agency.DID(), Name: badge.AgencyKEIS()}, HolderID: f.holder.DID(),
			ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
		Employer: "한빛소프트웨어", EmployerEn: "Hanbit Software", Role: "백엔드 개발자", RoleEn: "Backend Developer",
		Start: time.Date(2023, 1, 2, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC),
	}.Credential()
	require.NoError(t, err)
	for name, c := range map[string]*badge.Credential{"qualification": q, "work": w} {
		b, err := f.agency.SignCredential(c)
		require.NoError(t, err)
		f.badges[name] = b
	}
	f.wallet, err = wallet.New(f.holder, append([]wallet.Option{wallet.WithLoopback()}, walletOpts...)...)
	require.NoError(t, err)
	for _, name := range []string{"qualification", "work"} {
		_, err := f.wallet.Add(f.badges[name])
		require.NoError(t, err)
	}
	f.v, err = verify.New(verify.WithTrustedKey(f.agency.DID()))
	require.NoError(t, err)
	return f
}

func signer(t testing.TB, typ keys.Type) *issuer.Signer {
	k, err := keys.Generate(typ)
	require.NoError(t, err)
	s, err := issuer.NewSigner(k)
	require.NoError(t, err)
	return s
}

// qualificationQuery asks for a national qualification with its name and
// licence number.
func qualificationQuery() openid4vp.Query {
	return openid4vp.Query{Credentials: []openid4vp.CredentialQuery{{
		ID: "qualification", Format: openid4vp.FormatLDPVC,
		Meta: openid4vp.Meta{TypeValues: [][]string{{"https://www.w3.org/2018/credentials#VerifiableCredential", "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"}}},
		Claims: []openid4vp.ClaimQuery{
			{Path: []any{"credentialSubject", "achievement", "name"}},
			{Path: []any{"credentialSubject", "licenseNumber"}},
		},
	}}}
}

// certificate makes a self-signed P-256 certificate for dnsNames.
func certificate(t testing.TB, dnsNames ...string) (*x509.Certificate, *ecdsa.PrivateKey) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Recruiter"}, DNSNames: dnsNames,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return c, k
}

// serve runs a relying party built by mk on a loopback server.
func serve(t testing.TB, mk func(base string) *openid4vp.RelyingParty) (*openid4vp.RelyingParty, *httptest.Server) {
	srv := httptest.NewUnstartedServer(nil)
	rp := mk("http://" + srv.Listener.Addr().String())
	srv.Config.Handler = rp.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return rp, srv
}

func newRP(t testing.TB, f *fixture, opts ...openid4vp.Option) (*openid4vp.RelyingParty, *httptest.Server) {
	return serve(t, func(base string) *openid4vp.RelyingParty {
		rp, err := openid4vp.New(f.v, base, opts...)
		require.NoError(t, err)
		return rp
	})
}

func x509HashIdentity(t testing.TB) openid4vp.ClientIdentity {
	cert, key := certificate(t)
	id, err := openid4vp.X509HashIdentity([]*x509.Certificate{cert}, key)
	require.NoError(t, err)
	return id
}

var ctx = context.Background()
