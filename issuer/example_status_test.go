package issuer_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// An issuer keeps a revocation list in a directory: each badge gets a
// random index before it is signed; revoking sets the bit and Publish
// writes the re-signed list credential to serve at the list's URL.
func ExampleStatusList() {
	dir, err := os.MkdirTemp("", "status")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	key, _ := keys.Generate(keys.Ed25519)
	signer, _ := issuer.NewSigner(key)

	list, err := issuer.OpenStatusList(dir, signer, issuer.StatusListConfig{URL: "https://issuer.example.kr/status/1"})
	if err != nil {
		log.Fatal(err)
	}
	defer list.Close()

	c, _ := badge.TrainingCompletion{Common: badge.Common{ID: "urn:uuid:course-42", Issuer: badge.Profile{ID: signer.DID()},
		HolderID: "did:key:z6MkholderExample", ValidFrom: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)},
		CourseID: "HRD-2026-001", Course: "클라우드 개발자 과정", CourseEn: "Cloud developer course", Hours: 120}.Credential()
	withStatus, err := list.AddEntry(c)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := signer.SignCredential(withStatus); err != nil {
		log.Fatal(err)
	}
	fmt.Println(withStatus.CredentialStatus[0].StatusPurpose, withStatus.CredentialStatus[0].StatusListCredential)

	i, _ := list.Set("urn:uuid:course-42", true)
	revoked, _ := list.Status(i)
	fmt.Println("revoked:", revoked)
	if _, err := list.Publish(); err != nil {
		log.Fatal(err)
	}
	_, err = os.Stat(dir + "/" + issuer.StatusListFile)
	fmt.Println("published:", err == nil)
	// Output:
	// revocation https://issuer.example.kr/status/1
	// revoked: true
	// published: true
}
