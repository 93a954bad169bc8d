package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/badgeproof/badgeproof/verify/verifyhttp"
)

// The demo's world: a ministry that signs the trust list, four issuers and a
// job seeker. Keys come from fixed seeds, so the demo's DIDs are the same
// on every run; badges are dated relative to demoEpoch.
var demoEpoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// demoParty is one key holder of the demo.
type demoParty struct {
	seed   string
	ko, en string // the name in Korean and English
	name   badge.Text
	types  []string // achievement types it may issue (issuers only)
	signer *issuer.Signer
}

func (p *demoParty) did() string { return p.signer.DID() }

// demoKey derives a key from a fixed label.
func demoKey(label string) (*keys.PrivateKey, error) {
	seed := sha256.Sum256([]byte("badgeproof demo key: " + label))
	return keys.NewPrivateKey(keys.Ed25519, seed[:])
}

// demo is the embedded demo: its trust list, its ledger and its badges.
type demo struct {
	ministry, hrd, keis, univ, holder *demoParty
	trust                             *verify.TrustList
	trustDoc                          []byte // the trust list credential signed by the ministry
	ledger                            *ledger.Ledger
	badges                            []verifyhttp.DemoBadge
	revocation                        *demoRevocation // nil when the status list is not served
}

// Close releases the ledger and the status list.
func (d *demo) Close() error {
	if d.revocation != nil {
		d.revocation.list.Close()
	}
	if d.ledger == nil {
		return nil
	}
	return d.ledger.Close()
}

// newDemo builds the demo in dir (a fresh directory). statusBase, when not
// empty, is the base URL (http://host:port) the demo server serves its
// status list under; the revoked badge then carries a revocation entry.
func newDemo(ctx context.Context, dir, statusBase string) (d *demo, err error) {
	if d, err = newDemoWorld(); err != nil {
		return nil, err
	}
	if d.ledger, err = ledger.Open(dir+"/ledger", ledger.WithClock(func() time.Time { return demoEpoch })); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	if statusBase != "" {
		if d.revocation, err = newDemoRevocation(dir+"/status", statusBase+demoStatusPath, d.hrd.signer); err != nil {
			return nil, err
		}
	}
	if err := d.issueBadges(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// newDemoWorld makes the demo's parties from their fixed seeds and the
// trust list the ministry signs; no ledger, no badges yet.
func newDemoWorld() (*demo, error) {
	d := &demo{}
	parties := []*struct {
		p      **demoParty
		seed   string
		ko, en string
		types  []string
	}{
		{&d.ministry, "ministry", "과학기술정보통신부", "Ministry of Science and ICT", nil},
		{&d.hrd, "hrd-korea", "한국산업인력공단", "HRD Korea", []string{badge.AchievementTypeLicense, badge.AchievementTypeCourse}},
		{&d.keis, "keis", "한국고용정보원", "Korea Employment Information Service", []string{badge.AchievementTypeWorkExperience}},
		{&d.univ, "hanbit-university", "한빛대학교", "Hanbit University", []string{badge.AchievementTypeDegree}},
		{&d.holder, "holder-kim", "김지원", "Kim Ji-won", nil},
	}
	for _, e := range parties {
		k, err := demoKey(e.seed)
		if err != nil {
			return nil, err
		}
		s, err := issuer.NewSigner(k, issuer.WithClock(func() time.Time { return demoEpoch }))
		if err != nil {
			return nil, err
		}
		*e.p = &demoParty{seed: e.seed, ko: e.ko, en: e.en, name: badge.NewText(e.ko, e.en), types: e.types, signer: s}
	}
	if err := d.buildTrustList(); err != nil {
		return nil, err
	}
	return d, nil
}

// buildTrustList writes the trust list credential the ministry signs and
// reads it back the way a verifier does.
func (d *demo) buildTrustList() error {
	var issuers []verify.TrustedIssuer
	for _, p := range []*demoParty{d.hrd, d.keis, d.univ} {
		pk := p.signer.PublicKey()
		issuers = append(issuers, verify.TrustedIssuer{
			ID: p.did(), Name: p.en, NameKo: p.ko, AchievementTypes: p.types,
			Keys: []verify.TrustedKey{{ID: pk.VerificationMethod(), PublicKeyMultibase: pk.Multibase()}},
		})
	}
	doc := map[string]any{
		// The list's own terms (issuers, nameKo, ...) are defined by no
		// context: the undefined-terms context comes last.
		"@context":  []string{badge.ContextV2, badge.ContextUndefinedTerms},
		"id":        "urn:badgeproof:demo:trust-list:2026",
		"type":      []string{"VerifiableCredential"},
		"issuer":    map[string]any{"id": d.ministry.did(), "type": []string{"Profile"}, "name": d.ministry.name},
		"name":      badge.NewText("디지털 배지 신뢰 목록 (데모)", "Digital badge trust list (demo)"),
		"validFrom": demoEpoch.Add(-24 * time.Hour).Format(time.RFC3339),
		"credentialSubject": map[string]any{
			"id": "urn:badgeproof:demo:trust-list", "name": "Digital badge trust list (demo)", "nameKo": "디지털 배지 신뢰 목록 (데모)",
			"issuers": issuers,
		},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	c, err := badge.ParseCredential(b, badge.Limits{})
	if err != nil {
		return fmt.Errorf("demo trust list: %w", err)
	}
	if d.trustDoc, err = d.ministry.signer.SignCredential(c); err != nil {
		return err
	}
	d.trust, err = verify.ParseSignedTrustList(d.trustDoc, []string{d.ministry.did()}, demoEpoch)
	return err
}

func (d *demo) common(p *demoParty, id string, validFrom time.Time) badge.Common {
	return badge.Common{ID: "urn:uuid:" + id, Issuer: badge.Profile{ID: p.did(), Name: p.name}, HolderID: d.holder.did(),
		HolderName: d.holder.name, ValidFrom: validFrom}
}

func day(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }

// issueBadges signs the demo badges, anchors each issuer's as one batch on
// the ledger and derives the revoked, expired and tampered samples.
func (d *demo) issueBadges(ctx context.Context) error {
	qual := badge.NationalQualification{Common: d.common(d.hrd, "5b0e7c52-1f7e-4a8e-9d3a-0c1a2b3c4d01", day(2026, 1, 2)),
		ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing", Grade: "기사", GradeEn: "Engineer",
		LicenceNumber: "25201001234A", PassDate: day(2025, 12, 24)}
	revokedQual := badge.NationalQualification{Common: d.common(d.hrd, "5b0e7c52-1f7e-4a8e-9d3a-0c1a2b3c4d05", day(2026, 1, 2)),
		ItemCode: "1150", ItemName: "전기", ItemNameEn: "Electrical", Grade: "기사", GradeEn: "Engineer",
		LicenceNumber: "25101007777B", PassDate: day(2025, 12, 24)}
	training := badge.TrainingCompletion{Common: d.common(d.hrd, "5b0e7c52-1f7e-4a8e-9d3a-0c1a2b3c4d04", day(2026, 2, 27)),
		CourseID: "AIG20250000498765", Course: "클라우드 보안 실무", CourseEn: "Cloud security in practice", Hours: 120,
		Provider: "한빛직업전문학교", ProviderEn: "Hanbit Vocational School", Completed: day(2026, 2, 27)}
	expired := badge.TrainingCompletion{Common: d.common(d.hrd, "5b0e7c52-1f7e-4a8e-9d3a-0c1a2b3c4d06", day(2024, 6, 28)),
		CourseID: "AIG20240000312345", Course: "산업안전 보건교육", CourseEn: "Industrial safety and health", Hours: 16,
		Provider: "한빛직업전문학교", ProviderEn: "Hanbit Vocational School", Completed: day(2024, 6, 28)}
	expired.ValidUntil = day(2025, 6, 28)
	work := badge.WorkExperience{Common: d.common(d.keis, "5b0e7c52-1f7e-4a8e-9d3a-0c1a2b3c4d03", day(2026, 2, 2)),
		Employer: "한빛소프트", EmployerEn: "Hanbit Soft", Role: "백엔드 개발자", RoleEn: "Backend developer",
		Start: day(2022, 3, 2), End: day(2025, 12, 31)}
	degree := badge.AcademicRecord{Common: d.common(d.univ, "5b0e7c52-1f7e-4a8e-9d3a-0c1a2b3c4d02", day(2022, 2, 18)),
		Degree: "공학사", DegreeEn: "Bachelor of Engineering", Major: "컴퓨터공학", MajorEn: "Computer Science and Engineering",
		GraduatedOn: day(2022, 2, 18)}

	type unsigned struct {
		party *demoParty
		build func() (*badge.Credential, error)
	}
	plan := []unsigned{
		{d.hrd, qual.Credential}, {d.univ, degree.Credential}, {d.keis, work.Credential}, {d.hrd, training.Credential},
		{d.hrd, revokedQual.Credential}, {d.hrd, expired.Credential},
	}
	const revokedAt = 4
	// Sign each, grouping per issuer for one anchored batch each.
	batches := map[*demoParty][]int{}
	var order []*demoParty
	signed := make([][]byte, len(plan))
	for i, u := range plan {
		c, err := u.build()
		if err != nil {
			return fmt.Errorf("demo badge %d: %w", i, err)
		}
		if i == revokedAt && d.revocation != nil {
			if c, err = d.revocation.list.AddEntry(c); err != nil {
				return fmt.Errorf("demo revocation entry: %w", err)
			}
		}
		if signed[i], err = u.party.signer.SignCredential(c); err != nil {
			return err
		}
		if batches[u.party] == nil {
			order = append(order, u.party)
		}
		batches[u.party] = append(batches[u.party], i)
	}
	issued := make([][]byte, len(plan))
	for _, p := range order {
		batch, err := issuer.NewBatch(d.ledger.Publisher(p.did()), issuer.WithBatchSigner(p.signer))
		if err != nil {
			return err
		}
		var docs [][]byte
		for _, i := range batches[p] {
			docs = append(docs, signed[i])
		}
		out, _, err := batch.IssueDocuments(ctx, docs)
		if err != nil {
			return fmt.Errorf("demo batch of %s: %w", p.en, err)
		}
		for j, i := range batches[p] {
			issued[i] = out[j]
		}
	}
	if d.revocation != nil {
		if err := d.revocation.revoke(revokedQual.ID); err != nil {
			return err
		}
	}
	// The tampered sample: someone put another name on Kim's qualification.
	tampered := bytes.ReplaceAll(issued[0], []byte("김지원"), []byte("이민호"))
	tampered = bytes.ReplaceAll(tampered, []byte("Kim Ji-won"), []byte("Lee Min-ho"))
	if bytes.Equal(tampered, issued[0]) {
		return fmt.Errorf("demo: the tampered sample is unchanged")
	}

	d.badges = []verifyhttp.DemoBadge{
		{Name: "qualification", Title: "국가기술자격 정보처리기사", Expect: "verified", Data: issued[0],
			Description: "한국산업인력공단(HRD Korea) 발급 · National technical qualification, Information Processing Engineer"},
		{Name: "degree", Title: "학위증명 컴퓨터공학 공학사", Expect: "verified", Data: issued[1],
			Description: "한빛대학교(Hanbit University) 발급 · Bachelor of Engineering in Computer Science"},
		{Name: "work-experience", Title: "경력증명 한빛소프트 백엔드 개발자", Expect: "verified", Data: issued[2],
			Description: "한국고용정보원(KEIS) 발급, 고용보험 이력 · Work experience from employment-insurance records"},
		{Name: "training", Title: "직업훈련 클라우드 보안 실무 수료", Expect: "verified", Data: issued[3],
			Description: "HRD-Net 훈련과정, 한국산업인력공단 발급 · Training completion, 120 hours"},
		{Name: "expired", Title: "만료된 배지 · Expired", Expect: "failed", Data: issued[5],
			Description: "산업안전 보건교육 수료, 2025-06-28 만료 · A training completion that expired on 2025-06-28"},
		{Name: "tampered", Title: "변조된 배지 · Tampered", Expect: "failed", Data: tampered,
			Description: "정보처리기사 배지의 이름을 바꾼 것 · The qualification above with another person's name put on it"},
	}
	if d.revocation != nil {
		d.badges = append(d.badges[:4], append([]verifyhttp.DemoBadge{{Name: "revoked", Title: "폐기된 배지 · Revoked", Expect: "failed", Data: issued[revokedAt],
			Description: "전기기사 자격, 발급기관이 취소함 · An Electrical Engineer qualification its issuer revoked"}}, d.badges[4:]...)...)
	}
	return nil
}
