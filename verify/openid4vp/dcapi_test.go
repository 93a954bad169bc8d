package openid4vp_test

import (
	"encoding/json"
	"testing"

	"github.com/badgeproof/badgeproof/issuer/wallet"
	"github.com/badgeproof/badgeproof/verify/openid4vp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDigitalCredentialsAPI: the request form a page passes to
// navigator.credentials.get, read by the SDK wallet with the origin the
// browser reports, answered dc_api.jwt and verified; signed (x509_hash,
// bound to the client identifier, expected origins checked) and unsigned
// (bound to origin:<origin>).
func TestDigitalCredentialsAPI(t *testing.T) {
	const origin = "https://jobs.example.kr"
	t.Run("signed", func(t *testing.T) {
		f := newFixture(t)
		rp, _ := newRP(t, f, openid4vp.WithClientIdentity(x509HashIdentity(t)))
		req, form, err := rp.CreateDCAPIRequest(ctx, qualificationQuery(), origin)
		require.NoError(t, err)
		var entry openid4vp.DCAPIRequest
		require.NoError(t, json.Unmarshal(form, &entry))
		assert.Equal(t, openid4vp.DCAPIProtocolSigned, entry.Protocol)

		_, err = f.wallet.ReadDCAPI(entry, "https://phish.example")
		require.ErrorIs(t, err, openid4vp.ErrClientIDMismatch, "a page of another origin")

		wr, err := f.wallet.ReadDCAPI(entry, origin)
		require.NoError(t, err)
		assert.Equal(t, req.ClientID, wr.ClientID)
		data, err := f.wallet.DCAPIResponse(wr, nil)
		require.NoError(t, err)
		assert.Contains(t, string(data), `"response":`)
		res := rp.ProcessDCAPIResponse(ctx, req.ID, data)
		require.True(t, res.Verified, "%s: %s", res.Code, res.Message)
		assert.Equal(t, "replayed_response", rp.ProcessDCAPIResponse(ctx, req.ID, data).Code)
	})
	t.Run("unsigned", func(t *testing.T) {
		f := newFixture(t, wallet.WithRedirectURIClientsUnsafe())
		rp, _ := newRP(t, f)
		req, form, err := rp.CreateDCAPIRequest(ctx, qualificationQuery(), origin)
		require.NoError(t, err)
		assert.Equal(t, "origin:"+origin, req.ClientID)
		var entry openid4vp.DCAPIRequest
		require.NoError(t, json.Unmarshal(form, &entry))
		assert.Equal(t, openid4vp.DCAPIProtocolUnsigned, entry.Protocol)
		assert.NotContains(t, string(entry.Data), "client_id")

		// Read from another origin, the presentation is bound to it and refused.
		wr, err := f.wallet.ReadDCAPI(entry, "https://phish.example")
		require.NoError(t, err)
		data, err := f.wallet.DCAPIResponse(wr, nil)
		require.NoError(t, err)
		assert.Equal(t, "audience_mismatch", rp.ProcessDCAPIResponse(ctx, req.ID, data).Code)

		req, form, err = rp.CreateDCAPIRequest(ctx, qualificationQuery(), origin)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(form, &entry))
		wr, err = f.wallet.ReadDCAPI(entry, origin)
		require.NoError(t, err)
		data, err = f.wallet.DCAPIResponse(wr, nil)
		require.NoError(t, err)
		res := rp.ProcessDCAPIResponse(ctx, req.ID, data)
		require.True(t, res.Verified, "%s: %s", res.Code, res.Message)

		_, _, err = rp.CreateDCAPIRequest(ctx, qualificationQuery(), origin, "https://other.example")
		require.Error(t, err, "unsigned requests name one origin")
		_, _, err = rp.CreateDCAPIRequest(ctx, qualificationQuery(), "http://jobs.example.kr")
		require.Error(t, err, "plain http origin")
	})
}
