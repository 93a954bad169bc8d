package verify

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

// An Open Badges issuer whose id is an https URL and whose key is named
// https://.../issuers/565049#key-1: the verifier fetches the issuer's
// controller document (under the did:web fetch rules, once, cached) and
// the badge verifies; offline the signature is indeterminate; a key the
// document does not list under assertionMethod fails.
func TestHTTPSVerificationMethod(t *testing.T) {
	var hits atomic.Int64
	var doc atomic.Pointer[[]byte]
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != "/issuers/565049" || doc.Load() == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(*doc.Load())
	}))
	t.Cleanup(srv.Close)
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.TLSClientConfig = tr.TLSClientConfig.Clone()
	tr.TLSClientConfig.ServerName = "example.com"
	tr.TLSClientConfig.MinVersion = tls.VersionTLS12
	client := &http.Client{Transport: tr}
	issuerID := "https://localhost:" + srv.URL[strings.LastIndex(srv.URL, ":")+1:] + "/issuers/565049"

	key, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	publish := func(assert bool) {
		am := []string{}
		if assert {
			am = append(am, issuerID+"#key-1")
		}
		b, err := json.Marshal(map[string]any{
			"@context": []string{"https://www.w3.org/ns/cid/v1"},
			"id":       issuerID,
			"verificationMethod": []map[string]any{{"id": issuerID + "#key-1", "type": "Multikey", "controller": issuerID,
				"publicKeyMultibase": key.PublicKey().Multibase()}},
			"assertionMethod": am,
		})
		require.NoError(t, err)
		doc.Store(&b)
	}
	publish(true)
	s, err := issuer.NewSigner(key, issuer.WithVerificationMethod(issuerID+"#key-1"), issuer.WithClock(clock))
	require.NoError(t, err)
	c, err := badge.NationalQualification{
		Common: badge.Common{ID: "urn:uuid:https-vm", Issuer: badge.Profile{ID: issuerID, Name: badge.AgencyHRDKorea()}, HolderID: "did:key:z6Mkh",
			ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
		ItemCode: "1320", ItemName: "정보처리", Grade: "기사", LicenceNumber: "1", PassDate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
	}.Credential()
	require.NoError(t, err)
	signed, err := s.SignCredential(c)
	require.NoError(t, err)

	v := newVerifier(t, WithHTTPClient(client), WithAllowLoopback(), WithoutIssuerTrustUnsafe())
	for range 3 {
		r := v.Verify(context.Background(), signed, Binding{})
		require.Equal(t, StatusVerified, r.Status, "%s", reportText(r))
		require.Equal(t, RoleIssuer, r.Signers[0].Role)
		require.Equal(t, issuerID, r.Signers[0].Controller)
	}
	require.EqualValues(t, 1, hits.Load(), "the controller document is fetched once and cached")

	// Offline: indeterminate, never failed.
	off := newVerifier(t, WithOffline(), WithoutIssuerTrustUnsafe())
	r := off.Verify(context.Background(), signed, Binding{})
	c0 := requireCheck(t, r, CheckSignature, StatusIndeterminate)
	require.Equal(t, "key_unavailable", c0.Code)

	// Not listed under assertionMethod: unknown_key, failed.
	publish(false)
	r = newVerifier(t, WithHTTPClient(client), WithAllowLoopback(), WithoutIssuerTrustUnsafe()).Verify(context.Background(), signed, Binding{})
	require.Equal(t, "unknown_key", requireCheck(t, r, CheckSignature, StatusFailed).Code)

	// A server that is down: indeterminate.
	srv.Close()
	r = newVerifier(t, WithHTTPClient(client), WithAllowLoopback(), WithoutIssuerTrustUnsafe()).Verify(context.Background(), signed, Binding{})
	require.Equal(t, "key_unavailable", requireCheck(t, r, CheckSignature, StatusIndeterminate).Code, "%s", reportText(r))

	// Without the loopback permission the address is refused: failed.
	r = newVerifier(t, WithHTTPClient(client), WithoutIssuerTrustUnsafe()).Verify(context.Background(), signed, Binding{})
	require.Equal(t, "fetch_refused", requireCheck(t, r, CheckSignature, StatusFailed).Code, "%s", reportText(r))
}
