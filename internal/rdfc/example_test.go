package rdfc_test

import (
	"errors"
	"fmt"

	"github.com/badgeproof/badgeproof/internal/rdfc"
)

func ExampleCanonicalize() {
	doc := []byte(`{
	  "@context": "https://www.w3.org/ns/credentials/v2",
	  "id": "urn:uuid:7f1c",
	  "type": "VerifiableCredential",
	  "name": "Craftsman Welding"
	}`)
	nq, err := rdfc.Canonicalize(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(nq))
	// Output:
	// <urn:uuid:7f1c> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
	// <urn:uuid:7f1c> <https://schema.org/name> "Craftsman Welding" .
}

func ExampleOptions_Canonicalize_detectUnmapped() {
	doc := []byte(`{
	  "@context": "https://www.w3.org/2018/credentials/v1",
	  "id": "urn:uuid:7f1c",
	  "type": "VerifiableCredential",
	  "grade": "A"
	}`)
	_, err := rdfc.Options{DetectUnmapped: true}.Canonicalize(doc)
	fmt.Println(errors.Is(err, rdfc.ErrFallbackVocab))
	fmt.Println(err)
	// Output:
	// true
	// rdfc: term not defined by the document's contexts: <http://fallback.org/grade>
}
