package badge_test

import (
	"fmt"
	"time"

	"github.com/badgeproof/badgeproof/badge"
)

// A national technical qualification as HRD Korea issues it through Q-Net.
func ExampleNationalQualification() {
	c, err := badge.NationalQualification{
		Common: badge.Common{
			ID:        "urn:uuid:0b5e7c1e-8d63-4f0e-a3f4-0a8c2b9d7e11",
			Issuer:    badge.Profile{ID: "did:web:q-net.example.kr", Name: badge.AgencyHRDKorea()},
			HolderID:  "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
			ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		},
		ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing",
		Grade: "기사", GradeEn: "Engineer", LicenceNumber: "25201001234A",
	}.Credential()
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Name)
	fmt.Println(c.Achievement().AchievementType, c.Achievement().HumanCode)
	fmt.Println(c.IsOpenBadge())
	// Output:
	// 국가기술자격 정보처리 기사 (National Technical Qualification: Information Processing Engineer)
	// License 1320
	// true
}

// Parsing is strict: a duplicate key makes a signature ambiguous, so it is
// refused with the place it was found.
func ExampleParseCredential() {
	_, err := badge.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"a","id":"b"}`), badge.Limits{})
	fmt.Println(err)
	// Output:
	// malformed credential: duplicate key "id" at byte 62 ($.id)
}
