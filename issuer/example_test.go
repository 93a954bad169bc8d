package issuer_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"io"
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

// kmsKey stands in for a key in a cloud KMS or an HSM: the SDK only calls
// its crypto.Signer methods.
type kmsKey struct{ key *ecdsa.PrivateKey }

func (k kmsKey) Public() crypto.PublicKey { return &k.key.PublicKey }

func (k kmsKey) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	// A real KMS client sends digest to the service and returns its DER
	// signature, e.g. AWS KMS Sign with MessageType DIGEST and
	// ECDSA_SHA_256.
	return ecdsa.SignASN1(rand, k.key, digest)
}

// Sign with a key that never leaves a KMS: any crypto.Signer works.
func ExampleNewSigner_kms() {
	remote, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader) // lives in the KMS
	if err != nil {
		panic(err)
	}
	signer, err := issuer.NewSigner(kmsKey{remote}, issuer.WithVerificationMethod("did:web:badges.example.kr#kms-key-1"))
	if err != nil {
		panic(err)
	}
	c, err := badge.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
		"issuer":"did:web:badges.example.kr","credentialSubject":{"id":"did:example:holder"}}`), badge.Limits{})
	if err != nil {
		panic(err)
	}
	signed, err := signer.SignCredential(c)
	if err != nil {
		panic(err)
	}
	parsed, _ := badge.ParseCredential(signed, badge.Limits{})
	fmt.Println(parsed.Proofs[0].Cryptosuite, parsed.Proofs[0].VerificationMethod)
	fmt.Println(signer.PublicKey().Type())
	// Output:
	// ecdsa-jcs-2019 did:web:badges.example.kr#kms-key-1
	// P-256
}
