package obschema

import "testing"

// BenchmarkValidate validates the complete spec example, the largest of the
// Open Badges vectors, as the verifier does once per credential.
func BenchmarkValidate(b *testing.B) {
	doc := read(b, "spec_example_complete_openbadgecredential.json")
	if err := Validate(doc); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if err := Validate(doc); err != nil {
			b.Fatal(err)
		}
	}
}
