package issuer_test

import (
	"fmt"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// Sign a work-experience badge with a P-256 key: the proof is an
// ecdsa-jcs-2019 DataIntegrityProof, deterministic for the same input.
func ExampleSigner_SignCredential() {
	key, err := keys.Generate(keys.P256)
	if err != nil {
		panic(err)
	}
	signer, err := issuer.NewSigner(key, issuer.WithClock(func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC) }))
	if err != nil {
		panic(err)
	}
	c, err := badge.WorkExperience{
		Common: badge.Common{ID: "urn:uuid:5d1f", Issuer: badge.Profile{ID: signer.DID(), Name: badge.AgencyKEIS()},
			HolderID: "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", ValidFrom: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		Employer: "한빛소프트웨어", EmployerEn: "Hanbit Software", Role: "백엔드 개발자", RoleEn: "Backend Developer",
		Start: time.Date(2023, 1, 2, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC),
	}.Credential()
	if err != nil {
		panic(err)
	}
	signed, err := signer.SignCredential(c)
	if err != nil {
		panic(err)
	}
	again, _ := signer.SignCredential(c)
	parsed, err := badge.ParseCredential(signed, badge.Limits{})
	if err != nil {
		panic(err)
	}
	p := parsed.Proofs[0]
	fmt.Println(p.Type, p.Cryptosuite, p.ProofPurpose, p.Created)
	fmt.Println(string(signed) == string(again))
	// Output:
	// DataIntegrityProof ecdsa-jcs-2019 assertionMethod 2026-11-01T09:00:00Z
	// true
}
