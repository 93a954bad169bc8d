package issuer_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

// ExampleBatch signs three badges, anchors them with one ledger record and
// verifies one of them.
func ExampleBatch() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "ledger")
	defer os.RemoveAll(dir)
	l, err := ledger.Open(dir)
	if err != nil {
		panic(err)
	}
	defer l.Close()

	key, _ := keys.Generate(keys.Ed25519)
	signer, _ := issuer.NewSigner(key)
	var signed []*badge.Credential
	for i, holder := range []string{"did:example:kim", "did:example:lee", "did:example:park"} {
		c, err := badge.TrainingCompletion{
			Common: badge.Common{ID: fmt.Sprintf("urn:uuid:0b5d7c1e-8f0a-4c47-9a55-00000000000%d", i),
				Issuer: badge.Profile{ID: signer.DID(), Name: badge.NewText("예시 아카데미", "Example Academy")}, HolderID: holder,
				ValidFrom: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
			CourseID: "HRD-2026-0142", Course: "클라우드 보안", CourseEn: "Cloud security", Hours: 40, Provider: "예시 아카데미", ProviderEn: "Example Academy",
			Completed: time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC),
		}.Credential()
		if err != nil {
			panic(err)
		}
		b, err := signer.SignCredential(c)
		if err != nil {
			panic(err)
		}
		if c, err = badge.ParseCredential(b, badge.Limits{}); err != nil {
			panic(err)
		}
		signed = append(signed, c)
	}

	// The ledger record's sender is the issuer's DID.
	batch, err := issuer.NewBatch(l.Publisher(signer.DID()), issuer.WithBatchSigner(signer))
	if err != nil {
		panic(err)
	}
	badges, rec, err := batch.Issue(ctx, signed)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(badges), "badges, one anchor at ledger sequence", rec.Ref.ID)

	v, _ := verify.New(verify.WithTrustedKey(signer.DID()), verify.WithAnchorResolver(l))
	r := v.Verify(ctx, badges[1], verify.Binding{})
	fmt.Println(r.Status, r.Check(verify.CheckMerkle).Status, r.Check(verify.CheckAnchor).Status)
	// Output:
	// 3 badges, one anchor at ledger sequence 0
	// verified passed passed
}
