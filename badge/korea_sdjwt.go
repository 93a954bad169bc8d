package badge

import (
	"time"
)

// The vct (credential type) of each Korean badge kind in its SD-JWT VC
// form.
const (
	VCTNationalQualification = "urn:kr:badge:vct:national-qualification"
	VCTAcademicRecord        = "urn:kr:badge:vct:academic-record"
	VCTWorkExperience        = "urn:kr:badge:vct:work-experience"
	VCTTrainingCompletion    = "urn:kr:badge:vct:training-completion"
)

// SDJWTVC is the SD-JWT VC form of a badge: its type (vct), its claims, and
// the names of the claims the holder may choose to disclose or withhold
// (every other claim is always shown). Issue it with
// issuer.JOSESigner.IssueSDJWT, passing VCT and Disclosable in its options.
//
// What the four Korean kinds make disclosable: the holder's personal data
// (birth date, name, a hashed identity) and numbers that identify the
// person in an agency's register (licence number, student number); what
// the badge attests (the qualification and grade, the degree and major,
// the employer, role and period, the course and hours) is always shown, so
// that a presentation never hides what it is about.
type SDJWTVC struct {
	VCT         string
	Claims      map[string]any
	Disclosable []string
}

// sdjwt builds the claims every kind shares: jti, sub, nbf, exp, the
// badge's name, the issuing agency's name, and the holder's personal
// data, disclosable.
func (c Common) sdjwt(vct string, name Text, claims map[string]any, disclosable ...string) (*SDJWTVC, error) {
	if c.ID == "" || c.Issuer.ID == "" {
		return nil, fieldErr("id", "a badge needs an id and an issuer id")
	}
	if c.ValidFrom.IsZero() {
		return nil, fieldErr("validFrom", "missing issue date")
	}
	claims["jti"] = c.ID
	claims["name"] = name.String()
	claims["nbf"] = c.ValidFrom.Unix()
	if !c.ValidUntil.IsZero() {
		claims["exp"] = c.ValidUntil.Unix()
	}
	if !c.Issuer.Name.IsZero() {
		claims["issuer_name"] = c.Issuer.Name.String()
	}
	if c.HolderID != "" {
		claims["sub"] = c.HolderID
	}
	if !c.HolderName.IsZero() {
		claims["holder_name"] = c.HolderName.String()
		disclosable = append(disclosable, "holder_name")
	}
	if !c.BirthDate.IsZero() {
		claims["birthdate"] = c.BirthDate.Format(dateOnly)
		disclosable = append(disclosable, "birthdate")
	}
	if c.Identity != nil {
		claims["identifier"] = *c.Identity
		disclosable = append(disclosable, "identifier")
	}
	return &SDJWTVC{VCT: vct, Claims: claims, Disclosable: disclosable}, nil
}

func putDate(m map[string]any, name string, t time.Time) {
	if !t.IsZero() {
		m[name] = t.Format(dateOnly)
	}
}

func putText(m map[string]any, name, value string) {
	if value != "" {
		m[name] = value
	}
}

// SDJWTVC is the badge's SD-JWT VC form: the qualification (item code and
// name, grade, pass date) always shown; the licence number (자격번호), the
// birth date and the holder's name disclosable.
func (q NationalQualification) SDJWTVC() (*SDJWTVC, error) {
	if q.ItemCode == "" || q.ItemName == "" || q.LicenceNumber == "" {
		return nil, fieldErr("item_code", "a national qualification needs an item code, an item name and a licence number")
	}
	m := map[string]any{"item_code": q.ItemCode, "item_name": q.ItemName, "licence_number": q.LicenceNumber}
	putText(m, "item_name_en", q.ItemNameEn)
	putText(m, "grade", q.Grade)
	putText(m, "grade_en", q.GradeEn)
	putDate(m, "pass_date", q.PassDate)
	name := NewText("국가기술자격 "+q.ItemName+" "+q.Grade, "National Technical Qualification: "+joinEn(q.ItemNameEn, q.GradeEn))
	return q.sdjwt(VCTNationalQualification, name, m, "licence_number")
}

// SDJWTVC is the badge's SD-JWT VC form: the degree, major and graduation
// date always shown; the student number, the birth date and the holder's
// name disclosable.
func (r AcademicRecord) SDJWTVC() (*SDJWTVC, error) {
	if r.Degree == "" || r.Major == "" {
		return nil, fieldErr("degree", "an academic record needs a degree and a major")
	}
	m := map[string]any{"degree": r.Degree, "major": r.Major}
	putText(m, "degree_en", r.DegreeEn)
	putText(m, "major_en", r.MajorEn)
	putDate(m, "graduation_date", r.GraduatedOn)
	var disclosable []string
	if r.StudentNumber != "" {
		m["student_number"] = r.StudentNumber
		disclosable = append(disclosable, "student_number")
	}
	name := NewText("학위증명 "+r.Major+" "+r.Degree, "Academic record: "+joinEn(r.DegreeEn, r.MajorEn))
	return r.sdjwt(VCTAcademicRecord, name, m, disclosable...)
}

// SDJWTVC is the badge's SD-JWT VC form: the employer, role and period of
// employment always shown; the birth date and the holder's name
// disclosable.
func (w WorkExperience) SDJWTVC() (*SDJWTVC, error) {
	if w.Employer == "" || w.Start.IsZero() {
		return nil, fieldErr("employer", "work experience needs an employer and a start date")
	}
	m := map[string]any{"employer": w.Employer}
	putText(m, "employer_en", w.EmployerEn)
	putText(m, "role", w.Role)
	putText(m, "role_en", w.RoleEn)
	putDate(m, "start_date", w.Start)
	putDate(m, "end_date", w.End)
	name := NewText("경력증명 "+w.Employer+" "+w.Role+" 경력", "Work experience: "+joinEn(w.RoleEn+" at", w.EmployerEn))
	return w.sdjwt(VCTWorkExperience, name, m)
}

// SDJWTVC is the badge's SD-JWT VC form: the course (HRD-Net id and name),
// hours, provider and completion date always shown; the birth date and the
// holder's name disclosable.
func (t TrainingCompletion) SDJWTVC() (*SDJWTVC, error) {
	if t.CourseID == "" || t.Course == "" {
		return nil, fieldErr("course_id", "a training completion needs a course id and name")
	}
	m := map[string]any{"course_id": t.CourseID, "course": t.Course}
	putText(m, "course_en", t.CourseEn)
	if t.Hours > 0 {
		m["hours"] = t.Hours
	}
	putText(m, "provider", t.Provider)
	putText(m, "provider_en", t.ProviderEn)
	putDate(m, "completion_date", t.Completed)
	name := NewText("직업훈련 "+t.Course+" 수료", "Training completion: "+t.CourseEn)
	return t.sdjwt(VCTTrainingCompletion, name, m)
}
