package rdfc

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const shapeDoc = `{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
"id":"urn:uuid:1","type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"did:example:a","type":["Profile"],"name":"HRD Korea"},
"validFrom":"2026-03-02T00:00:00Z","name":"정보처리기사",
"credentialSubject":{"id":"did:example:h1","type":["AchievementSubject"],"achievement":{"id":"https://q-net.example.kr/a/1320","type":["Achievement"],
"achievementType":"License","name":"정보처리기사","description":"d","criteria":{"narrative":"n"}}}}`

// Documents that differ only in values the terms do not depend on share a
// shape; a different name, type, enumeration value, keyword value or
// context is a different shape.
func TestTermShape(t *testing.T) {
	base, ok := TermShape([]byte(shapeDoc))
	require.True(t, ok)
	same := strings.NewReplacer(`"urn:uuid:1"`, `"urn:uuid:2"`, `"did:example:h1"`, `"did:example:h2"`, `"name":"HRD Korea"`, `"name":"KEIS"`,
		`"2026-03-02T00:00:00Z"`, `"2027-01-01T00:00:00Z"`).Replace(shapeDoc)
	s, ok := TermShape([]byte(same))
	require.True(t, ok)
	require.Equal(t, base, s)
	for name, changed := range map[string]string{
		"type":          strings.Replace(shapeDoc, `"OpenBadgeCredential"`, `"OtherCredential"`, 1),
		"enumeration":   strings.Replace(shapeDoc, `"License"`, `"Diploma"`, 1),
		"property name": strings.Replace(shapeDoc, `"narrative":"n"`, `"narrativeX":"n"`, 1),
		"context":       strings.Replace(shapeDoc, `context-3.0.3.json"]`, `context-3.0.3.json",{"@vocab":null}]`, 1),
		"keyword value": strings.Replace(shapeDoc, `"description":"d"`, `"description":{"@value":"d","@direction":"sideways"}`, 1),
		"value kind":    strings.Replace(shapeDoc, `"description":"d"`, `"description":7`, 1),
	} {
		s, ok := TermShape([]byte(changed))
		require.True(t, ok, name)
		require.NotEqual(t, base, s, name)
	}
	_, ok = TermShape([]byte(`{"a":`))
	require.False(t, ok)
}

// A cached shape is not expanded again, and a document of a new shape is
// checked in full and refused when its terms are wrong.
func TestTermCache(t *testing.T) {
	c, err := NewTermCache(Options{}, 8)
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, c.CheckCredentialTerms(ctx, []byte(shapeDoc)))
	require.Equal(t, 1, c.shapes.Len())
	require.NoError(t, c.CheckCredentialTerms(ctx, []byte(strings.Replace(shapeDoc, `"urn:uuid:1"`, `"urn:uuid:9"`, 1))))
	require.Equal(t, 1, c.shapes.Len(), "the same shape is not added again")
	bad := strings.Replace(shapeDoc, `context-3.0.3.json"]`, `context-3.0.3.json",{"@vocab":null}]`, 1)
	bad = strings.Replace(bad, `"OpenBadgeCredential"`, `"NoSuchCredential"`, 1)
	require.Error(t, c.CheckCredentialTerms(ctx, []byte(bad)))
	require.Equal(t, 1, c.shapes.Len(), "a failed shape is not remembered")
	unknown := strings.Replace(shapeDoc, `https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json`, `https://example.org/unheld-context`, 1)
	require.Error(t, c.CheckCredentialTerms(ctx, []byte(unknown)))
}
