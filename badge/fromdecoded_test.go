package badge

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unsafe"

	"github.com/badgeproof/badgeproof/internal/jsonx"
)

// parseBoth parses data with the parse's decoding and without it (every
// field by encoding/json from its bytes); both must give the same
// credential or presentation, or the same error.
func parseBoth(t testing.TB, data []byte) bool {
	d, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil || d.Members == nil {
		return false
	}
	doc := d.Value.(map[string]any)
	var typ Strings
	_, _ = decodeField(d.Members, "type", &typ)
	if typ.Has("VerifiablePresentation") {
		fast, err1 := presentationFromMembers(data, d.Members, doc, Limits{})
		slow, err2 := presentationFromMembers(data, d.Members, nil, Limits{})
		sameResult(t, data, fast, slow, err1, err2)
		return true
	}
	fast, err1 := credentialFromMembers(data, d.Members, doc, Limits{})
	slow, err2 := credentialFromMembers(data, d.Members, nil, Limits{})
	sameResult(t, data, fast, slow, err1, err2)
	return true
}

func sameResult[T any](t testing.TB, data []byte, fast, slow *T, err1, err2 error) {
	t.Helper()
	if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
		t.Fatalf("%.200s: errors differ: %v, %v", data, err1, err2)
	}
	if err1 != nil {
		return
	}
	clearDecoded(fast)
	clearDecoded(slow)
	if !reflect.DeepEqual(fast, slow) {
		a, _ := json.Marshal(fast)
		b, _ := json.Marshal(slow)
		t.Fatalf("%.200s: decoding differs:\n%s\n%s", data, a, b)
	}
}

func clearDecoded(v any) {
	switch x := v.(type) {
	case *Credential:
		x.decoded = nil
	case *Presentation:
		x.decoded = nil
		for _, c := range x.Credentials {
			c.decoded = nil
		}
	}
}

func TestFromDecodedAgreesWithEncodingJSON(t *testing.T) {
	n := 0
	for _, dir := range []string{"../testdata", "../verify/testdata", "testdata"} {
		err := filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || filepath.Ext(path) != ".json" {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if parseBoth(t, data) {
				n++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Shapes the fast path leaves to encoding/json.
	for _, s := range []string{
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","issuer":null,"credentialSubject":{"id":"a"}}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":{"ID":"x"},"credentialSubject":{"id":"a"}}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"x","credentialSubject":[{"id":"a","Achievement":{"id":"b"}}]}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"x","credentialSubject":{"id":"a","achievement":null}}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"x","credentialSubject":{"id":"a","achievement":[{"id":"b","name":[]}]}}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"x","credentialSubject":{"id":"a","name":[{"@value":"n","@language":"ko"},"m"],"creditsEarned":1.5}}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"x","credentialSubject":{"id":1}}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"x","credentialSubject":{"id":"a","name":null}}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"x","credentialSubject":{"id":"a"},"proof":{"type":"T","previousProof":"urn:p"}}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"x","credentialSubject":{"id":"a"},"proof":[{"type":"T","Cryptosuite":"c"},{"type":1}]}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"x","credentialSubject":{"id":"a"},"validFrom":5}`,
	} {
		if !parseBoth(t, []byte(s)) {
			t.Fatalf("not parsed: %s", s)
		}
	}
	if n < 50 {
		t.Fatalf("only %d documents of test data", n)
	}
	t.Logf("%d documents", n)
}

func FuzzFromDecoded(f *testing.F) {
	for _, s := range []string{
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential","OpenBadgeCredential"],"id":"urn:x","name":"n","validFrom":"2026-01-01T00:00:00Z","issuer":{"id":"did:x","type":"Profile","name":[{"@value":"a","@language":"ko"}]},"credentialSubject":{"id":"a","achievement":{"id":"b","type":"Achievement","name":"n","description":"d","criteria":{"narrative":"c"},"creditsAvailable":3}},"proof":{"type":"DataIntegrityProof","proofValue":"z1"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { parseBoth(t, data) })
}

// The typed fields do not share memory with the decoding, whose strings
// are slices of one copy of the whole document: a field kept for long (a
// cache key, a Report) keeps only itself alive.
func TestFieldsDoNotShareTheDecoding(t *testing.T) {
	data := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential"],"issuer":"did:example:issuer","credentialSubject":{"id":"did:example:s","name":"n"},"credentialStatus":{"type":"T","statusListCredential":"https://example.org/list"},"proof":{"type":"DataIntegrityProof","verificationMethod":"did:example:issuer#k"}}`)
	c, err := ParseCredential(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	doc := c.decoded
	same := func(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }
	for _, p := range []struct{ field, decoded string }{
		{c.ID, doc["id"].(string)},
		{c.Type[0], doc["type"].([]any)[0].(string)},
		{c.Issuer.ID, doc["issuer"].(string)},
		{c.CredentialSubject[0].ID, doc["credentialSubject"].(map[string]any)["id"].(string)},
		{c.CredentialSubject[0].Name.String(), doc["credentialSubject"].(map[string]any)["name"].(string)},
		{c.CredentialStatus[0].StatusListCredential, doc["credentialStatus"].(map[string]any)["statusListCredential"].(string)},
		{c.Proofs[0].VerificationMethod, doc["proof"].(map[string]any)["verificationMethod"].(string)},
	} {
		if p.field != p.decoded {
			t.Fatalf("%q read as %q", p.decoded, p.field)
		}
		if same(p.field, p.decoded) {
			t.Errorf("%q shares the decoding's memory", p.field)
		}
	}
}
