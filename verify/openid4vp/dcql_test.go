package openid4vp_test

import (
	"encoding/json"
	"testing"

	"github.com/badgeproof/badgeproof/verify/openid4vp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const credJSON = `{"type":["VerifiableCredential","OpenBadgeCredential"],"credentialSubject":{"id":"did:x",
 "achievement":{"name":"정보처리 기사","achievementType":"License"},"results":[{"value":"A"},{"value":"B"}],"licenseNumber":null}}`

func TestDCQLMatch(t *testing.T) {
	cred := openid4vp.Credential{Format: "ldp_vc", Types: []string{"VerifiableCredential", "OpenBadgeCredential"}, Claims: json.RawMessage(credJSON)}
	for _, tc := range []struct {
		name, query string
		wantErr     error
		wantClaims  int
	}{
		{"short type names", `{"id":"q","format":"ldp_vc","meta":{"type_values":[["OpenBadgeCredential"]]},"claims":[{"path":["credentialSubject","achievement","name"]}]}`, nil, 1},
		{"IRIs", `{"id":"q","format":"ldp_vc","meta":{"type_values":[["https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"]]}}`, nil, 0},
		{"other type", `{"id":"q","format":"ldp_vc","meta":{"type_values":[["ClrCredential"]]}}`, openid4vp.ErrUnrequestedCredential, 0},
		{"other format", `{"id":"q","format":"jwt_vc_json","meta":{"type_values":[["OpenBadgeCredential"]]}}`, openid4vp.ErrUnrequestedCredential, 0},
		{"null selects all elements", `{"id":"q","format":"ldp_vc","meta":{"type_values":[["VerifiableCredential"]]},"claims":[{"path":["credentialSubject","results",null,"value"],"values":["B"]}]}`, nil, 1},
		{"index", `{"id":"q","format":"ldp_vc","meta":{"type_values":[["VerifiableCredential"]]},"claims":[{"path":["credentialSubject","results",1,"value"],"values":["A"]}]}`, openid4vp.ErrMissingClaim, 0},
		{"null value is absent", `{"id":"q","format":"ldp_vc","meta":{"type_values":[["VerifiableCredential"]]},"claims":[{"path":["credentialSubject","licenseNumber"]}]}`, openid4vp.ErrMissingClaim, 0},
		{"value", `{"id":"q","format":"ldp_vc","meta":{"type_values":[["VerifiableCredential"]]},"claims":[{"path":["credentialSubject","achievement","achievementType"],"values":["Degree","License"]}]}`, nil, 1},
		{"claim sets: second option", `{"id":"q","format":"ldp_vc","meta":{"type_values":[["VerifiableCredential"]]},"claims":[{"id":"a","path":["x"]},{"id":"b","path":["credentialSubject","id"]}],"claim_sets":[["a"],["b"]]}`, nil, 1},
		{"claim sets: none", `{"id":"q","format":"ldp_vc","meta":{"type_values":[["VerifiableCredential"]]},"claims":[{"id":"a","path":["x"]},{"id":"b","path":["y"]}],"claim_sets":[["a"],["b"]]}`, openid4vp.ErrMissingClaim, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := openid4vp.ParseQuery([]byte(`{"credentials":[` + tc.query + `]}`))
			require.NoError(t, err)
			claims, err := q.Credentials[0].Match(cred)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Len(t, claims, tc.wantClaims)
		})
	}
}

func TestDCQLValidate(t *testing.T) {
	for name, q := range map[string]string{
		"no credentials":         `{"credentials":[]}`,
		"duplicate id":           `{"credentials":[{"id":"a","format":"ldp_vc","meta":{"type_values":[["X"]]}},{"id":"a","format":"ldp_vc","meta":{"type_values":[["X"]]}}]}`,
		"bad id":                 `{"credentials":[{"id":"a b","format":"ldp_vc","meta":{"type_values":[["X"]]}}]}`,
		"ldp_vc without types":   `{"credentials":[{"id":"a","format":"ldp_vc","meta":{}}]}`,
		"sd-jwt without vct":     `{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{}}]}`,
		"empty path":             `{"credentials":[{"id":"a","format":"ldp_vc","meta":{"type_values":[["X"]]},"claims":[{"path":[]}]}]}`,
		"negative index":         `{"credentials":[{"id":"a","format":"ldp_vc","meta":{"type_values":[["X"]]},"claims":[{"path":["a",-1]}]}]}`,
		"object in path":         `{"credentials":[{"id":"a","format":"ldp_vc","meta":{"type_values":[["X"]]},"claims":[{"path":[{}]}]}]}`,
		"claim set unknown id":   `{"credentials":[{"id":"a","format":"ldp_vc","meta":{"type_values":[["X"]]},"claims":[{"id":"c","path":["a"]}],"claim_sets":[["d"]]}]}`,
		"claim sets without ids": `{"credentials":[{"id":"a","format":"ldp_vc","meta":{"type_values":[["X"]]},"claims":[{"path":["a"]}],"claim_sets":[["d"]]}]}`,
		"set unknown query":      `{"credentials":[{"id":"a","format":"ldp_vc","meta":{"type_values":[["X"]]}}],"credential_sets":[{"options":[["b"]]}]}`,
		"unknown member":         `{"credentials":[{"id":"a","format":"ldp_vc","meta":{"type_values":[["X"]]}}],"extra":1}`,
		"object value":           `{"credentials":[{"id":"a","format":"ldp_vc","meta":{"type_values":[["X"]]},"claims":[{"path":["a"],"values":[{}]}]}]}`,
	} {
		_, err := openid4vp.ParseQuery([]byte(q))
		assert.Error(t, err, name)
	}
	q := qualificationQuery()
	require.NoError(t, q.Validate())
	assert.Equal(t, "credentialSubject.achievement.name", openid4vp.PathString(q.Credentials[0].Claims[0].Path))
	assert.Equal(t, "", q.Missing(map[string]bool{"qualification": true}))
	assert.NotEqual(t, "", q.Missing(map[string]bool{}))
}
