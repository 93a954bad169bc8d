package badge

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const vectors = "../testdata/vectors"

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectors, path))
	require.NoError(t, err)
	return b
}

func TestParseExternalVectors(t *testing.T) {
	files := []string{
		"w3c-di/ecdsa-jcs-2019/unsigned.json",
		"w3c-di/ecdsa-jcs-2019/ecdsa-jcs-2019-p256/signedJCSECDSAP256.json",
		"w3c-di/eddsa-jcs-2022/eddsa-jcs-2022/signedJCS.json",
		"openbadges/spec_example_complete_openbadgecredential.json",
		"openbadges/spec_example_basic_openbadgecredential.json",
		"openbadges/eddsa-rdfc-2022-testvector/obv3p0-signed-credential.json",
		"openbadges/clr2/clrv2p0-signed-clrcredential.json",
	}
	for _, f := range files {
		c, err := ParseCredential(read(t, f), Limits{})
		require.NoError(t, err, f)
		require.NotEmpty(t, c.Issuer.ID, f)
		require.NotEmpty(t, c.CredentialSubject, f)
		require.NotNil(t, c.ValidFrom, f)
	}
	alumni, err := ParseCredential(read(t, "w3c-di/ecdsa-jcs-2019/ecdsa-jcs-2019-p256/signedJCSECDSAP256.json"), Limits{})
	require.NoError(t, err)
	require.False(t, alumni.IsOpenBadge())
	require.Len(t, alumni.Proofs, 1)
	require.Equal(t, "ecdsa-jcs-2019", alumni.Proofs[0].Cryptosuite)
	require.Equal(t, "Alumni Credential", alumni.Name.String())

	full, err := ParseCredential(read(t, "openbadges/spec_example_complete_openbadgecredential.json"), Limits{})
	require.NoError(t, err)
	require.True(t, full.IsOpenBadge())
	a := full.Achievement()
	require.NotNil(t, a)
	require.NotEmpty(t, a.Alignment)
	require.NotEmpty(t, a.ResultDescription)
	require.NotEmpty(t, full.CredentialSubject[0].Result)
	require.NotEmpty(t, full.Evidence)
	require.NotEmpty(t, full.CredentialSubject[0].Identifier)

	clr, err := ParseCredential(read(t, "openbadges/clr2/clrv2p0-signed-clrcredential.json"), Limits{})
	require.NoError(t, err)
	require.True(t, clr.IsCLR())
}

func TestUnknownPropertiesSurvive(t *testing.T) {
	src := read(t, "openbadges/spec_example_complete_openbadgecredential.json")
	c, err := ParseCredential(src, Limits{})
	require.NoError(t, err)
	require.Equal(t, src, c.Raw())
	var orig map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(src, &orig))
	require.Equal(t, orig, c.Members())
	// members are copies: changing one does not change the credential
	m := c.Members()
	m["x-extra"] = json.RawMessage(`1`)
	_, ok := c.Members()["x-extra"]
	require.False(t, ok)
	doc := strings.Replace(string(read(t, "w3c-di/ecdsa-jcs-2019/unsigned.json")), `"name"`, `"x-custom": {"deep": [1, 2]}, "name"`, 1)
	c2, err := ParseCredential([]byte(doc), Limits{})
	require.NoError(t, err)
	require.JSONEq(t, `{"deep": [1, 2]}`, string(c2.Members()["x-custom"]))
}

func TestParseErrors(t *testing.T) {
	base := string(read(t, "openbadges/spec_example_basic_openbadgecredential.json"))
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(base), &m))
	mutate := func(f func(m map[string]any)) string {
		var c map[string]any
		require.NoError(t, json.Unmarshal([]byte(base), &c))
		f(c)
		b, err := json.Marshal(c)
		require.NoError(t, err)
		return string(b)
	}
	cases := map[string]struct{ in, want string }{
		"duplicate key":  {strings.Replace(base, `"id"`, `"id": "x", "id"`, 1), `duplicate key "id"`},
		"lone surrogate": {strings.Replace(base, `"name"`, `"x": "\udead", "name"`, 1), "lone"},
		"invalid utf8":   {strings.Replace(base, `"name"`, "\"x\": \"\xc3\x28\", \"name\"", 1), "invalid UTF-8"},
		"too deep":       {strings.Replace(base, `"name"`, `"x": `+strings.Repeat("[", 70)+strings.Repeat("]", 70)+`, "name"`, 1), "nesting deeper"},
		"not an object":  {`[1]`, "want a JSON object"},
		"no context":     {mutate(func(m map[string]any) { delete(m, "@context") }), "@context: missing"},
		"wrong context":  {mutate(func(m map[string]any) { m["@context"] = []string{"https://example.com"} }), "@context: first entry"},
		"no VC type":     {mutate(func(m map[string]any) { m["type"] = []string{"OpenBadgeCredential"} }), "type: must include VerifiableCredential"},
		"issuer number":  {mutate(func(m map[string]any) { m["issuer"] = 5 }), "issuer: wrong type: got JSON number"},
		"no issuer":      {mutate(func(m map[string]any) { delete(m, "issuer") }), "issuer: missing"},
		"no subject":     {mutate(func(m map[string]any) { delete(m, "credentialSubject") }), "credentialSubject: missing"},
		"bad date":       {mutate(func(m map[string]any) { m["validFrom"] = "2010-01-01" }), "validFrom: \"2010-01-01\" is not an RFC 3339"},
		"OB no name":     {mutate(func(m map[string]any) { delete(m, "name") }), "name: missing (required for Open Badges)"},
		"OB no criteria": {mutate(func(m map[string]any) {
			delete(m["credentialSubject"].(map[string]any)["achievement"].(map[string]any), "criteria")
		}), "credentialSubject.achievement.criteria: missing"},
		"OB no achievmnt": {mutate(func(m map[string]any) { delete(m["credentialSubject"].(map[string]any), "achievement") }), "credentialSubject.achievement: missing"},
		"proof string":    {mutate(func(m map[string]any) { m["proof"] = "abc" }), "proof[0]: want an object"},
		"until<from":      {mutate(func(m map[string]any) { m["validUntil"] = "2000-01-01T00:00:00Z" }), "validUntil: 2000-01-01T00:00:00Z is before validFrom"},
	}
	for name, tc := range cases {
		_, err := ParseCredential([]byte(tc.in), Limits{})
		require.Error(t, err, name)
		require.ErrorIs(t, err, ErrMalformed, name)
		require.Contains(t, err.Error(), tc.want, name)
	}
	_, err := ParseCredential([]byte(base), Limits{MaxBytes: 100})
	require.ErrorIs(t, err, ErrTooLarge)
	require.ErrorIs(t, err, ErrMalformed)
}

func TestVC11Dates(t *testing.T) {
	doc := `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuer":"did:example:1",
	"issuanceDate":"2020-01-01T00:00:00Z","expirationDate":"2030-01-01T00:00:00Z","credentialSubject":{"id":"did:example:2"}}`
	c, err := ParseCredential([]byte(doc), Limits{})
	require.NoError(t, err)
	require.Equal(t, 2020, c.ValidFrom.Year())
	require.Equal(t, 2030, c.ValidUntil.Year())
}

func TestKoreanProfiles(t *testing.T) {
	common := Common{ID: "urn:uuid:1", Issuer: Profile{ID: "did:key:z6Mkissuer", Name: AgencyHRDKorea()}, HolderID: "did:key:z6Mkholder",
		ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
	day := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	builders := map[string]interface {
		Credential() (*Credential, error)
	}{
		AchievementTypeLicense: NationalQualification{Common: common, ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing",
			Grade: "기사", GradeEn: "Engineer", LicenceNumber: "25201001234A", PassDate: day},
		AchievementTypeDegree: AcademicRecord{Common: common, Degree: "공학사", DegreeEn: "Bachelor of Engineering", Major: "컴퓨터공학", MajorEn: "Computer Science", GraduatedOn: day},
		AchievementTypeWorkExperience: WorkExperience{Common: common, Employer: "한빛소프트웨어", EmployerEn: "Hanbit Software", Role: "백엔드 개발자",
			RoleEn: "Backend Developer", Start: day.AddDate(-3, 0, 0), End: day},
		AchievementTypeCourse: TrainingCompletion{Common: common, CourseID: "AIG20250001", Course: "클라우드 엔지니어 양성과정", CourseEn: "Cloud Engineer Programme",
			Hours: 600, Provider: "서울기술교육원", ProviderEn: "Seoul Technical Training Institute", Completed: day},
	}
	for typ, b := range builders {
		c, err := b.Credential()
		require.NoError(t, err, typ)
		require.True(t, c.IsOpenBadge())
		require.Equal(t, typ, c.Achievement().AchievementType)
		require.Equal(t, "did:key:z6Mkholder", c.CredentialSubject[0].ID)
		require.Contains(t, c.Name.String(), "(", "Korean first, English alongside")
		require.Regexp(t, `[가-힣]`, c.Name.String())
		again, err := ParseCredential(c.Raw(), Limits{})
		require.NoError(t, err)
		require.Equal(t, c.Members(), again.Members())
	}
	_, err := NationalQualification{Common: common}.Credential()
	require.ErrorIs(t, err, ErrMalformed)
	noHolder := common
	noHolder.HolderID = ""
	_, err = TrainingCompletion{Common: noHolder, CourseID: "x", Course: "y"}.Credential()
	var fe *FieldError
	require.True(t, errors.As(err, &fe))
	require.Equal(t, "credentialSubject", fe.Path)
}

func TestPresentation(t *testing.T) {
	cred := string(read(t, "w3c-di/eddsa-jcs-2022/eddsa-jcs-2022/signedJCS.json"))
	vp := `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":"did:example:abcdefgh","verifiableCredential":[` + cred + `,` + cred + `]}`
	p, err := ParsePresentation([]byte(vp), Limits{})
	require.NoError(t, err)
	require.Len(t, p.Credentials, 2)
	require.JSONEq(t, cred, string(p.Credentials[0].Raw()))
	require.Equal(t, KindPresentation, Sniff([]byte(vp)))
	require.Equal(t, KindCredential, Sniff([]byte(cred)))
	bad := strings.Replace(vp, `"issuer"`, `"issuer":"x","issuer"`, 1)
	_, err = ParsePresentation([]byte(bad), Limits{})
	require.ErrorIs(t, err, ErrMalformed)
	bad2 := `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"verifiableCredential":[{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"]}]}`
	_, err = ParsePresentation([]byte(bad2), Limits{})
	require.ErrorContains(t, err, "verifiableCredential[0].issuer: missing")

	// The holder is a URL or an object whose id is one.
	for holder, want := range map[string]string{`"did:example:h"`: "did:example:h", `{"id":"did:example:h","name":"Kim"}`: "did:example:h"} {
		p, err := ParsePresentation([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":`+holder+`}`), Limits{})
		require.NoError(t, err, holder)
		require.Equal(t, want, p.Holder)
	}
	for _, holder := range []string{`{"name":"Kim"}`, `7`, `["did:example:h"]`} {
		_, err := ParsePresentation([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":`+holder+`}`), Limits{})
		require.ErrorIs(t, err, ErrMalformed, holder)
	}
}

func FuzzParseCredential(f *testing.F) {
	for _, p := range []string{"openbadges/spec_example_basic_openbadgecredential.json", "w3c-di/ecdsa-jcs-2019/unsigned.json",
		"openbadges/clr2/clrv2p0-signed-clrcredential.json", "blockcerts/v3/proof-chain-example-ed25519.json"} {
		b, err := os.ReadFile(filepath.Join(vectors, p))
		if err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","issuer":"x","credentialSubject":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCredential(data, Limits{})
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error without ErrMalformed: %v", err)
			}
			return
		}
		if c.Issuer.ID == "" || len(c.CredentialSubject) == 0 {
			t.Fatalf("accepted a credential without issuer or subject")
		}
		_, _ = ParsePresentation(data, Limits{})
	})
}

func TestParseEitherKind(t *testing.T) {
	cred := read(t, "w3c-di/eddsa-jcs-2022/eddsa-jcs-2022/signedJCS.json")
	c, p, err := Parse(cred, Limits{})
	require.NoError(t, err)
	require.NotNil(t, c)
	require.Nil(t, p)
	vp := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiablePresentation","verifiableCredential":` + string(cred) + `}`)
	c, p, err = Parse(vp, Limits{})
	require.NoError(t, err)
	require.Nil(t, c)
	require.Len(t, p.Credentials, 1)
	_, _, err = Parse([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":5}`), Limits{})
	require.ErrorContains(t, err, "type: wrong type")
	_, _, err = Parse([]byte(`{"type":"VerifiablePresentation","type":"x"}`), Limits{})
	require.ErrorIs(t, err, ErrMalformed)
}
