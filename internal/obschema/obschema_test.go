package obschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const vectors = "../../testdata/vectors/openbadges"

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectors, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSchemaEmbeddedVerbatim(t *testing.T) {
	if !bytes.Equal(schemaJSON, read(t, "ob_v3p0_achievementcredential_schema.json")) {
		t.Fatal("embedded schema differs from the vector")
	}
	if _, err := compiled(); err != nil {
		t.Fatalf("schema does not compile offline: %v", err)
	}
}

func TestExamples(t *testing.T) {
	valid := []string{
		"spec_example_basic_openbadgecredential.json",
		"spec_example_complete_openbadgecredential.json",
		"spec_example_achievement_alignment_case.json",
		"spec_example_skill_assertion_case.json",
		"eddsa-rdfc-2022-testvector/obv3p0-signed-credential.json",
		"eddsa-rdfc-2022-testvector/obv3p0-unsigned-credential.json",
		"validator_testvector_simple_eddsa-rdfc-2022.json",
	}
	for _, name := range valid {
		if err := Validate(read(t, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// An EndorsementCredential is not an achievement credential: its type
	// lacks AchievementCredential/OpenBadgeCredential.
	err := Validate(read(t, "spec_example_endorsementcredential.json"))
	var ve *ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "/type") {
		t.Errorf("endorsement: err = %v, want a failure at /type", err)
	}
}

// The signed vector's proof is one object; the schema wants an array.
// Wrapping makes it pass without changing the caller's bytes.
func TestSingleProofWrapped(t *testing.T) {
	doc := read(t, "eddsa-rdfc-2022-testvector/obv3p0-signed-credential.json")
	orig := bytes.Clone(doc)
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	if _, isObj := m["proof"].(map[string]any); !isObj {
		t.Fatal("vector's proof is expected to be a single object")
	}
	if err := Validate(doc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, orig) {
		t.Error("Validate changed its input")
	}
	// A single credentialSchema object and a single evidence object are
	// wrapped too.
	m["credentialSchema"] = map[string]any{"id": "https://example.org/schema.json", "type": "1EdTechJsonSchemaValidator2019"}
	m["evidence"] = map[string]any{"id": "https://example.org/evidence/1", "type": []any{"Evidence"}}
	b, _ := json.Marshal(m)
	if err := Validate(b); err != nil {
		t.Errorf("single credentialSchema/evidence: %v", err)
	}
}

func TestMissingRequiredProperty(t *testing.T) {
	for _, prop := range []string{"issuer", "credentialSubject", "validFrom"} {
		var m map[string]any
		if err := json.Unmarshal(read(t, "spec_example_basic_openbadgecredential.json"), &m); err != nil {
			t.Fatal(err)
		}
		delete(m, prop)
		b, _ := json.Marshal(m)
		err := Validate(b)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), prop) {
			t.Errorf("without %s: err = %v, want one naming it", prop, err)
		}
	}
}

func TestNestedFailurePointer(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(read(t, "spec_example_basic_openbadgecredential.json"), &m); err != nil {
		t.Fatal(err)
	}
	m["credentialSubject"].(map[string]any)["achievement"].(map[string]any)["criteria"] = 42
	b, _ := json.Marshal(m)
	err := Validate(b)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	found := false
	for _, f := range ve.Failures {
		if f.Pointer == "/credentialSubject/achievement/criteria" {
			found = true
		}
	}
	if !found {
		t.Errorf("failures %+v do not point at /credentialSubject/achievement/criteria", ve.Failures)
	}
}

func TestMalformed(t *testing.T) {
	for _, in := range []string{``, `{`, `[]`, `"x"`, `{"a":1} {}`} {
		if err := Validate([]byte(in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("Validate(%q) = %v, want ErrMalformed", in, err)
		}
	}
	big := make([]byte, MaxSize+1)
	if err := Validate(big); !errors.Is(err, ErrMalformed) {
		t.Errorf("oversized: %v", err)
	}
}

func FuzzValidate(f *testing.F) {
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"x","proof":{"a":[1]}}`))
	f.Add([]byte(`{"credentialSubject":{"achievement":{"alignment":{"targetName":"x"}}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		err := Validate(b)
		if err != nil && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrMalformed) {
			t.Fatalf("unclassified error: %v", err)
		}
	})
}

// ValidateDecoded leaves the decoding it is given as it was, so the format
// check can share one decoding with the JCS of the document: the single
// proof and the single subject stay single.
func TestValidateDecodedLeavesInputUnchanged(t *testing.T) {
	for _, name := range []string{"eddsa-rdfc-2022-testvector/obv3p0-signed-credential.json", "spec_example_complete_openbadgecredential.json"} {
		decode := func() any {
			dec := json.NewDecoder(bytes.NewReader(read(t, name)))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		v, want := decode(), decode()
		if err := ValidateDecoded(v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, _ := json.Marshal(v)
		orig, _ := json.Marshal(want)
		if !bytes.Equal(got, orig) {
			t.Errorf("%s: ValidateDecoded changed its input:\n%s\nwas\n%s", name, got, orig)
		}
	}
}
