package verify_test

import (
	"context"
	"fmt"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

// Example builds a verifier that trusts one issuer, verifies a badge that
// issuer has just signed, and prints the verdict with every check.
func Example() {
	key, _ := keys.Generate(keys.Ed25519)
	hrd, _ := issuer.NewSigner(key)
	c, err := badge.NationalQualification{
		Common: badge.Common{ID: "urn:uuid:5b0e7c52-1f7e-4a8e-9d3a-0c1a2b3c4d01", Issuer: badge.Profile{ID: hrd.DID(), Name: badge.AgencyHRDKorea()},
			HolderID: "did:example:kim", ValidFrom: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)},
		ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing", Grade: "기사", GradeEn: "Engineer",
		LicenceNumber: "25201001234A",
	}.Credential()
	if err != nil {
		panic(err)
	}
	signed, _ := hrd.SignCredential(c)

	v, err := verify.New(verify.WithTrustedKey(hrd.DID()))
	if err != nil {
		panic(err)
	}
	r := v.Verify(context.Background(), signed, verify.Binding{})
	fmt.Println(r.Status, r.Credential.Achievement)
	for _, c := range r.Checks {
		fmt.Println(c.ID, c.Status)
	}
	// Output:
	// verified 정보처리 기사 (Information Processing Engineer)
	// format passed
	// signature passed
	// merkle skipped
	// anchor skipped
	// issuer passed
	// status skipped
	// validity passed
	// holder skipped
}
