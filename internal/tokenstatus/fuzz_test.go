package tokenstatus

import (
	"encoding/json"
	"testing"
)

// FuzzDecode feeds arbitrary status list objects to Decode: no panic, the
// decompressed list never exceeds MaxBytes, and what decodes encodes and
// decodes again to the same statuses.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"bits":1,"lst":"eNrbuRgAAhcBXQ"}`))
	f.Add([]byte(`{"bits":2,"lst":"eNo76fITAAPfAgc"}`))
	f.Add([]byte(`{"bits":8,"lst":"eJwLAAA","aggregation_uri":"https://x"}`))
	f.Add([]byte(`{"bits":3,"lst":""}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		l, err := Decode(raw)
		if err != nil {
			return
		}
		if len(l.Bytes()) > MaxBytes || len(l.Bytes()) == 0 {
			t.Fatalf("decoded a list of %d bytes", len(l.Bytes()))
		}
		enc, err := l.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(enc)
		if err != nil {
			t.Fatalf("a decoded list does not decode once encoded again: %v", err)
		}
		if string(back.Bytes()) != string(l.Bytes()) || back.Bits != l.Bits {
			t.Fatal("the list changed in a round trip")
		}
		if _, err := l.Get(l.Len() - 1); err != nil {
			t.Fatalf("the last entry cannot be read: %v", err)
		}
	})
}

// FuzzParseReference: no panic; a reference that parses has an index that
// is not negative and a uri.
func FuzzParseReference(f *testing.F) {
	f.Add([]byte(`{"status_list":{"idx":0,"uri":"https://example.com/statuslists/1"}}`))
	f.Add([]byte(`{"status_list":{"idx":-1,"uri":"x"}}`))
	f.Add([]byte(`{"other":{}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		ref, ok, err := ParseReference(json.RawMessage(raw))
		if err != nil || !ok {
			return
		}
		if ref.Idx < 0 || ref.URI == "" {
			t.Fatalf("accepted %+v", ref)
		}
	})
}

// FuzzParseClaims: no panic; claims that parse have sub, iat, a ttl that
// is not negative and a list.
func FuzzParseClaims(f *testing.F) {
	f.Add([]byte(`{"exp":2291720170,"iat":1686920170,"iss":"https://example.com","status_list":{"bits":1,"lst":"eNrbuRgAAhcBXQ"},"sub":"https://example.com/statuslists/1","ttl":43200}`))
	f.Add([]byte(`{"sub":"s","iat":1,"ttl":-1,"status_list":{}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		c, l, err := ParseClaims(raw)
		if err != nil {
			return
		}
		if c.Sub == "" || c.IAT == 0 || c.TTL < 0 || l == nil {
			t.Fatalf("accepted %+v", c)
		}
	})
}
