package openid4vp_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/badgeproof/badgeproof/verify"
	"github.com/badgeproof/badgeproof/verify/openid4vp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sdJWTStub stands in for the dc+sd-jwt handler the JOSE family registers:
// it sees the presentation as the wallet sent it (a JSON string) and the
// binding, and returns a report and the disclosed claims.
type sdJWTStub struct{ seen []seenPresentation }

type seenPresentation struct {
	Raw     json.RawMessage
	Binding openid4vp.PresentationBinding
}

func (s *sdJWTStub) Format() string { return openid4vp.FormatSDJWTVC }

func (s *sdJWTStub) Verify(ctx context.Context, p json.RawMessage, b openid4vp.PresentationBinding) (*verify.Report, []openid4vp.Credential, error) {
	s.seen = append(s.seen, seenPresentation{p, b})
	rep := verify.NewReport(verify.Check{ID: verify.CheckSignature, Status: verify.StatusPassed, Message: "stub"})
	return rep, []openid4vp.Credential{{Format: openid4vp.FormatSDJWTVC, Types: []string{"urn:kr:q-net:qualification"},
		Claims: json.RawMessage(`{"licence_number":"25201001234A"}`)}}, nil
}

// TestFormatHandler: a handler registered for dc+sd-jwt is asked with the
// nonce and client identifier, and its claims are matched by DCQL.
func TestFormatHandler(t *testing.T) {
	f := newFixture(t)
	stub := &sdJWTStub{}
	rp, _ := newRP(t, f, openid4vp.WithResponseMode(openid4vp.ResponseModeDirectPost), openid4vp.WithFormatHandler(stub))
	q := openid4vp.Query{Credentials: []openid4vp.CredentialQuery{{ID: "q", Format: openid4vp.FormatSDJWTVC,
		Meta:   openid4vp.Meta{VCTValues: []string{"urn:kr:q-net:qualification"}},
		Claims: []openid4vp.ClaimQuery{{Path: []any{"licence_number"}}}}}}
	req, err := rp.CreateRequest(ctx, q)
	require.NoError(t, err)
	token := `{"q":["eyJhbGciOiJFUzI1NiJ9.e30.sig~WyJzYWx0IiwibGljZW5jZV9udW1iZXIiLCIyNTIwMTAwMTIzNEEiXQ~kb"]}`
	res := rp.ProcessResponse(ctx, req.ID, url.Values{"vp_token": {token}, "state": {req.State}})
	require.True(t, res.Verified, "%s: %s", res.Code, res.Message)
	require.Len(t, stub.seen, 1)
	assert.Equal(t, req.Nonce, stub.seen[0].Binding.Nonce)
	assert.Equal(t, req.ClientID, stub.seen[0].Binding.Audience)
	assert.Equal(t, byte('"'), stub.seen[0].Raw[0], "the presentation as sent: a JSON string")

	q.Credentials[0].Claims[0].Path = []any{"given_name"}
	req, err = rp.CreateRequest(ctx, q)
	require.NoError(t, err)
	res = rp.ProcessResponse(ctx, req.ID, url.Values{"vp_token": {token}, "state": {req.State}})
	assert.Equal(t, "missing_claim", res.Code)
}
