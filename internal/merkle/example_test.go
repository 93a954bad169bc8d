package merkle_test

import (
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/badgeproof/badgeproof/internal/merkle"
)

func Example() {
	docs := []string{"badge-1", "badge-2", "badge-3"}
	leaves := make([][32]byte, len(docs))
	for i, d := range docs {
		leaves[i] = sha256.Sum256([]byte(d))
	}
	tree, err := merkle.Build(leaves)
	if err != nil {
		panic(err)
	}
	path, _ := tree.Path(2)
	fmt.Println("steps:", len(path), "left:", path[0].Left)
	fmt.Println("verifies:", merkle.VerifyPath(leaves[2], path, tree.Root()) == nil)

	err = merkle.VerifyPath(sha256.Sum256([]byte("forged")), path, tree.Root())
	fmt.Println("forged:", errors.Is(err, merkle.ErrRootMismatch))
	// Output:
	// steps: 1 left: true
	// verifies: true
	// forged: true
}
