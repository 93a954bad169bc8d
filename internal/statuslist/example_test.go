package statuslist_test

import (
	"encoding/json"
	"fmt"

	"github.com/badgeproof/badgeproof/internal/statuslist"
)

func Example() {
	// Issuer: a list with badge 94567 revoked.
	list, _ := statuslist.New(statuslist.MinBits)
	_ = list.Set(94567, true)
	encoded, _ := list.Encode()

	// Verifier: the badge's credentialStatus and the published list.
	entry, err := statuslist.ParseEntry(json.RawMessage(`{
		"type": "BitstringStatusListEntry",
		"statusPurpose": "revocation",
		"statusListIndex": "94567",
		"statusListCredential": "https://example.com/credentials/status/3"}`))
	if err != nil {
		panic(err)
	}
	bits, err := statuslist.Decode(encoded)
	if err != nil {
		panic(err)
	}
	revoked, _ := bits.Get(entry.StatusListIndex)
	fmt.Println(entry.StatusPurpose, revoked)
	// Output: revocation true
}
