package issuer_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/multiformats/go-multibase"
	"github.com/stretchr/testify/require"
)

func fixedClock() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }

func qualification(t *testing.T, issuerID string) *badge.Credential {
	t.Helper()
	c, err := badge.NationalQualification{
		Common: badge.Common{ID: "urn:uuid:rdfc-1", Issuer: badge.Profile{ID: issuerID, Name: badge.AgencyHRDKorea()}, HolderID: "did:key:z6Mkholder",
			ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
		ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing", Grade: "기사", GradeEn: "Engineer",
		LicenceNumber: "25201001234A", PassDate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
	}.Credential()
	require.NoError(t, err)
	return c
}

// A signer signs with the RDFC suite asked for; the verifier checks the
// proof as that suite; a changed copy fails.
func TestSignWithRDFCSuites(t *testing.T) {
	for _, tc := range []struct {
		suite string
		typ   keys.Type
	}{{issuer.EdDSARDFC2022, keys.Ed25519}, {issuer.ECDSARDFC2019, keys.P256}, {issuer.ECDSARDFC2019, keys.P384}, {issuer.EdDSAJCS2022, keys.Ed25519}, {issuer.ECDSAJCS2019, keys.P384}} {
		t.Run(tc.suite+"/"+string(tc.typ), func(t *testing.T) {
			k, err := keys.Generate(tc.typ)
			require.NoError(t, err)
			s, err := issuer.NewSigner(k, issuer.WithCryptosuite(tc.suite), issuer.WithClock(fixedClock))
			require.NoError(t, err)
			require.Equal(t, tc.suite, s.Cryptosuite())
			signed, err := s.SignCredential(qualification(t, s.DID()))
			require.NoError(t, err)
			require.Contains(t, string(signed), `"cryptosuite": "`+tc.suite+`"`)
			v, err := verify.New(verify.WithTrustedKey(s.DID()), verify.WithOffline(), verify.WithClock(fixedClock))
			require.NoError(t, err)
			r := v.Verify(context.Background(), signed, verify.Binding{})
			require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
			changed := strings.Replace(string(signed), "25201001234A", "25201001234B", 1)
			r = v.Verify(context.Background(), []byte(changed), verify.Binding{})
			require.Equal(t, "bad_signature", r.Check(verify.CheckSignature).Code)
		})
	}
}

// A VC 1.1 credential gets the Data Integrity context before it is signed
// (its own context does not define DataIntegrityProof), with every suite;
// the verifier accepts it. One that carries a proof already keeps its
// context, so that proof still verifies.
func TestSignVC11InjectsDataIntegrityContext(t *testing.T) {
	v11 := `{"@context":["https://www.w3.org/2018/credentials/v1"],"id":"urn:uuid:86294362-4254-4f36-854f-3952fe42555d","type":["VerifiableCredential"],"issuer":"%s","issuanceDate":"2020-03-16T22:37:26.544Z","credentialSubject":{"id":"did:example:subject"}}`
	for _, tc := range []struct {
		suite string
		typ   keys.Type
	}{{issuer.EdDSARDFC2022, keys.Ed25519}, {issuer.ECDSARDFC2019, keys.P256}, {issuer.EdDSAJCS2022, keys.Ed25519}, {issuer.ECDSAJCS2019, keys.P384}} {
		t.Run(tc.suite+"/"+string(tc.typ), func(t *testing.T) {
			k, err := keys.Generate(tc.typ)
			require.NoError(t, err)
			s, err := issuer.NewSigner(k, issuer.WithCryptosuite(tc.suite), issuer.WithClock(fixedClock))
			require.NoError(t, err)
			c, err := badge.ParseCredential([]byte(fmt.Sprintf(v11, s.DID())), badge.Limits{})
			require.NoError(t, err)
			signed, err := s.SignCredential(c)
			require.NoError(t, err)
			var doc struct {
				Context []string `json:"@context"`
			}
			require.NoError(t, json.Unmarshal(signed, &doc))
			require.Equal(t, []string{badge.ContextV1, issuer.DataIntegrityContext}, doc.Context)
			v, err := verify.New(verify.WithTrustedKey(s.DID()), verify.WithOffline(), verify.WithClock(fixedClock))
			require.NoError(t, err)
			r := v.Verify(context.Background(), signed, verify.Binding{})
			require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)

			// A second signer adds its proof without touching the context.
			k2, err := keys.Generate(tc.typ)
			require.NoError(t, err)
			s2, err := issuer.NewSigner(k2, issuer.WithCryptosuite(tc.suite), issuer.WithClock(fixedClock))
			require.NoError(t, err)
			c2, err := badge.ParseCredential(signed, badge.Limits{})
			require.NoError(t, err)
			twice, err := s2.SignCredential(c2)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(twice, &doc))
			require.Equal(t, []string{badge.ContextV1, issuer.DataIntegrityContext}, doc.Context)
			r = v.Verify(context.Background(), twice, verify.Binding{})
			require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)

			// JSON-LD processing would drop an undefined term and leave an
			// undefined type a relative IRI, so the RDFC suites refuse
			// both; the JCS suites sign the bytes, all of them.
			rdfcSuite := tc.suite == issuer.EdDSARDFC2022 || tc.suite == issuer.ECDSARDFC2019
			for _, bad := range []string{
				strings.Replace(fmt.Sprintf(v11, s.DID()), `"type":["VerifiableCredential"]`, `"type":["VerifiableCredential","InvalidType"]`, 1),
				strings.Replace(fmt.Sprintf(v11, s.DID()), `"id":"did:example:subject"`, `"id":"did:example:subject","invalidTerm":"x"`, 1),
			} {
				c, err := badge.ParseCredential([]byte(bad), badge.Limits{})
				require.NoError(t, err)
				_, err = s.SignCredential(c)
				if rdfcSuite {
					require.ErrorIs(t, err, issuer.ErrDataModel, bad)
				} else {
					require.NoError(t, err, bad)
				}
			}
		})
	}
}

// A suite the key cannot sign, or an unknown suite, fails NewSigner.
func TestCryptosuiteKeyMismatch(t *testing.T) {
	p256, _ := keys.Generate(keys.P256)
	ed, _ := keys.Generate(keys.Ed25519)
	k1, _ := keys.Generate(keys.Secp256k1)
	for _, tc := range []struct {
		key   *keys.PrivateKey
		suite string
	}{{p256, issuer.EdDSARDFC2022}, {ed, issuer.ECDSARDFC2019}, {k1, issuer.ECDSARDFC2019}, {ed, "bbs-2023"}, {ed, ""}} {
		_, err := issuer.NewSigner(tc.key, issuer.WithCryptosuite(tc.suite))
		require.Error(t, err, "%s with %s", tc.suite, tc.key.Type())
	}
}

// The signer refuses credentials and presentations that break the data
// model, naming the violation.
func TestSignerRefusesDataModelViolations(t *testing.T) {
	k, _ := keys.Generate(keys.Ed25519)
	s, err := issuer.NewSigner(k)
	require.NoError(t, err)
	sub := `"credentialSubject":{"id":"did:example:subject"}`
	for name, doc := range map[string]string{
		"id null":                `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"id":null,"issuer":"did:example:i",` + sub + `}`,
		"issuer not a URL":       `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"fake-issuer",` + sub + `}`,
		"empty subject":          `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{}}`,
		"bad name":               `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:i","name":{"@value":"x","url":"y"},` + sub + `}`,
		"redefined VC":           `{"@context":["https://www.w3.org/ns/credentials/v2",{"VerifiableCredential":"https://example.org/#Bad"}],"type":["VerifiableCredential"],"issuer":"did:example:i",` + sub + `}`,
		"redefined protected":    `{"@context":["https://www.w3.org/ns/credentials/v2",{"@protected":true,"X":"https://example.org/#X"},{"X":"https://example.org/#Y"}],"type":["VerifiableCredential","X"],"issuer":"did:example:i",` + sub + `}`,
		"unmapped type":          `{"@context":["https://www.w3.org/ns/credentials/v2",{"@vocab":null}],"type":["VerifiableCredential","ExampleTestCredential"],"issuer":"did:example:i",` + sub + `}`,
		"type mapped to non-URL": `{"@context":["https://www.w3.org/ns/credentials/v2",{"E":"https ://not-a-url#E"}],"type":["VerifiableCredential","E"],"issuer":"did:example:i",` + sub + `}`,
		"relatedResource":        `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:i","relatedResource":[{"id":"https://www.w3.org/ns/credentials/v2"}],` + sub + `}`,
		"unknown context":        `{"@context":["https://www.w3.org/ns/credentials/v2","https://unknown.example/ctx"],"type":["VerifiableCredential"],"issuer":"did:example:i",` + sub + `}`,
	} {
		// Parse leniently: the model parser does not judge everything.
		c, err := badge.ParseCredential([]byte(doc), badge.Limits{})
		if err != nil {
			continue // refused even earlier, by the parser
		}
		_, err = s.SignCredential(c)
		require.ErrorIs(t, err, issuer.ErrDataModel, name)
	}
	// A valid credential with a type the VC 2.0 vocabulary covers signs.
	ok := `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential","ExampleCredential"],"issuer":"did:example:i",` + sub + `}`
	c, err := badge.ParseCredential([]byte(ok), badge.Limits{})
	require.NoError(t, err)
	_, err = s.SignCredential(c)
	require.NoError(t, err)
	var dm *badge.DataModelError
	c, _ = badge.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"fake-issuer",`+sub+`}`), badge.Limits{})
	if c != nil {
		_, err = s.SignCredential(c)
		require.True(t, errors.As(err, &dm))
		require.Equal(t, "/issuer", dm.Violations[0].Pointer)
	}
}

// The signer checks relatedResource digests against the content it is
// given, and the syntax of every digest.
func TestSignerChecksRelatedResources(t *testing.T) {
	k, _ := keys.Generate(keys.Ed25519)
	ctxDoc := []byte(`{"@context":{"ex":"https://example.org/#"}}`)
	sum := sha256.Sum256(ctxDoc)
	good, err := multibase.Encode(multibase.Base58BTC, append([]byte{0x12, 0x20}, sum[:]...))
	require.NoError(t, err)
	s, err := issuer.NewSigner(k, issuer.WithRelatedResources(map[string][]byte{"https://example.org/ctx.json": ctxDoc}))
	require.NoError(t, err)
	doc := func(digest string) *badge.Credential {
		c, err := badge.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{"id":"did:example:subject"},"relatedResource":{"id":"https://example.org/ctx.json","digestMultibase":"`+digest+`"}}`), badge.Limits{})
		require.NoError(t, err)
		return c
	}
	_, err = s.SignCredential(doc(good))
	require.NoError(t, err)
	_, err = s.SignCredential(doc("uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0"))
	require.ErrorIs(t, err, issuer.ErrDataModel)
	require.ErrorContains(t, err, "does not match the content of https://example.org/ctx.json")
	_, err = s.SignCredential(doc("not-multibase"))
	require.ErrorIs(t, err, issuer.ErrDataModel)
	_, err = issuer.NewSigner(k, issuer.WithRelatedResources(map[string][]byte{"relative/ctx.json": ctxDoc}))
	require.Error(t, err)
}

// A presentation of no credential is valid: it signs and verifies.
func TestPresentationWithoutCredentials(t *testing.T) {
	k, _ := keys.Generate(keys.Ed25519)
	s, err := issuer.NewSigner(k, issuer.WithClock(fixedClock))
	require.NoError(t, err)
	p, err := issuer.NewPresentation(s.DID())
	require.NoError(t, err)
	signed, err := s.SignPresentation(p, "c-1", "recruit.example")
	require.NoError(t, err)
	v, err := verify.New(verify.WithoutTrustList(), verify.WithOffline(), verify.WithClock(fixedClock))
	require.NoError(t, err)
	r := v.Verify(context.Background(), signed, verify.Binding{Challenge: "c-1", Domain: "recruit.example"})
	require.Equal(t, verify.StatusPassed, r.Check(verify.CheckFormat).Status, "%+v", r.Checks)
	require.Equal(t, verify.StatusPassed, r.Check(verify.CheckSignature).Status, "%+v", r.Checks)
	require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
}
