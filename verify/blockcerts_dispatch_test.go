package verify

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// The Blockcerts v2 dispatch reads a certificate from its one strict
// decoding: whether it is a v2 certificate, whether its @context is a
// Blockcerts one, and its fields. Each must read as json.Unmarshal reads the
// bytes (names matched under case folding, null leaving a field as it is, a
// value of the wrong shape refused), since that is what decided before.
func TestBlockcertsV2DecodingReadsAsUnmarshal(t *testing.T) {
	v := newVerifier(t, WithOffline())
	for name, doc := range blockcertsV2Variants(t) {
		data := []byte(doc)
		d := v.blockcertsV2Candidate(data)
		if d == nil {
			if isBlockcertsV2(data) {
				t.Errorf("%s: no candidate, but a v2 certificate", name)
			}
			continue
		}
		if got, want := d.isV2(), isBlockcertsV2(data); got != want {
			t.Errorf("%s: read as v2 %v from the decoding, %v by json.Unmarshal", name, got, want)
		}
		if got, want := d.hasBlockcertsContext(data), hasBlockcertsContext(data); got != want {
			t.Errorf("%s: Blockcerts @context %v from the decoding, %v by json.Unmarshal", name, got, want)
		}
		dec, err := d.decode()
		if err != nil {
			continue
		}
		c1, b1, err1 := readBlockcertsV2(data, dec)
		c2, b2, err2 := readBlockcertsV2(data, nil)
		if fmt.Sprint(err1) != fmt.Sprint(err2) || !reflect.DeepEqual(c1, c2) || !reflect.DeepEqual(b1, b2) {
			t.Errorf("%s: read from the decoding as %+v %+v (%v), by json.Unmarshal as %+v %+v (%v)", name, c1, b1, err1, c2, b2, err2)
		}
	}
}

// blockcertsV2Variants edits a v2 certificate: names spelt in other cases
// (and with characters that fold to ASCII letters), given twice, values of
// other shapes.
func blockcertsV2Variants(t *testing.T) map[string]string {
	src := string(readVector(t, "blockcerts/v2/mocknet-valid-2.0.json"))
	out := map[string]string{"original": src}
	nth := func(s, old, new string, n int) (string, bool) {
		i := 0
		for k := 0; ; k++ {
			j := strings.Index(s[i:], old)
			if j < 0 {
				return s, false
			}
			i += j
			if k == n {
				return s[:i] + new + s[i+len(old):], true
			}
			i += len(old)
		}
	}
	values := []string{"null", "5", "true", "[]", "{}", `["x"]`, "[null]", "[5]", `"x"`,
		`["MerkleProof2017", null]`, `"MerkleProof2017"`, `["Assertion", 5]`, `"Assertion"`,
		`{"type": "MerkleProof2017"}`, `["https://w3id.org/blockcerts/v2"]`, `"https://w3id.org/blockcerts/v2"`,
		`"2017-06-29T14:58:57Z"`, `{"id": "x"}`, `{"id": 5}`, `"\u004derkleProof2017"`}
	for _, k := range []string{"signature", "type", "id", "issuedOn", "expires", "badge", "issuer", "name",
		"revocationList", "recipient", "identity", "recipientProfile", "verification", "publicKey", "@context"} {
		q := `"` + k + `"`
		names := map[string]string{
			"upper":  strings.ToUpper(k),
			"title":  strings.ToUpper(k[:1]) + k[1:],
			"escape": fmt.Sprintf(`\u%04x`, k[0]) + k[1:],
			"kelvin": strings.ReplaceAll(strings.ReplaceAll(k, "k", "\u212a"), "K", "\u212a"),
			"long-s": strings.ReplaceAll(k, "s", "\u017f"),
		}
		for n := range 2 {
			for i, val := range values {
				if s, ok := nth(src, q+": ", q+": "+val+`, "other`+k+`": `, n); ok {
					out[fmt.Sprintf("%s#%d=value%d", k, n, i)] = s
				}
			}
			for how, name := range names {
				if s, ok := nth(src, q, `"`+name+`"`, n); ok {
					out[fmt.Sprintf("%s#%d=%s", k, n, how)] = s
				}
				if s, ok := nth(src, q+": ", `"`+name+`": null, `+q+": ", n); ok {
					out[fmt.Sprintf("%s#%d=twice-%s", k, n, how)] = s
				}
			}
		}
	}
	out["array"] = "[" + src + "]"
	out["trailing"] = src + " x"
	out["signature-string"] = strings.Replace(src, `"signature": {`, `"signature": "MerkleProof2017", "other": {`, 1)
	return out
}

// The fields read from the decoding are copies: a Report kept for long
// does not keep the whole certificate's decoding alive.
func TestBlockcertsV2FieldsDoNotShareTheDecoding(t *testing.T) {
	v := newVerifier(t, WithOffline())
	data := readVector(t, "blockcerts/v2/mocknet-valid-2.0.json")
	d := v.blockcertsV2Candidate(data)
	dec, err := d.decode()
	if err != nil {
		t.Fatal(err)
	}
	c, b, err := readBlockcertsV2(data, dec)
	if err != nil {
		t.Fatal(err)
	}
	m := dec.Value.(map[string]any)
	id := m["id"].(string)
	issuer := m["badge"].(map[string]any)["issuer"].(map[string]any)["id"].(string)
	if unsafe.StringData(c.ID) == unsafe.StringData(id) || unsafe.StringData(b.ID) == unsafe.StringData(id) ||
		unsafe.StringData(c.Issuer.ID) == unsafe.StringData(issuer) {
		t.Error("the certificate's fields are slices of its decoding")
	}
}
