package badge

import (
	"errors"
	"strings"
	"testing"
)

// base is a minimal valid VC 2.0 credential; each case replaces or adds
// members through a string edit of it.
const base = `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:issuer","credentialSubject":{"id":"did:example:subject"}`

func vc(extra string) string {
	if extra == "" {
		return base + "}"
	}
	return base + "," + extra + "}"
}

// One case per MUST the W3C VC 2.0 test suite checks without JSON-LD
// processing; each names the pointer the violation must carry.
var dataModelCases = []struct {
	name, doc, pointer string // pointer "" = valid
}{
	{"minimal", vc(""), ""},
	{"no @context", `{"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{"id":"did:example:s"}}`, "/@context"},
	{"base context not first", `{"@context":["https://www.w3.org/ns/credentials/examples/v2","https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{"id":"did:example:s"}}`, "/@context/0"},
	{"context not a URL", strings.Replace(vc(""), `"https://www.w3.org/ns/credentials/v2"]`, `"https://www.w3.org/ns/credentials/v2","https ://not-a-url/v1"]`, 1), "/@context/1"},
	{"context a number", strings.Replace(vc(""), `"https://www.w3.org/ns/credentials/v2"]`, `"https://www.w3.org/ns/credentials/v2",123192875]`, 1), "/@context/1"},
	{"context object ok", strings.Replace(vc(""), `"https://www.w3.org/ns/credentials/v2"]`, `"https://www.w3.org/ns/credentials/v2",{"Ex":"https://example.org/#Ex"}]`, 1), ""},
	{"id null", vc(`"id":null`), "/id"},
	{"id not a URL", vc(`"id":"https ://not-a-url/vcs/1"`), "/id"},
	{"id an array", vc(`"id":["urn:uuid:1","urn:uuid:2"]`), "/id"},
	{"id a URN", vc(`"id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33"`), ""},
	{"subject id twice", strings.Replace(vc(""), `{"id":"did:example:subject"}`, `{"id":["did:example:a","did:example:b"]}`, 1), "/credentialSubject/id"},
	{"no type", strings.Replace(vc(""), `"type":["VerifiableCredential"],`, ``, 1), "/type"},
	{"type without VerifiableCredential", strings.Replace(vc(""), `["VerifiableCredential"]`, `["ExampleCredential"]`, 1), "/type"},
	{"type empty string", strings.Replace(vc(""), `["VerifiableCredential"]`, `["VerifiableCredential",""]`, 1), "/type/1"},
	{"type a string", strings.Replace(vc(""), `["VerifiableCredential"]`, `"VerifiableCredential"`, 1), ""},
	{"no issuer", strings.Replace(vc(""), `"issuer":"did:example:issuer",`, ``, 1), "/issuer"},
	{"issuer null", strings.Replace(vc(""), `"did:example:issuer"`, `null`, 1), "/issuer"},
	{"issuer not a URL", strings.Replace(vc(""), `"did:example:issuer"`, `"fake-issuer"`, 1), "/issuer"},
	{"issuer object id null", strings.Replace(vc(""), `"did:example:issuer"`, `{"id":null,"name":"x"}`, 1), "/issuer/id"},
	{"issuer object id not a URL", strings.Replace(vc(""), `"did:example:issuer"`, `{"id":"not a url"}`, 1), "/issuer/id"},
	{"issuer object ok", strings.Replace(vc(""), `"did:example:issuer"`, `{"id":"https://example.edu/issuers/565049","name":"Example University"}`, 1), ""},
	{"no subject", strings.Replace(vc(""), `,"credentialSubject":{"id":"did:example:subject"}`, ``, 1), "/credentialSubject"},
	{"subject without claims", strings.Replace(vc(""), `{"id":"did:example:subject"}`, `{}`, 1), "/credentialSubject"},
	{"one of two subjects empty", strings.Replace(vc(""), `{"id":"did:example:subject"}`, `[{"id":"did:example:a"},{}]`, 1), "/credentialSubject/1"},
	{"two subjects", strings.Replace(vc(""), `{"id":"did:example:subject"}`, `[{"id":"did:example:a"},{"name":"B"}]`, 1), ""},
	{"validFrom not a date", vc(`"validFrom":"Sat 25 Feb 2023 07:16:31 PM CST"`), "/validFrom"},
	{"validFrom without zone", vc(`"validFrom":"2023-02-25T19:10:39"`), "/validFrom"},
	{"validFrom with offset", vc(`"validFrom":"2023-02-25T19:10:39-06:00"`), ""},
	{"validFrom with ms", vc(`"validFrom":"2023-02-25T19:10:39.123Z"`), ""},
	{"validUntil not a date", vc(`"validUntil":"2023-13-01T00:00:00Z"`), "/validUntil"},
	{"status without type", vc(`"credentialStatus":{"id":"https://example.com/status/1#3"}`), "/credentialStatus/type"},
	{"status type a number", vc(`"credentialStatus":{"id":"https://example.com/status/1#3","type":2}`), "/credentialStatus/type/0"},
	{"status id not a URL", vc(`"credentialStatus":{"id":"not a url","type":"BitstringStatusListEntry"}`), "/credentialStatus/id"},
	{"status id twice", vc(`"credentialStatus":{"id":["https://a.example/1","https://a.example/2"],"type":"BitstringStatusListEntry"}`), "/credentialStatus/id"},
	{"status without id", vc(`"credentialStatus":{"type":"BitstringStatusListEntry"}`), ""},
	{"schema without type", vc(`"credentialSchema":{"id":"https://example.org/schema.json"}`), "/credentialSchema/type"},
	{"schema without id", vc(`"credentialSchema":{"type":"JsonSchema"}`), "/credentialSchema/id"},
	{"schema id not a URL", vc(`"credentialSchema":{"id":"schema.json","type":"JsonSchema"}`), "/credentialSchema/id"},
	{"two schemas", vc(`"credentialSchema":[{"id":"https://example.org/a.json","type":"JsonSchema"},{"id":"https://example.org/b.json","type":"JsonSchema"}]`), ""},
	{"termsOfUse without type", vc(`"termsOfUse":{"id":"https://example.org/tou"}`), "/termsOfUse/type"},
	{"evidence without type", vc(`"evidence":[{"id":"https://example.org/e/1"}]`), "/evidence/0/type"},
	{"refreshService without type", vc(`"refreshService":{"id":"https://example.org/refresh"}`), "/refreshService/type"},
	{"proof without type", vc(`"proof":{"proofPurpose":"assertionMethod","proofValue":"z1"}`), "/proof/type"},
	{"proof created without zone", vc(`"proof":{"type":"DataIntegrityProof","created":"2024-01-30T17:36:01.833602"}`), "/proof/created"},
	{"proof expires not a date", vc(`"proof":[{"type":"DataIntegrityProof"},{"type":"DataIntegrityProof","expires":"soon"}]`), "/proof/1/expires"},
	{"name a number", vc(`"name":3`), "/name"},
	{"name with extra member", vc(`"name":{"@value":"Example","@language":"en","url":"did:example:x"}`), "/name/url"},
	{"name language values", vc(`"name":[{"@value":"Example","@language":"en"},{"@value":"예시","@language":"ko","@direction":"ltr"}]`), ""},
	{"description without @value", vc(`"description":{"@language":"en"}`), "/description"},
	{"issuer name with extra member", strings.Replace(vc(""), `"did:example:issuer"`, `{"id":"did:example:issuer","name":{"@value":"X","@language":"en","url":"y"}}`, 1), "/issuer/name/url"},
	{"relatedResource as strings", vc(`"relatedResource":["https://www.w3.org/ns/credentials/v2"]`), "/relatedResource/0"},
	{"relatedResource without id", vc(`"relatedResource":{"digestSRI":"sha384-abc"}`), "/relatedResource/id"},
	{"relatedResource without digest", vc(`"relatedResource":{"id":"https://www.w3.org/ns/credentials/v2"}`), "/relatedResource"},
	{"relatedResource ids not unique", vc(`"relatedResource":[{"id":"https://a.example/x","digestSRI":"sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg"},{"id":"https://a.example/x","digestMultibase":"uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k"}]`), "/relatedResource/1/id"},
	{"relatedResource ok", vc(`"relatedResource":[{"id":"https://a.example/x","mediaType":"application/ld+json","digestSRI":"sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg"},{"id":"https://a.example/y","digestMultibase":"uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k"}]`), ""},
	{"relatedResource SRI of two algorithms with options", vc(`"relatedResource":{"id":"https://a.example/x","digestSRI":"sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=?ct=text sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg"}`), ""},
	{"relatedResource multihash", vc(`"relatedResource":{"id":"https://a.example/x","digestMultibase":"uEiDjsMRCmPwcFJr79MiZb7kkJ65B5GSbk0yklZkbeFK4VQ"}`), ""},
	{"relatedResource SRI in base64url", vc(`"relatedResource":{"id":"https://a.example/x","digestSRI":"sha384-_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij-tD0ewLk4JpnXEz6a5AeeY_1qQ0d0P"}`), "/relatedResource/digestSRI"},
	{"relatedResource SRI of an unknown algorithm", vc(`"relatedResource":{"id":"https://a.example/x","digestSRI":"md5-1B2M2Y8AsgTpgAmY7PhCfg=="}`), "/relatedResource/digestSRI"},
	{"relatedResource SRI of the wrong length", vc(`"relatedResource":{"id":"https://a.example/x","digestSRI":"sha384-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}`), "/relatedResource/digestSRI"},
	{"relatedResource digestMultibase not multibase", vc(`"relatedResource":{"id":"https://a.example/x","digestMultibase":"not multibase"}`), "/relatedResource/digestMultibase"},
	{"relatedResource digestMultibase of no digest length", vc(`"relatedResource":{"id":"https://a.example/x","digestMultibase":"uAAEC"}`), "/relatedResource/digestMultibase"},
	{"VC 1.1 without issuanceDate", `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{"id":"did:example:s"}}`, "/issuanceDate"},
	{"VC 1.1 with issuanceDate", `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuer":"did:example:i","issuanceDate":"2010-01-01T19:23:24Z","credentialSubject":{"id":"did:example:s"}}`, ""},
	// Presentations.
	{"presentation ok", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"]}`, ""},
	{"presentation context order", `{"@context":[{"X":"https://example.org/#X"},"https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"]}`, "/@context/0"},
	{"presentation no context", `{"type":["VerifiablePresentation"]}`, "/@context"},
	{"presentation holder not a URL", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":"z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj"}`, "/holder"},
	{"presentation holder object without id", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":{"name":"Acme"}}`, "/holder/id"},
	{"presentation holder object ok", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":{"id":"did:example:holder"}}`, ""},
	{"presentation credential as a string", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"verifiableCredential":["eyJhbGciOiJFUzI1NiJ9.e30.sig"]}`, "/verifiableCredential/0"},
	{"presentation credential without VerifiableCredential", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"verifiableCredential":[{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["Other"],"issuer":"did:example:i","credentialSubject":{"id":"did:example:s"}}]}`, "/verifiableCredential/0/type"},
	{"presentation enveloped credential", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"verifiableCredential":[{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt,eyJ"}]}`, ""},
	{"presentation enveloped credential not data URL", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"verifiableCredential":[{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential","id":"https://example.org/vc"}]}`, "/verifiableCredential/0/id"},
}

func TestCheckDataModel(t *testing.T) {
	for _, tc := range dataModelCases {
		checkViolation(t, tc.name, CheckDataModel([]byte(tc.doc)), tc.pointer, false)
	}
}

// checkViolation checks that err is nil when pointer is empty, else a
// *DataModelError with a violation at pointer (its only one when only).
func checkViolation(t *testing.T, name string, err error, pointer string, only bool) {
	t.Helper()
	if pointer == "" {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		return
	}
	var dm *DataModelError
	if !errors.As(err, &dm) || !errors.Is(err, ErrMalformed) {
		t.Errorf("%s: err = %v, want a *DataModelError", name, err)
		return
	}
	found := false
	for _, v := range dm.Violations {
		found = found || v.Pointer == pointer
	}
	if !found || only && len(dm.Violations) != 1 {
		t.Errorf("%s: violations %v, want one at %s", name, dm.Violations, pointer)
	}
}

func TestIsURL(t *testing.T) {
	for s, want := range map[string]bool{
		"https://example.org/x": true, "did:example:123": true, "urn:uuid:1": true, "data:,x": true,
		"fake-issuer": false, "https ://x": false, "": false, "z6MkpJy": false, "http://a b": false, ":x": false,
	} {
		if IsURL(s) != want {
			t.Errorf("IsURL(%q) = %v", s, !want)
		}
	}
}

func FuzzCheckDataModel(f *testing.F) {
	for _, tc := range dataModelCases {
		f.Add([]byte(tc.doc))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		err := CheckDataModel(b)
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error does not wrap ErrMalformed: %v", err)
		}
	})
}

func TestCheckDateStamps(t *testing.T) {
	for doc, ok := range map[string]bool{
		vc(`"validFrom":"2022-07-13T20:21:40.088Z","proof":{"type":"DataIntegrityProof","created":"2024-01-30T17:36:01Z"}`):       true,
		vc(`"validFrom":"2022-07-13T20:21:40.088Z","proof":{"type":"DataIntegrityProof","created":"2024-01-30T17:36:01.833602"}`): false,
		vc(`"validUntil":"2039-07-13"`): false,
		`{"@context":["https://www.w3.org/2018/credentials/v1"],"proof":{"created":"2024-01-30T17:36:01.833602"}}`: true,
	} {
		if err := CheckDateStamps([]byte(doc)); (err == nil) != ok {
			t.Errorf("%s: err = %v", doc, err)
		}
	}
}
