package sdjwt

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/internal/jws"
	"github.com/badgeproof/badgeproof/keys"
)

func fuzzKeys(f *testing.F) (issuer, holder *keys.PrivateKey) {
	ik, err := keys.NewPrivateKey(keys.Ed25519, make([]byte, 32))
	if err != nil {
		f.Fatal(err)
	}
	seed := make([]byte, 32)
	seed[0] = 1
	hk, err := keys.NewPrivateKey(keys.Ed25519, seed)
	if err != nil {
		f.Fatal(err)
	}
	return ik, hk
}

// FuzzPresentation feeds whole SD-JWT presentations (JWT, disclosures,
// key binding JWT) to Parse, Claims and VerifyKeyBinding. Nothing may
// panic; the disclosure count and sizes stay within the limits; what
// Claims returns never holds _sd, _sd_alg or "...".
func FuzzPresentation(f *testing.F) {
	ik, hk := fuzzKeys(f)
	at := time.Unix(1780000000, 0)
	c := map[string]any{"iss": "did:example:i", "vct": "urn:v", "name": "n", "birthdate": "1998-04-01",
		"address": map[string]any{"street": "s", "city": "c"}}
	sd, err := Issue(ik, map[string]any{"typ": "dc+sd-jwt"}, c, []string{"birthdate", "address/street"}, 2)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sd)
	p, err := Present(sd, func(n string) bool { return n == "birthdate" })
	if err != nil {
		f.Fatal(err)
	}
	bound, err := KeyBind(p, hk, "aud", "nonce", at)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(bound)
	f.Add(p)
	f.Add("eyJhbGciOiJub25lIn0.e30.~")
	f.Add("~~~")
	f.Fuzz(func(t *testing.T, s string) {
		parsed, err := Parse(s)
		if len(s) > jws.MaxTokenBytes && !errors.Is(err, jws.ErrTooLarge) {
			t.Fatalf("%d bytes not refused as too large: %v", len(s), err)
		}
		if err != nil {
			return
		}
		if len(parsed.Disclosures) > MaxDisclosures {
			t.Fatalf("%d disclosures passed a limit of %d", len(parsed.Disclosures), MaxDisclosures)
		}
		for _, d := range parsed.Disclosures {
			if len(d) > MaxDisclosureSize {
				t.Fatalf("a disclosure of %d bytes passed a limit of %d", len(d), MaxDisclosureSize)
			}
		}
		if claims, err := parsed.Claims(); err == nil {
			checkNoSDMembers(t, claims)
		}
		_, _ = parsed.VerifyKeyBinding(hk.Public(), jws.Algorithms(), "aud", "nonce", at, time.Minute)
	})
}

// FuzzClaims feeds an issuer-signed payload and two disclosures straight
// to Claims (no signature to get past), so that the fuzzer explores the
// digest walk: nothing panics, and the result carries no SD members.
func FuzzClaims(f *testing.F) {
	d1 := mkDisclosure("s1", "given_name", "Kim")
	d2 := mkDisclosure("s2", "KR")
	d3 := mkDisclosure("s3", "address", map[string]any{"_sd": []string{Digest(d1)}})
	f.Add([]byte(fmt.Sprintf(`{"_sd_alg":"sha-256","_sd":[%q],"n":[{"...":%q}]}`, Digest(d1), Digest(d2))), d1, d2)
	f.Add([]byte(fmt.Sprintf(`{"_sd":[%q]}`, Digest(d3))), d3, d1)
	f.Add([]byte(`{"...":1}`), "", "")
	f.Add([]byte(`{"a":{"_sd":[1]}}`), d1, "")
	f.Fuzz(func(t *testing.T, payload []byte, a, b string) {
		s := &SDJWT{JWT: &jws.Token{Payload: payload}}
		for _, d := range []string{a, b} {
			if d != "" && len(d) <= MaxDisclosureSize {
				s.Disclosures = append(s.Disclosures, d)
			}
		}
		claims, err := s.Claims()
		if err != nil {
			return
		}
		checkNoSDMembers(t, claims)
	})
}

func checkNoSDMembers(t *testing.T, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "_sd" || k == "_sd_alg" || k == "..." {
				t.Fatalf("reconstructed claims hold %q", k)
			}
			checkNoSDMembers(t, e)
		}
	case []any:
		for _, e := range x {
			checkNoSDMembers(t, e)
		}
	}
}
