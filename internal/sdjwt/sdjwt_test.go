package sdjwt

import (
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/internal/jws"
	"github.com/badgeproof/badgeproof/keys"
)

var now = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

func key(t testing.TB, typ keys.Type) *keys.PrivateKey {
	t.Helper()
	k, err := keys.Generate(typ)
	require.NoError(t, err)
	return k
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func claims() map[string]any {
	return map[string]any{
		"iss": "did:example:issuer", "vct": "urn:example:badge",
		"name": "정보처리기사", "licenceNumber": "25201001234A", "birthdate": "1998-04-01",
		"address": map[string]any{"street": "세종대로 209", "city": "Seoul"},
	}
}

func issue(t *testing.T, signer crypto.Signer, disclose []string, decoys int) string {
	t.Helper()
	sd, err := Issue(signer, map[string]any{"typ": "dc+sd-jwt"}, claims(), disclose, decoys)
	require.NoError(t, err)
	return sd
}

// signed makes an SD-JWT whose issuer-signed payload is given as is, with
// the given disclosures, for the refusals Issue never produces.
func signed(t *testing.T, payload string, disclosures ...string) *SDJWT {
	t.Helper()
	tok, err := jws.Sign(key(t, keys.Ed25519), nil, []byte(payload))
	require.NoError(t, err)
	s, err := Parse(tok + "~" + strings.Join(append(disclosures, ""), "~"))
	require.NoError(t, err)
	return s
}

func mkDisclosure(parts ...any) string {
	b, _ := json.Marshal(parts)
	return base64.RawURLEncoding.EncodeToString(b)
}

func TestIssueClaimsRoundTrip(t *testing.T) {
	ik := key(t, keys.P256)
	sd := issue(t, ik, []string{"licenceNumber", "birthdate", "address/street"}, 4)
	s, err := Parse(sd)
	require.NoError(t, err)
	require.Len(t, s.Disclosures, 3)
	require.Nil(t, s.KB)
	require.NoError(t, s.JWT.Verify(ik.Public(), jws.Algorithms()))

	// The signed payload hides the disclosable claims and carries decoys.
	var payload map[string]any
	require.NoError(t, json.Unmarshal(s.JWT.Payload, &payload))
	require.NotContains(t, payload, "licenceNumber")
	require.NotContains(t, payload, "birthdate")
	require.Equal(t, HashAlg, payload["_sd_alg"])
	require.Len(t, payload["_sd"], 2+4)
	addr := payload["address"].(map[string]any)
	require.NotContains(t, addr, "street")
	require.Len(t, addr["_sd"], 1+4)
	sdList := payload["_sd"].([]any)
	require.True(t, sort.SliceIsSorted(sdList, func(i, j int) bool { return sdList[i].(string) < sdList[j].(string) }), "digests are sorted")

	// With every disclosure the claims are the original ones.
	got, err := s.Claims()
	require.NoError(t, err)
	require.Equal(t, claims(), got)

	names, err := DisclosedNames(sd)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"licenceNumber", "birthdate", "street"}, names)

	// A subset: only what is kept comes back.
	p, err := Present(sd, func(n string) bool { return n == "birthdate" })
	require.NoError(t, err)
	s, err = Parse(p)
	require.NoError(t, err)
	got, err = s.Claims()
	require.NoError(t, err)
	require.Equal(t, "1998-04-01", got["birthdate"])
	require.NotContains(t, got, "licenceNumber")
	require.Equal(t, map[string]any{"city": "Seoul"}, got["address"])
	require.Equal(t, "정보처리기사", got["name"], "an always-disclosed claim")

	// Nothing disclosable: no _sd_alg, no _sd.
	plain := issue(t, ik, nil, 0)
	s, err = Parse(plain)
	require.NoError(t, err)
	require.NotContains(t, string(s.JWT.Payload), "_sd")
}

func TestIssueRefusals(t *testing.T) {
	ik := key(t, keys.Ed25519)
	for name, c := range map[string]struct {
		disclose []string
		decoys   int
	}{
		"too many decoys":        {nil, 65},
		"negative decoys":        {nil, -1},
		"iss disclosable":        {[]string{"iss"}, 0},
		"vct disclosable":        {[]string{"vct"}, 0},
		"_sd disclosable":        {[]string{"address/_sd"}, 0},
		"no such claim":          {[]string{"email"}, 0},
		"parent is not object":   {[]string{"name/first"}, 0},
		"parent does not exist":  {[]string{"nothing/here"}, 0},
		"reserved name ...":      {[]string{"..."}, 0},
		"reserved name _sd_alg ": {[]string{"_sd_alg"}, 0},
	} {
		_, err := Issue(ik, nil, claims(), c.disclose, c.decoys)
		require.Error(t, err, name)
	}
	// A nested member named like a registered claim may be disclosable.
	c := claims()
	c["address"].(map[string]any)["exp"] = "not the JWT's exp"
	_, err := Issue(ik, nil, c, []string{"address/exp"}, 0)
	require.NoError(t, err)
}

// Parse's bounds come before any decoding.
func TestParseLimits(t *testing.T) {
	_, err := Parse(strings.Repeat("!", jws.MaxTokenBytes+1) + "~")
	require.ErrorIs(t, err, jws.ErrTooLarge)

	// Too many disclosures: refused by counting, before the JWT (here not
	// even base64url) is looked at.
	_, err = Parse("!!!" + strings.Repeat("~d", MaxDisclosures+1) + "~")
	require.ErrorIs(t, err, ErrMalformed)
	require.NotErrorIs(t, err, jws.ErrMalformed)

	ik := key(t, keys.Ed25519)
	tok, err := jws.Sign(ik, nil, []byte(`{}`))
	require.NoError(t, err)
	_, err = Parse(tok + strings.Repeat("~"+b64("x"), MaxDisclosures) + "~")
	require.NoError(t, err, "exactly the limit")

	big := strings.Repeat("A", MaxDisclosureSize+1)
	_, err = Parse(tok + "~" + big + "~")
	require.ErrorIs(t, err, ErrMalformed)

	_, err = Parse(tok)
	require.ErrorIs(t, err, ErrMalformed, "no ~: a plain JWT")
	_, err = Parse(tok + "~~")
	require.ErrorIs(t, err, ErrMalformed, "an empty disclosure")
	_, err = Parse("eyJhbGciOiJub25lIn0.e30.~")
	require.ErrorIs(t, err, jws.ErrAlgNone)
	_, err = Parse(tok + "~" + "eyJhbGciOiJIUzI1NiJ9.e30.AQID")
	require.ErrorIs(t, err, jws.ErrAlgHMAC, "an HMAC key binding JWT")
	bigKB := b64(`{"alg":"EdDSA"}`) + "." + strings.Repeat("A", 100<<10) + ".AQID"
	_, err = Parse(tok + "~" + bigKB)
	require.ErrorIs(t, err, jws.ErrTooLarge, "a key binding JWT's payload is small")
}

// Every refusal of Claims, each with its error.
func TestClaimsRefusals(t *testing.T) {
	d := mkDisclosure("salt", "given_name", "Kim")
	dArr := mkDisclosure("salt", "KR")
	cases := []struct {
		name    string
		payload string
		discs   []string
		want    error
	}{
		{"_sd_alg sha-512", `{"_sd_alg":"sha-512","_sd":[]}`, nil, ErrMalformed},
		{"_sd_alg not a string", `{"_sd_alg":1}`, nil, ErrMalformed},
		{"payload an array", `[1]`, nil, ErrMalformed},
		{"payload duplicate keys", `{"a":1,"a":2}`, nil, ErrMalformed},
		{"disclosure not base64url", `{"_sd":[]}`, []string{"e30="}, ErrMalformed},
		{"disclosure not an array", `{"_sd":[]}`, []string{b64(`{"a":1}`)}, ErrMalformed},
		{"disclosure of 1 element", `{"_sd":[]}`, []string{mkDisclosure("salt")}, ErrMalformed},
		{"disclosure of 4 elements", `{"_sd":[]}`, []string{mkDisclosure("s", "n", 1, 2)}, ErrMalformed},
		{"salt not a string", `{"_sd":[]}`, []string{mkDisclosure(1, "n", 1)}, ErrMalformed},
		{"array salt not a string", `{"_sd":[]}`, []string{mkDisclosure(1, "v")}, ErrMalformed},
		{"name not a string", `{"_sd":[]}`, []string{mkDisclosure("s", 1, 1)}, ErrMalformed},
		{"name _sd", `{"_sd":[]}`, []string{mkDisclosure("s", "_sd", 1)}, ErrMalformed},
		{"name ...", `{"_sd":[]}`, []string{mkDisclosure("s", "...", 1)}, ErrMalformed},
		{"disclosure duplicate keys", `{"_sd":[]}`, []string{b64(`["s","n",{"a":1,"a":2}]`)}, ErrMalformed},
		{"disclosure nested too deep", `{"_sd":[]}`, []string{b64(`["s","n",` + strings.Repeat("[", 20) + strings.Repeat("]", 20) + `]`)}, ErrMalformed},
		{"same disclosure twice", fmt.Sprintf(`{"_sd":[%q]}`, Digest(d)), []string{d, d}, ErrDisclosure},
		{"disclosure not referenced", `{"_sd":["` + Digest("other") + `"]}`, []string{d}, ErrDisclosure},
		{"digest twice", fmt.Sprintf(`{"_sd":[%q,%q]}`, Digest(d), Digest(d)), []string{d}, ErrDisclosure},
		{"digest twice in two objects", fmt.Sprintf(`{"_sd":[%q],"a":{"_sd":[%q]}}`, Digest(d), Digest(d)), []string{d}, ErrDisclosure},
		{"claim already exists", fmt.Sprintf(`{"given_name":"Lee","_sd":[%q]}`, Digest(d)), []string{d}, ErrDisclosure},
		{"array disclosure in an object", fmt.Sprintf(`{"_sd":[%q]}`, Digest(dArr)), []string{dArr}, ErrDisclosure},
		{"object disclosure in an array", fmt.Sprintf(`{"n":[{"...":%q}]}`, Digest(d)), []string{d}, ErrDisclosure},
		{"... outside an array", `{"...":"x"}`, nil, ErrMalformed},
		{"_sd not an array", `{"_sd":"x"}`, nil, ErrMalformed},
		{"digest not a string", `{"_sd":[1]}`, nil, ErrMalformed},
		{"array digest not a string", `{"n":[{"...":1}]}`, nil, ErrMalformed},
		{"nested too deep", `{"a":` + strings.Repeat(`{"a":`, 20) + `1` + strings.Repeat(`}`, 21), nil, ErrMalformed},
		{"too many digests", manyDigests(maxDigests + 1), nil, ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := signed(t, c.payload, c.discs...).Claims()
			require.ErrorIs(t, err, c.want)
		})
	}
}

// Array element disclosures ({"...": digest}) and a disclosure nested in a
// disclosed value are put back where they belong.
func TestClaimsArrayAndNested(t *testing.T) {
	kr := mkDisclosure("s1", "KR")
	street := mkDisclosure("s2", "street", "세종대로")
	addr := mkDisclosure("s3", "address", map[string]any{"_sd": []string{Digest(street)}, "city": "Seoul"})
	payload := fmt.Sprintf(`{"nationalities":[{"...":%q},"US",{"...":%q}],"_sd":[%q],"n":1.50}`, Digest(kr), Digest("decoy"), Digest(addr))
	got, err := signed(t, payload, kr, street, addr).Claims()
	require.NoError(t, err)
	require.Equal(t, []any{"KR", "US"}, got["nationalities"], "the undisclosed element is dropped")
	require.Equal(t, map[string]any{"street": "세종대로", "city": "Seoul"}, got["address"])
	require.Equal(t, json.Number("1.50"), got["n"], "numbers are kept as written")

	// Without the parent's disclosure, the nested one is not referenced.
	_, err = signed(t, payload, kr, street).Claims()
	require.ErrorIs(t, err, ErrDisclosure)
}

// A changed disclosure no longer matches any digest.
func TestChangedDisclosureFails(t *testing.T) {
	sd := issue(t, key(t, keys.Ed25519), []string{"licenceNumber"}, 0)
	s, err := Parse(sd)
	require.NoError(t, err)
	raw, err := base64.RawURLEncoding.DecodeString(s.Disclosures[0])
	require.NoError(t, err)
	changed := strings.Replace(string(raw), "25201001234A", "25201009999A", 1)
	require.NotEqual(t, string(raw), changed)
	s.Disclosures[0] = b64(changed)
	_, err = s.Claims()
	require.ErrorIs(t, err, ErrDisclosure)
}

func TestKeyBinding(t *testing.T) {
	ik, hk := key(t, keys.P256), key(t, keys.Ed25519)
	sd := issue(t, ik, []string{"licenceNumber", "birthdate"}, 2)
	p, err := Present(sd, func(n string) bool { return n == "licenceNumber" })
	require.NoError(t, err)
	bound, err := KeyBind(p, hk, "https://hr.example", "n-1", now)
	require.NoError(t, err)
	verify := func(pres string, holder crypto.PublicKey, algs []string, aud, nonce string, at time.Time) error {
		s, err := Parse(pres)
		require.NoError(t, err)
		_, err = s.VerifyKeyBinding(holder, algs, aud, nonce, at, 5*time.Minute)
		return err
	}
	s, err := Parse(bound)
	require.NoError(t, err)
	kc, err := s.VerifyKeyBinding(hk.Public(), jws.Algorithms(), "https://hr.example", "n-1", now.Add(time.Minute), 5*time.Minute)
	require.NoError(t, err)
	require.Equal(t, "n-1", kc.Nonce)
	require.Equal(t, now.Unix(), kc.IAT)

	require.ErrorIs(t, verify(p, hk.Public(), jws.Algorithms(), "https://hr.example", "n-1", now), ErrKeyBinding, "no KB-JWT")
	require.ErrorIs(t, verify(bound, ik.Public(), jws.Algorithms(), "https://hr.example", "n-1", now), ErrKeyBinding, "another key")
	err = verify(bound, hk.Public(), []string{jws.ES256}, "https://hr.example", "n-1", now)
	require.ErrorIs(t, err, ErrKeyBinding)
	require.ErrorIs(t, err, jws.ErrAlgNotAllowed)
	require.ErrorIs(t, verify(bound, hk.Public(), jws.Algorithms(), "https://hr.example", "n-2", now), ErrNonce, "wrong nonce")
	require.ErrorIs(t, verify(bound, hk.Public(), jws.Algorithms(), "https://other.example", "n-1", now), ErrNonce, "wrong audience")
	err = verify(bound, hk.Public(), jws.Algorithms(), "https://hr.example", "n-1", now.Add(6*time.Minute))
	require.ErrorIs(t, err, ErrKeyBinding, "too old")
	require.NotErrorIs(t, err, ErrNonce)
	require.ErrorIs(t, verify(bound, hk.Public(), jws.Algorithms(), "https://hr.example", "n-1", now.Add(-6*time.Minute)), ErrKeyBinding, "in the future")

	// A disclosure added after the holder bound the presentation.
	all, err := Parse(sd)
	require.NoError(t, err)
	kb := bound[strings.LastIndex(bound, "~")+1:]
	added := strings.Join(append([]string{strings.Split(sd, "~")[0]}, all.Disclosures...), "~") + "~" + kb
	require.ErrorIs(t, verify(added, hk.Public(), jws.Algorithms(), "https://hr.example", "n-1", now), ErrKeyBinding)

	// A KB-JWT of the wrong typ, and one without iat.
	wrongTyp, err := jws.Sign(hk, map[string]any{"typ": "JWT"}, []byte(`{"iat":1,"aud":"a","nonce":"n","sd_hash":"x"}`))
	require.NoError(t, err)
	require.ErrorIs(t, verify(p+wrongTyp, hk.Public(), jws.Algorithms(), "a", "n", now), ErrKeyBinding)
	sum := Digest(p)
	noIAT, err := jws.Sign(hk, map[string]any{"typ": KBType}, []byte(`{"aud":"a","nonce":"n","sd_hash":"`+sum+`"}`))
	require.NoError(t, err)
	err = verify(p+noIAT, hk.Public(), jws.Algorithms(), "a", "n", now)
	require.ErrorIs(t, err, ErrKeyBinding)
	require.Contains(t, err.Error(), "no iat")
	notJSON, err := jws.Sign(hk, map[string]any{"typ": KBType}, []byte(`[]`))
	require.NoError(t, err)
	require.ErrorIs(t, verify(p+notJSON, hk.Public(), jws.Algorithms(), "a", "n", now), ErrKeyBinding)

	_, err = KeyBind(strings.TrimSuffix(p, "~"), hk, "a", "n", now)
	require.ErrorIs(t, err, ErrMalformed, "a presentation to bind ends with ~")

	// Present drops an existing key binding JWT.
	again, err := Present(bound, func(string) bool { return true })
	require.NoError(t, err)
	require.Equal(t, p, again)
}

func TestDigest(t *testing.T) {
	// base64url(SHA-256("")) without padding.
	require.Equal(t, "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU", Digest(""))
	require.False(t, errors.Is(ErrDisclosure, ErrMalformed))
}

func manyDigests(n int) string {
	d := make([]string, n)
	for i := range d {
		d[i] = fmt.Sprintf("%q", Digest(fmt.Sprint(i)))
	}
	return `{"_sd":[` + strings.Join(d, ",") + `]}`
}

// Exactly maxDigests digests are accepted.
func TestClaimsDigestLimit(t *testing.T) {
	_, err := signed(t, manyDigests(maxDigests)).Claims()
	require.NoError(t, err)
}
