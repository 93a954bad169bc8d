package obschema_test

import (
	"errors"
	"fmt"

	"github.com/badgeproof/badgeproof/internal/obschema"
)

func ExampleValidate() {
	doc := []byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2",
	               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
	  "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
	  "type": ["VerifiableCredential", "OpenBadgeCredential"],
	  "issuer": {"id": "https://example.kr/issuers/hrdk", "type": "Profile", "name": "HRD Korea"},
	  "validFrom": "2025-03-01T00:00:00Z",
	  "name": "Craftsman Welding"
	}`)
	err := obschema.Validate(doc)
	var ve *obschema.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Failures {
			fmt.Printf("%s: %s\n", f.Pointer, f.Message)
		}
	}
	// Output:
	// : missing property 'credentialSubject'
}
