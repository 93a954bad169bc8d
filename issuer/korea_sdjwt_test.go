package issuer_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

// Each Korean badge kind as an SD-JWT VC: issued with its disclosable
// claims hidden behind digests, presented with a chosen subset and a key
// binding, and verified; what was withheld is nowhere in the presentation.
func TestKoreanBadgesAsSDJWTVC(t *testing.T) {
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	ik, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	hk, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	iss := ik.PublicKey().DID()
	holder := hk.PublicKey().DID()
	common := badge.Common{ID: "urn:uuid:2c6e0d5e-1b7a-4f1e-9d7c-000000000001", Issuer: badge.Profile{ID: iss, Name: badge.AgencyHRDKorea()},
		HolderID: holder, HolderName: badge.NewText("김지원", "Kim Jiwon"), BirthDate: time.Date(1998, 4, 1, 0, 0, 0, 0, time.UTC),
		ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), ValidUntil: time.Date(2031, 3, 2, 0, 0, 0, 0, time.UTC)}

	cases := []struct {
		kind        string
		build       func() (*badge.SDJWTVC, error)
		vct         string
		disclosable []string
		shown       map[string]any // always shown, with their values
		disclose    []string       // the subset the holder presents
		withheld    string         // a value that must not appear once withheld
	}{
		{"national qualification", badge.NationalQualification{Common: common, ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing",
			Grade: "기사", GradeEn: "Engineer", LicenceNumber: "25201001234A", PassDate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)}.SDJWTVC,
			badge.VCTNationalQualification, []string{"licence_number", "birthdate", "holder_name"},
			map[string]any{"item_name": "정보처리", "grade": "기사", "item_code": "1320", "pass_date": "2025-12-01"},
			[]string{"birthdate"}, "25201001234A"},
		{"academic record", badge.AcademicRecord{Common: common, Degree: "공학사", DegreeEn: "Bachelor of Engineering", Major: "컴퓨터공학",
			MajorEn: "Computer Engineering", GraduatedOn: time.Date(2024, 2, 20, 0, 0, 0, 0, time.UTC), StudentNumber: "2018123456"}.SDJWTVC,
			badge.VCTAcademicRecord, []string{"student_number", "birthdate", "holder_name"},
			map[string]any{"degree": "공학사", "major": "컴퓨터공학", "graduation_date": "2024-02-20"},
			[]string{"holder_name"}, "2018123456"},
		{"work experience", badge.WorkExperience{Common: common, Employer: "한빛소프트", EmployerEn: "Hanbit Soft", Role: "백엔드 개발",
			RoleEn: "Backend developer", Start: time.Date(2022, 1, 3, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}.SDJWTVC,
			badge.VCTWorkExperience, []string{"birthdate", "holder_name"},
			map[string]any{"employer": "한빛소프트", "role": "백엔드 개발", "start_date": "2022-01-03", "end_date": "2025-06-30"},
			[]string{"holder_name"}, "1998-04-01"},
		{"training completion", badge.TrainingCompletion{Common: common, CourseID: "AIG20240001", Course: "클라우드 엔지니어 양성과정",
			CourseEn: "Cloud engineer course", Hours: 480, Provider: "서울기술교육원", ProviderEn: "Seoul Technical Training Institute",
			Completed: time.Date(2025, 8, 29, 0, 0, 0, 0, time.UTC)}.SDJWTVC,
			badge.VCTTrainingCompletion, []string{"birthdate", "holder_name"},
			map[string]any{"course": "클라우드 엔지니어 양성과정", "course_id": "AIG20240001", "hours": 480.0, "completion_date": "2025-08-29"},
			[]string{"birthdate"}, "김지원"},
	}
	s, err := issuer.NewJOSESigner(ik, issuer.WithJOSEClock(clock))
	require.NoError(t, err)
	v, err := verify.New(verify.WithTrustedKey(iss), verify.WithOffline(), verify.WithClock(clock))
	require.NoError(t, err)
	b := verify.Binding{Challenge: "n-0b6f", Domain: "https://recruit.example.kr"}
	for _, c := range cases {
		t.Run(c.kind, func(t *testing.T) {
			vc, err := c.build()
			require.NoError(t, err)
			require.Equal(t, c.vct, vc.VCT)
			require.ElementsMatch(t, c.disclosable, vc.Disclosable)
			for k, want := range c.shown {
				require.Equal(t, want, vc.Claims[k], k)
				require.NotContains(t, vc.Disclosable, k, "%s is what the badge attests: always shown", k)
			}
			sd, err := s.IssueSDJWT(iss, vc.Claims, issuer.SDJWTOptions{VCT: vc.VCT, Disclosable: vc.Disclosable, Decoys: 2, Holder: hk.Public()})
			require.NoError(t, err)

			// The issuer-signed part holds no disclosable value in clear.
			payload, err := base64.RawURLEncoding.DecodeString(strings.Split(strings.Split(sd, "~")[0], ".")[1])
			require.NoError(t, err)
			require.NotContains(t, string(payload), "1998-04-01")
			require.NotContains(t, string(payload), c.withheld)
			var signed map[string]any
			require.NoError(t, json.Unmarshal(payload, &signed))
			for k := range c.shown {
				require.Contains(t, signed, k)
			}

			p, err := issuer.PresentSDJWT(sd, c.disclose, hk, b.Domain, b.Challenge, now)
			require.NoError(t, err)
			require.NotContains(t, p, base64.RawURLEncoding.EncodeToString([]byte(c.withheld)))
			r := v.Verify(context.Background(), []byte(p), b)
			require.True(t, r.Verified, "%+v", r.Checks)
			require.Equal(t, verify.FormatSDJWTVC, r.Format)
			require.Equal(t, vc.Claims["name"], r.Credential.Name)
			require.Equal(t, holder, r.Credential.Subject)
			sig := r.Check(verify.CheckSignature)
			require.NotNil(t, sig)
			for _, d := range c.disclose {
				require.Contains(t, sig.Message, d, "the disclosed claim is reported")
			}
			for _, d := range vc.Disclosable {
				if !contains(c.disclose, d) {
					require.NotContains(t, sig.Message, d, "a withheld claim is not")
				}
			}
			require.Equal(t, verify.StatusPassed, r.Check(verify.CheckHolder).Status)

			// The wrong nonce fails the key binding.
			r = v.Verify(context.Background(), []byte(p), verify.Binding{Challenge: "n-other", Domain: b.Domain})
			require.False(t, r.Verified)
			require.Equal(t, "challenge_mismatch", r.Check(verify.CheckHolder).Code)
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestKoreanSDJWTVCRefusals(t *testing.T) {
	_, err := badge.NationalQualification{ItemCode: "1320", ItemName: "정보처리"}.SDJWTVC()
	require.Error(t, err, "no licence number")
	_, err = badge.NationalQualification{ItemCode: "1320", ItemName: "정보처리", LicenceNumber: "x"}.SDJWTVC()
	require.Error(t, err, "no id, issuer or date")
	_, err = badge.AcademicRecord{Degree: "공학사"}.SDJWTVC()
	require.Error(t, err)
	_, err = badge.WorkExperience{Employer: "x"}.SDJWTVC()
	require.Error(t, err, "no start date")
	_, err = badge.TrainingCompletion{Course: "x"}.SDJWTVC()
	require.Error(t, err, "no course id")
}
