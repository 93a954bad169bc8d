package badge

import (
	"encoding/json"
	"fmt"
	"time"
)

// Achievement types (Open Badges 3.0 achievementType vocabulary; "ext:" marks
// an extension term) of the four Korean badge kinds.
const (
	AchievementTypeLicense        = "License"
	AchievementTypeDegree         = "Degree"
	AchievementTypeWorkExperience = "ext:WorkExperience"
	AchievementTypeCourse         = "Course"
)

// AgencyHRDKorea names HRD Korea (한국산업인력공단), the issuer of national
// technical qualifications, as its badges name it.
func AgencyHRDKorea() Text { return NewText("한국산업인력공단", "HRD Korea") }

// AgencyKEIS names the Korea Employment Information Service (한국고용정보원),
// the issuer of work-experience records, as its badges name it.
func AgencyKEIS() Text {
	return NewText("한국고용정보원", "Korea Employment Information Service")
}

// Common holds what every Korean badge kind needs.
type Common struct {
	ID         string  // the credential's id, e.g. urn:uuid:...
	Issuer     Profile // id (the issuer's DID) and bilingual name
	HolderID   string  // the holder's DID; empty when Identity is used
	HolderName Text    // optional
	Identity   *IdentityObject
	// BirthDate is the holder's date of birth (생년월일), which Korean
	// certificates print beside the name. Only the SD-JWT VC form carries
	// it, as a claim the holder may choose to disclose.
	BirthDate  time.Time
	ValidFrom  time.Time // issue date
	ValidUntil time.Time // zero: no expiry
	// Status is an optional revocation entry (added by the issuer at issuance).
	Status *Status
}

// NationalQualification is a national technical qualification issued by HRD
// Korea through Q-Net.
type NationalQualification struct {
	Common
	ItemCode      string // 종목코드
	ItemName      string // 종목명 (Korean)
	ItemNameEn    string
	Grade         string // 등급, e.g. 기사
	GradeEn       string // e.g. Engineer
	LicenceNumber string // 자격번호
	PassDate      time.Time
}

// AcademicRecord is a degree conferred by a university.
type AcademicRecord struct {
	Common
	Degree        string // 학위, e.g. 공학사
	DegreeEn      string // e.g. Bachelor of Engineering
	Major         string // 전공
	MajorEn       string
	GraduatedOn   time.Time
	StudentNumber string // optional
}

// WorkExperience is a period of employment, from KEIS employment-insurance records.
type WorkExperience struct {
	Common
	Employer   string // 사업장명
	EmployerEn string
	Role       string // 직무
	RoleEn     string
	Start, End time.Time // End zero: current
}

// TrainingCompletion is an HRD-Net training course completion.
type TrainingCompletion struct {
	Common
	CourseID   string // HRD-Net course id
	Course     string // 과정명
	CourseEn   string
	Hours      float64
	Provider   string // 훈련기관
	ProviderEn string
	Completed  time.Time
}

const dateOnly = "2006-01-02"

func (c Common) build(achievement map[string]any, subject map[string]any, name Text) (*Credential, error) {
	if c.ID == "" || c.Issuer.ID == "" {
		return nil, fieldErr("id", "a badge needs an id and an issuer id")
	}
	if c.HolderID == "" && c.Identity == nil {
		return nil, fieldErr("credentialSubject", "a badge needs a holder id or an identity object")
	}
	if c.ValidFrom.IsZero() {
		return nil, fieldErr("validFrom", "missing issue date")
	}
	issuer := map[string]any{"id": c.Issuer.ID, "type": []string{"Profile"}}
	if !c.Issuer.Name.IsZero() {
		issuer["name"] = c.Issuer.Name
	}
	if c.Issuer.URL != "" {
		issuer["url"] = c.Issuer.URL
	}
	subject["type"] = []string{"AchievementSubject"}
	if c.HolderID != "" {
		subject["id"] = c.HolderID
	}
	if c.Identity != nil {
		subject["identifier"] = []IdentityObject{*c.Identity}
	}
	if !c.HolderName.IsZero() {
		subject["name"] = c.HolderName
	}
	subject["achievement"] = achievement
	doc := map[string]any{
		"@context":          []string{ContextV2, ContextOB3},
		"id":                c.ID,
		"type":              []string{"VerifiableCredential", "OpenBadgeCredential"},
		"issuer":            issuer,
		"name":              name,
		"validFrom":         c.ValidFrom.UTC().Format(time.RFC3339),
		"credentialSubject": subject,
	}
	if !c.ValidUntil.IsZero() {
		doc["validUntil"] = c.ValidUntil.UTC().Format(time.RFC3339)
	}
	if c.Status != nil {
		doc["credentialStatus"] = c.Status
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return ParseCredential(b, Limits{})
}

func achievement(id, achievementType string, name, description, criteria Text) map[string]any {
	return map[string]any{
		"id":              id,
		"type":            []string{"Achievement"},
		"achievementType": achievementType,
		"name":            name,
		"description":     description,
		"criteria":        map[string]any{"narrative": criteria},
	}
}

// Credential builds the unsigned badge.
func (q NationalQualification) Credential() (*Credential, error) {
	if q.ItemCode == "" || q.ItemName == "" || q.LicenceNumber == "" {
		return nil, fieldErr("credentialSubject.achievement", "a national qualification needs an item code, an item name and a licence number")
	}
	ko, en := q.ItemName+" "+q.Grade, joinEn(q.ItemNameEn, q.GradeEn)
	a := achievement("urn:kr:q-net:qualification:"+q.ItemCode, AchievementTypeLicense, NewText(ko, en),
		NewText("국가기술자격 "+q.ItemName+" ("+q.Grade+")", "National technical qualification: "+joinEn(q.ItemNameEn, q.GradeEn)),
		NewText("국가기술자격법에 따른 검정에 합격", "Passed the examination under the National Technical Qualifications Act"))
	a["humanCode"] = q.ItemCode
	a["creator"] = map[string]any{"id": q.Issuer.ID, "type": []string{"Profile"}, "name": AgencyHRDKorea()}
	subject := map[string]any{"licenseNumber": q.LicenceNumber}
	if !q.PassDate.IsZero() {
		subject["activityEndDate"] = q.PassDate.UTC().Format(time.RFC3339)
	}
	return q.build(a, subject, NewText("국가기술자격 "+ko, "National Technical Qualification: "+en))
}

// Credential builds the unsigned badge.
func (r AcademicRecord) Credential() (*Credential, error) {
	if r.Degree == "" || r.Major == "" {
		return nil, fieldErr("credentialSubject.achievement", "an academic record needs a degree and a major")
	}
	ko, en := r.Major+" "+r.Degree, joinEn(r.DegreeEn, r.MajorEn)
	a := achievement("urn:kr:degree:"+slug(r.DegreeEn+" "+r.MajorEn), AchievementTypeDegree, NewText(ko, en),
		NewText(r.Major+" 전공 "+r.Degree+" 학위", joinEn(r.DegreeEn, r.MajorEn)+" degree"),
		NewText("학위 과정 이수 및 졸업 요건 충족", "Completed the degree programme and met the graduation requirements"))
	a["fieldOfStudy"] = r.Major
	subject := map[string]any{}
	if !r.GraduatedOn.IsZero() {
		subject["activityEndDate"] = r.GraduatedOn.UTC().Format(time.RFC3339)
	}
	if r.StudentNumber != "" {
		subject["identifier"] = append(identifiers(r.Identity), IdentityObject{Type: "IdentityObject", IdentityType: "studentId", IdentityHash: r.StudentNumber})
	}
	return r.build(a, subject, NewText("학위증명 "+ko, "Academic record: "+en))
}

// Credential builds the unsigned badge.
func (w WorkExperience) Credential() (*Credential, error) {
	if w.Employer == "" || w.Start.IsZero() {
		return nil, fieldErr("credentialSubject.achievement", "work experience needs an employer and a start date")
	}
	ko, en := w.Employer+" "+w.Role+" 경력", joinEn(w.RoleEn+" at", w.EmployerEn)
	period := w.Start.Format(dateOnly) + " ~ "
	if !w.End.IsZero() {
		period += w.End.Format(dateOnly)
	}
	a := achievement("urn:kr:keis:work-experience:"+slug(w.EmployerEn+" "+w.RoleEn), AchievementTypeWorkExperience, NewText(ko, en),
		NewText(w.Employer+"에서 "+w.Role+" 근무 ("+period+")", joinEn(w.RoleEn, "at "+w.EmployerEn)+" ("+period+")"),
		NewText("고용보험 피보험자격 이력으로 확인된 근무", "Employment confirmed by employment-insurance records"))
	a["creator"] = map[string]any{"id": w.Issuer.ID, "type": []string{"Profile"}, "name": AgencyKEIS()}
	subject := map[string]any{"role": w.Role, "activityStartDate": w.Start.UTC().Format(time.RFC3339)}
	if !w.End.IsZero() {
		subject["activityEndDate"] = w.End.UTC().Format(time.RFC3339)
	}
	return w.build(a, subject, NewText("경력증명 "+ko, "Work experience: "+en))
}

// Credential builds the unsigned badge.
func (t TrainingCompletion) Credential() (*Credential, error) {
	if t.CourseID == "" || t.Course == "" {
		return nil, fieldErr("credentialSubject.achievement", "a training completion needs a course id and name")
	}
	a := achievement("urn:kr:hrd-net:course:"+t.CourseID, AchievementTypeCourse, NewText(t.Course, t.CourseEn),
		NewText(fmt.Sprintf("%s 주관 %g시간 직업훈련 과정", t.Provider, t.Hours), fmt.Sprintf("%g-hour vocational training course by %s", t.Hours, t.ProviderEn)),
		NewText("훈련 과정 출석 및 평가 기준 충족", "Met the attendance and assessment requirements"))
	a["humanCode"] = t.CourseID
	if t.Hours > 0 {
		a["creditsAvailable"] = t.Hours
	}
	subject := map[string]any{}
	if t.Hours > 0 {
		subject["creditsEarned"] = t.Hours
	}
	if !t.Completed.IsZero() {
		subject["activityEndDate"] = t.Completed.UTC().Format(time.RFC3339)
	}
	if t.Provider != "" {
		subject["source"] = map[string]any{"id": "urn:kr:hrd-net:provider:" + slug(t.ProviderEn), "type": []string{"Profile"}, "name": NewText(t.Provider, t.ProviderEn)}
	}
	return t.build(a, subject, NewText("직업훈련 "+t.Course+" 수료", "Training completion: "+t.CourseEn))
}

func identifiers(id *IdentityObject) []IdentityObject {
	if id == nil {
		return nil
	}
	return []IdentityObject{*id}
}

func joinEn(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

func slug(s string) string {
	out := make([]byte, 0, len(s))
	dash := false
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			out = append(out, c)
			dash = false
		case c >= 'A' && c <= 'Z':
			out = append(out, c+'a'-'A')
			dash = false
		default:
			if !dash && len(out) > 0 {
				out = append(out, '-')
				dash = true
			}
		}
	}
	for len(out) > 0 && out[len(out)-1] == '-' {
		out = out[:len(out)-1]
	}
	return string(out)
}
