package keys_test

import (
	"fmt"

	"github.com/badgeproof/badgeproof/keys"
)

// A did:key names a public key; its type follows from the multicodec prefix.
func ExampleParseDIDKey() {
	pk, err := keys.ParseDIDKey("did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP")
	if err != nil {
		panic(err)
	}
	fmt.Println(pk.Type(), len(pk.Bytes()))
	fmt.Println(pk.VerificationMethod())
	// Output:
	// P-256 33
	// did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP#zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP
}
