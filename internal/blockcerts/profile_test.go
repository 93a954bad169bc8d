package blockcerts

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readProfile(t *testing.T, name string) *IssuerProfile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectors, "network", name))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseIssuerProfile(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return p
}

func TestIssuerProfiles(t *testing.T) {
	p := readProfile(t, "v3.0-issuer-profile.json")
	if p.ID != "https://www.blockcerts.org/samples/3.0/issuer-blockcerts.json" || len(p.Keys) != 3 {
		t.Fatalf("profile %+v", p)
	}
	created := time.Date(2021, 11, 28, 15, 52, 58, 617381000, time.UTC)
	if !p.Keys[2].Created.Equal(created) || p.Keys[2].Address != "0x40Cf9B7DB6FCc742ad0a76B8588C7f8De2b54a60" {
		t.Errorf("key 2 = %+v", p.Keys[2])
	}
	// Ethereum addresses compare without case; the window starts at created.
	if _, err := p.KeyAt("0x40cf9b7db6fcc742ad0a76b8588c7f8de2b54a60", created.Add(time.Hour)); err != nil {
		t.Errorf("eth key: %v", err)
	}
	if _, err := p.KeyAt("0x40cf9b7db6fcc742ad0a76b8588c7f8de2b54a60", created.Add(-time.Hour)); !errors.Is(err, ErrKeyNotValid) {
		t.Errorf("before created: %v", err)
	}
	// Bitcoin addresses are case-sensitive.
	if _, err := p.KeyAt("MGDWJVQ4RYAAP5GOUNAGTRMX7XW534S5AM", created); !errors.Is(err, ErrKeyNotValid) {
		t.Errorf("case-changed bitcoin address accepted: %v", err)
	}

	v2 := readProfile(t, "v2-testnet-issuer-profile.json")
	if v2.RevocationList == "" || len(v2.Keys) != 1 || v2.Keys[0].Address != "msBCHdwaQ7N2ypBYupkp6uNxtr9Pg76imj" {
		t.Errorf("v2 profile %+v", v2)
	}
	hy := readProfile(t, "hyland-issuer-profile-mocknet-merkleproof2019.json")
	if len(hy.VerificationMethods) != 1 || len(hy.Keys) != 1 {
		t.Errorf("hyland profile %+v", hy)
	}
	bc := readProfile(t, "issuer-blockcerts.json")
	if len(bc.VerificationMethods) == 0 {
		t.Errorf("issuer-blockcerts has no verification methods")
	}
}

func TestKeyWindows(t *testing.T) {
	doc := []byte(`{"id":"https://issuer.example/p.json","publicKey":[
	 {"id":"ecdsa-koblitz-pubkey:1AAA","created":"2020-01-01T00:00:00Z","revoked":"2021-01-01T00:00:00Z"},
	 {"id":"ecdsa-koblitz-pubkey:1BBB","created":"2020-01-01T00:00:00Z","expires":"2022-01-01T00:00:00Z"}]}`)
	p, err := ParseIssuerProfile(doc)
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time { tm, _ := time.Parse(time.RFC3339, s); return tm }
	cases := []struct {
		addr, when string
		ok         bool
	}{
		{"1AAA", "2020-06-01T00:00:00Z", true},
		{"1AAA", "2021-01-01T00:00:00Z", false},
		{"1AAA", "2019-12-31T23:59:59Z", false},
		{"1BBB", "2021-12-31T00:00:00Z", true},
		{"1BBB", "2022-06-01T00:00:00Z", false},
		{"1CCC", "2020-06-01T00:00:00Z", false},
	}
	for _, c := range cases {
		_, err := p.KeyAt(c.addr, at(c.when))
		if (err == nil) != c.ok {
			t.Errorf("KeyAt(%s, %s) = %v, want ok=%v", c.addr, c.when, err, c.ok)
		}
	}
	for _, bad := range []string{`{`, `{"publicKey":[]}`, `{"id":"x","publicKey":[{"id":"did:key:z"}]}`,
		`{"id":"x","publicKey":[{"id":"ecdsa-koblitz-pubkey:1A","created":"yesterday"}]}`,
		// Two key lists: which one holds would depend on the JSON reader.
		`{"id":"x","publicKey":[{"id":"ecdsa-koblitz-pubkey:1A","revoked":"2020-01-01T00:00:00Z"}],"publicKey":[{"id":"ecdsa-koblitz-pubkey:1A"}]}`,
		`{"id":"x"} {}`,
		`{"id":"x","name":"` + strings.Repeat("a", MaxProfileSize) + `"}`} {
		if _, err := ParseIssuerProfile([]byte(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseIssuerProfile(%s) = %v", bad, err)
		}
	}
}

func FuzzParseIssuerProfile(f *testing.F) {
	f.Add([]byte(`{"id":"x","publicKey":[{"id":"ecdsa-koblitz-pubkey:1A","created":"2020-01-01T00:00:00Z"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseIssuerProfile(b)
		if err == nil {
			for _, k := range p.Keys {
				_, _ = p.KeyAt(k.Address, time.Now())
			}
		}
	})
}
