// Command outside is a program in a module of its own that uses badgeproof
// the way an agency and an HR vendor do, through public packages only: it
// makes a key, keeps it in a key file, signs a national qualification badge
// through an opaque crypto.Signer (as a KMS or HSM key is used), and
// verifies it with a trust list built in code and a KeyResolver of its own.
// The module's tests build and run it; it prints the verdict.
package main

import (
	"context"
	"crypto"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

const (
	agency = "did:web:badges.hrdkorea.example.kr"
	keyID  = agency + "#key-2026"
)

// hsmKey stands in for a key held in an HSM: the SDK sees only its
// crypto.Signer.
type hsmKey struct{ inner crypto.Signer }

func (k hsmKey) Public() crypto.PublicKey { return k.inner.Public() }
func (k hsmKey) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return k.inner.Sign(r, digest, opts)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "outside:", err)
		os.Exit(1)
	}
}

func run() error {
	dir, err := os.MkdirTemp("", "outside-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	generated, err := keys.Generate(keys.P256)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "agency.key")
	if err := keys.WriteFile(path, generated); err != nil {
		return err
	}
	key, err := keys.ReadFile(path)
	if err != nil {
		return err
	}
	jwk, err := key.PublicKey().JWK()
	if err != nil {
		return err
	}
	pub, err := keys.ParsePublicJWK(jwk)
	if err != nil {
		return err
	}

	signer, err := issuer.NewSigner(hsmKey{key}, issuer.WithVerificationMethod(keyID))
	if err != nil {
		return err
	}
	c, err := badge.NationalQualification{
		Common: badge.Common{ID: "urn:uuid:3f1e9a52-7c4b-4d1e-9a0b-2c3d4e5f6a7b", Issuer: badge.Profile{ID: agency, Name: badge.AgencyHRDKorea()},
			HolderID: "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", ValidFrom: time.Now().Add(-time.Hour)},
		ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing", Grade: "기사", GradeEn: "Engineer",
		LicenceNumber: "26201001234A", PassDate: time.Now().AddDate(0, -1, 0),
	}.Credential()
	if err != nil {
		return err
	}
	signed, err := signer.SignCredential(c)
	if err != nil {
		return err
	}

	calls := 0
	resolver := verify.KeyResolverFunc(func(_ context.Context, vm string, purpose verify.ProofPurpose) (*verify.Key, error) {
		// purpose is PurposeAssertion for a badge's proof, PurposeAuthentication for a holder's.
		if vm != keyID || purpose != verify.PurposeAssertion {
			return nil, fmt.Errorf("%w: %s", verify.ErrUnknownKey, vm) // not mine: the next resolver is asked
		}
		calls++
		return &verify.Key{ID: vm, Controller: agency, Public: pub}, nil
	})
	trust := &verify.TrustList{Issuers: []verify.TrustedIssuer{{
		ID: agency, Name: "HRD Korea", NameKo: "한국산업인력공단",
		Keys:             []verify.TrustedKey{verify.NewTrustedKey(keyID, pub)},
		AchievementTypes: []string{badge.AchievementTypeLicense},
	}}}
	v, err := verify.New(verify.WithTrustList(trust), verify.WithKeyResolver(resolver), verify.WithOffline())
	if err != nil {
		return err
	}
	r := v.Verify(context.Background(), signed, verify.Binding{})
	fmt.Printf("status=%s resolver-calls=%d\n", r.Status, calls)
	for _, ch := range r.Checks {
		fmt.Printf("%s %s %s %s\n", ch.ID, ch.Status, ch.Code, ch.Message)
	}
	return nil
}
