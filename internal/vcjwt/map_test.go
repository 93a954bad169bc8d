package vcjwt

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/internal/jws"
)

func members(t *testing.T, doc string) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(doc), &m))
	return m
}

// Map fills what the vc object lacks from the registered claims, and
// refuses claims that contradict it.
func TestMap(t *testing.T) {
	nbf, exp := int64(1767225600), int64(1798761600) // 2026-01-01, 2027-01-01
	vc := members(t, `{"@context":["https://www.w3.org/2018/credentials/v1"],"issuer":{"name":"HRD"},"credentialSubject":{"name":"Kim"}}`)
	require.NoError(t, Map(vc, Claims{Iss: "did:example:i", Sub: "did:example:s", Jti: "urn:uuid:1", Nbf: &nbf, Exp: &exp}))
	require.JSONEq(t, `"urn:uuid:1"`, string(vc["id"]))
	require.JSONEq(t, `{"id":"did:example:i","name":"HRD"}`, string(vc["issuer"]))
	require.JSONEq(t, `{"id":"did:example:s","name":"Kim"}`, string(vc["credentialSubject"]))
	require.JSONEq(t, `"2026-01-01T00:00:00Z"`, string(vc["issuanceDate"]))
	require.JSONEq(t, `"2027-01-01T00:00:00Z"`, string(vc["expirationDate"]))

	v2 := members(t, `{"@context":["https://www.w3.org/ns/credentials/v2"],"issuer":"did:example:i"}`)
	require.NoError(t, Map(v2, Claims{Iss: "did:example:i", Nbf: &nbf}))
	require.Contains(t, v2, "validFrom")
	require.NotContains(t, v2, "issuanceDate")

	for name, c := range map[string]struct {
		doc    string
		claims Claims
	}{
		"jti":            {`{"id":"urn:uuid:2"}`, Claims{Jti: "urn:uuid:1"}},
		"iss string":     {`{"issuer":"did:example:other"}`, Claims{Iss: "did:example:i"}},
		"iss profile":    {`{"issuer":{"id":"did:example:other"}}`, Claims{Iss: "did:example:i"}},
		"issuer not one": {`{"issuer":7}`, Claims{Iss: "did:example:i"}},
		"sub":            {`{"credentialSubject":{"id":"did:example:other"}}`, Claims{Sub: "did:example:s"}},
	} {
		err := Map(members(t, c.doc), c.claims)
		require.ErrorIs(t, err, jws.ErrMalformed, name)
	}
}
