package batchproof

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/badge"
)

// Leaves computes, in one pass, exactly the leaves Leaf computes one by
// one, whatever keys sort around "proof" (ASCII, case, escapes, characters
// beyond the BMP, whose UTF-16 order differs from their code points').
func TestLeavesMatchLeaf(t *testing.T) {
	keys := []string{"a", "pro", "proof0", "proofs", "prooe", "PRooF1", "q", "z", "\u00e9", "\U0001F600", "\uff21", "p\\u0000", "p\"x", "type2"}
	rng := rand.New(rand.NewSource(7))
	for n := 0; n < 200; n++ {
		var members []string
		for _, k := range keys {
			if rng.Intn(2) == 0 {
				members = append(members, fmt.Sprintf("%q:{\"v\":[%d,\"x\"]}", k, rng.Intn(100)))
			}
		}
		nproofs := rng.Intn(6)
		var proofs []string
		for i := 0; i < nproofs; i++ {
			proofs = append(proofs, fmt.Sprintf(`{"type":"DataIntegrityProof","cryptosuite":"merkle-jcs-2026","z":%d,"a":"\u00e9%d"}`, i, rng.Intn(9)))
		}
		doc := `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{"id":"did:example:s"}`
		if len(members) > 0 {
			doc += "," + strings.Join(members, ",")
		}
		switch {
		case nproofs == 1 && rng.Intn(2) == 0:
			doc += `,"proof":` + proofs[0]
		case nproofs > 0:
			doc += `,"proof":[` + strings.Join(proofs, ",") + `]`
		}
		doc += "}"
		c, err := badge.ParseCredential([]byte(doc), badge.Limits{})
		if err != nil {
			t.Fatalf("%v\n%s", err, doc)
		}
		idx := make([]int, 0, nproofs+1)
		for i := 0; i <= nproofs; i++ {
			idx = append(idx, i)
		}
		got, err := Leaves(c, idx)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range idx {
			want, err := Leaf(c, i)
			if err != nil {
				t.Fatal(err)
			}
			if got[i] != want {
				t.Fatalf("leaf %d differs\n%s", i, doc)
			}
		}
	}
}
