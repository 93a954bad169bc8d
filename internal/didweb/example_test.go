package didweb_test

import (
	"fmt"

	"github.com/badgeproof/badgeproof/internal/didweb"
)

func ExampleURL() {
	for _, did := range []string{
		"did:web:example.com",
		"did:web:example.com:user:alice",
		"did:web:example.com%3A8443:issuers:hrdk",
	} {
		u, _ := didweb.URL(did)
		fmt.Println(u)
	}
	// Output:
	// https://example.com/.well-known/did.json
	// https://example.com/user/alice/did.json
	// https://example.com:8443/issuers/hrdk/did.json
}

func ExampleDocument_AssertionMethod() {
	const did = "did:web:example.com"
	doc, err := didweb.Parse(did, []byte(`{
	  "id": "did:web:example.com",
	  "verificationMethod": [
	    {"id": "#sign", "type": "Multikey", "controller": "did:web:example.com",
	     "publicKeyMultibase": "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"},
	    {"id": "#login", "type": "Multikey", "controller": "did:web:example.com",
	     "publicKeyMultibase": "z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG"}],
	  "assertionMethod": ["#sign"],
	  "authentication": ["#login"]}`))
	if err != nil {
		panic(err)
	}
	m, err := doc.AssertionMethod("did:web:example.com#sign")
	fmt.Println(m.Type, err)
	_, err = doc.AssertionMethod("#login")
	fmt.Println(err)
	// Output:
	// Multikey <nil>
	// didweb: verification method is not an assertionMethod: did:web:example.com#login is not listed under assertionMethod of did:web:example.com
}
