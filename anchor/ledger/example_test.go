package ledger_test

import (
	"context"
	"fmt"
	"os"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/anchor/ledger"
)

func Example() {
	dir, _ := os.MkdirTemp("", "ledger")
	defer os.RemoveAll(dir)

	l, err := ledger.Open(dir)
	if err != nil {
		panic(err)
	}
	defer l.Close()

	ctx := context.Background()
	root := make([]byte, 32)
	root[0] = 0xab
	rec, _ := l.Publisher("did:example:hrdkorea").Publish(ctx, root)

	// A verifier reads it back from the blink URI in the badge.
	ref, _ := anchor.ParseRef(rec.Ref.String())
	got, err := l.Resolve(ctx, ref)
	fmt.Println(err, ref.ID, got.Sender, got.Root[0] == 0xab)
	// Output: <nil> 0 did:example:hrdkorea true
}
