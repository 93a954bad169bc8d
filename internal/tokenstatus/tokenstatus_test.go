package tokenstatus

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/internal/jws"
	"github.com/badgeproof/badgeproof/keys"
)

// vector reads a copy of the Token Status List draft's examples
// (testdata/vectors/token-status-list, see SOURCES.md there).
func vector(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "vectors", "token-status-list", name))
	require.NoError(t, err)
	return string(b)
}

// statusListJSON takes the JSON object out of an example file: the text
// from the first "{", with the long lst the draft wraps over several lines
// joined again (the wrapping is the draft's layout, not part of the value).
func statusListJSON(t testing.TB, text string) []byte {
	t.Helper()
	i := strings.Index(text, "{")
	require.GreaterOrEqual(t, i, 0)
	obj := text[i:]
	obj = regexp.MustCompile(`\n  ([A-Za-z0-9_-]+)`).ReplaceAllString(obj, "$1")
	obj = regexp.MustCompile(`([A-Za-z0-9_-])\n  ([A-Za-z0-9_-])`).ReplaceAllString(obj, "$1$2")
	return []byte(obj)
}

// The draft's two small examples (§4.1): the byte arrays and every status.
func TestSpecSmallExamples(t *testing.T) {
	cases := []struct {
		file     string
		bits     int
		bytes    []byte
		statuses []int
	}{
		{"status_list_encoding_json.md", 1, []byte{0xb9, 0xa3}, []int{1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1}},
		{"status_list_encoding2_json.md", 2, []byte{0xc9, 0x44, 0xf9}, []int{1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3}},
	}
	for _, c := range cases {
		text := vector(t, c.file)
		// The file states the byte array too; the test's copy must agree.
		require.Contains(t, strings.ToLower(text), strings.ToLower(byteArray(c.bytes)))
		l, err := Decode(statusListJSON(t, text))
		require.NoError(t, err, c.file)
		require.Equal(t, c.bits, l.Bits)
		require.Equal(t, c.bytes, l.Bytes())
		require.Equal(t, len(c.bytes)*8/c.bits, l.Len())
		for i, want := range c.statuses {
			got, err := l.Get(i)
			require.NoError(t, err)
			require.Equal(t, want, got, "%s status[%d]", c.file, i)
		}
		_, err = l.Get(l.Len())
		require.ErrorIs(t, err, ErrOutOfRange)

		// Built with New and Set, the same list encodes to something that
		// decodes to the same bytes.
		built, err := New(c.bits, len(c.statuses))
		require.NoError(t, err)
		for i, s := range c.statuses {
			require.NoError(t, built.Set(i, s))
		}
		require.Equal(t, c.bytes, built.Bytes())
		enc, err := built.MarshalJSON()
		require.NoError(t, err)
		back, err := Decode(enc)
		require.NoError(t, err)
		require.Equal(t, c.bytes, back.Bytes())
	}
}

func byteArray(b []byte) string {
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%#02x", x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// The draft's test vectors (§ Test vectors): lists of 2^20 entries with the
// given statuses set and every other one VALID.
func TestSpecLongVectors(t *testing.T) {
	cases := []struct {
		file string
		bits int
		set  map[int]int
	}{
		{"status_list_encoding1_long_json.md", 1, map[int]int{0: 1, 1993: 1, 25460: 1, 159495: 1, 495669: 1, 554353: 1, 645645: 1, 723232: 1, 854545: 1, 934534: 1, 1000345: 1}},
		{"status_list_encoding2_long_json.md", 2, map[int]int{0: 1, 1993: 2, 25460: 1, 159495: 3, 495669: 1, 554353: 1, 645645: 2, 723232: 1, 854545: 1, 934534: 2, 1000345: 3}},
		{"status_list_encoding4_json.md", 4, map[int]int{0: 1, 1993: 2, 35460: 3, 459495: 4, 595669: 5, 754353: 6, 845645: 7, 923232: 8, 924445: 9, 934534: 10, 1004534: 11, 1000345: 12, 1030203: 13, 1030204: 14, 1030205: 15}},
	}
	for _, c := range cases {
		l, err := Decode(statusListJSON(t, vector(t, c.file)))
		require.NoError(t, err, c.file)
		require.Equal(t, c.bits, l.Bits)
		require.Equal(t, 1<<20, l.Len(), c.file)
		nonzero := 0
		for i := 0; i < l.Len(); i++ {
			v, err := l.Get(i)
			require.NoError(t, err)
			if v != 0 {
				nonzero++
				require.Equal(t, c.set[i], v, "%s status[%d]", c.file, i)
			}
		}
		require.Equal(t, len(c.set), nonzero, "%s: exactly the listed statuses are set", c.file)
	}
	// The 8-bit vector sets 256 random statuses (seeded): it decodes to 2^20 entries.
	l, err := Decode(statusListJSON(t, vector(t, "status_list_encoding8_json.md")))
	require.NoError(t, err)
	require.Equal(t, 8, l.Bits)
	require.Equal(t, 1<<20, l.Len())
}

// The draft's example status list token (§5.1) verifies with the draft's
// example key and reads as the 1-bit example list.
func TestSpecStatusListToken(t *testing.T) {
	raw := strings.ReplaceAll(strings.TrimSpace(vector(t, "status_list_jwt_raw.md")), "\n", "")
	util := vector(t, "util.py")
	x := regexp.MustCompile(`"x": "([^"]+)"`).FindStringSubmatch(util)[1]
	y := regexp.MustCompile(`"y": "([^"]+)"`).FindStringSubmatch(util)[1]
	pub, err := jws.ParsePublicJWK([]byte(`{"kty":"EC","crv":"P-256","x":"` + x + `","y":"` + y + `"}`))
	require.NoError(t, err)

	tok, err := jws.Parse(raw, 0)
	require.NoError(t, err)
	require.Equal(t, TokenType, tok.Header.Typ)
	require.Equal(t, "12", tok.Header.Kid)
	require.NoError(t, tok.Verify(pub, []string{jws.ES256}))

	c, l, err := ParseClaims(tok.Payload)
	require.NoError(t, err)
	require.Equal(t, "https://example.com/statuslists/1", c.Sub)
	require.Equal(t, int64(1686920170), c.IAT)
	require.Equal(t, int64(2291720170), c.Exp)
	require.Equal(t, int64(43200), c.TTL)
	require.Equal(t, []byte{0xb9, 0xa3}, l.Bytes())
	v, err := l.Get(0)
	require.NoError(t, err)
	require.Equal(t, Invalid, v)

	// Another key does not verify it; a changed payload does not either.
	other, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	require.ErrorIs(t, tok.Verify(other.Public(), []string{jws.ES256}), jws.ErrBadSignature)
	parts := strings.Split(raw, ".")
	changed := strings.Replace(string(tok.Payload), `"ttl":43200`, `"ttl":43201`, 1)
	require.NotEqual(t, string(tok.Payload), changed)
	forged, err := jws.Parse(parts[0]+"."+base64.RawURLEncoding.EncodeToString([]byte(changed))+"."+parts[2], 0)
	require.NoError(t, err)
	require.ErrorIs(t, forged.Verify(pub, []string{jws.ES256}), jws.ErrBadSignature)
}

func TestNewSetGet(t *testing.T) {
	for _, bits := range []int{1, 2, 4, 8} {
		l, err := New(bits, 100)
		require.NoError(t, err)
		require.GreaterOrEqual(t, l.Len(), 100)
		max := 1<<bits - 1
		require.NoError(t, l.Set(99, max))
		require.NoError(t, l.Set(0, 1))
		v, err := l.Get(99)
		require.NoError(t, err)
		require.Equal(t, max, v)
		v, err = l.Get(98)
		require.NoError(t, err)
		require.Equal(t, 0, v, "a neighbour is untouched")
		require.ErrorIs(t, l.Set(1, max+1), ErrMalformed, "a status wider than bits")
		require.ErrorIs(t, l.Set(1, -1), ErrMalformed)
		require.ErrorIs(t, l.Set(-1, 0), ErrOutOfRange)
		require.ErrorIs(t, l.Set(l.Len(), 0), ErrOutOfRange)
		_, err = l.Get(-1)
		require.ErrorIs(t, err, ErrOutOfRange)
		require.NoError(t, l.Set(99, Valid))
		v, _ = l.Get(99)
		require.Equal(t, Valid, v, "set back to valid")
	}
	for name, c := range map[string][2]int{
		"bits 3": {3, 10}, "bits 0": {0, 10}, "bits 16": {16, 10},
		"size 0": {1, 0}, "negative size": {1, -5},
		"too large":        {8, MaxBytes + 1},
		"overflowing size": {8, math.MaxInt / 4},
	} {
		_, err := New(c[0], c[1])
		require.ErrorIs(t, err, ErrMalformed, name)
	}
	_, err := New(1, MaxBytes*8)
	require.NoError(t, err, "the largest list")
}

func zlibOf(t testing.TB, data []byte) string {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	_, err := w.Write(data)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// Every refusal of Decode.
func TestDecodeRefusals(t *testing.T) {
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestCompression)
	fw.Write([]byte{1, 2, 3})
	fw.Close()
	good := zlibOf(t, []byte{1, 2, 3})
	bomb := zlibOf(t, make([]byte, MaxBytes+1))
	require.Less(t, len(bomb), 64<<10, "a ZLIB bomb is small on the wire")
	for name, raw := range map[string]string{
		"not JSON":             `bits=1`,
		"an array":             `[1]`,
		"duplicate bits":       `{"bits":1,"bits":8,"lst":"` + good + `"}`,
		"bits 3":               `{"bits":3,"lst":"` + good + `"}`,
		"no bits":              `{"lst":"` + good + `"}`,
		"bits a string":        `{"bits":"1","lst":"` + good + `"}`,
		"lst padded":           `{"bits":1,"lst":"` + good + `=="}`,
		"lst standard base64":  `{"bits":1,"lst":"eNrbuRgAAhcBXQ+/"}`,
		"lst raw deflate":      `{"bits":1,"lst":"` + base64.RawURLEncoding.EncodeToString(deflated.Bytes()) + `"}`,
		"lst gzip-like":        `{"bits":1,"lst":"H4sIAAAAAAAA"}`,
		"lst truncated":        `{"bits":1,"lst":"` + good[:len(good)-4] + `"}`,
		"lst empty list":       `{"bits":1,"lst":"` + zlibOf(t, nil) + `"}`,
		"lst a bomb":           `{"bits":1,"lst":"` + bomb + `"}`,
		"lst too long to read": `{"bits":1,"lst":"` + strings.Repeat("A", maxCompressed+1) + `"}`,
		"nested too deep":      `{"bits":1,"lst":"` + good + `","x":` + strings.Repeat("[", 20) + strings.Repeat("]", 20) + `}`,
	} {
		_, err := Decode([]byte(raw))
		require.ErrorIs(t, err, ErrMalformed, name)
	}
	l, err := Decode([]byte(`{"bits":8,"lst":"` + good + `","aggregation_uri":"https://example.com/a"}`))
	require.NoError(t, err)
	require.Equal(t, []byte{1, 2, 3}, l.Bytes())
	// The largest list is accepted.
	l, err = Decode([]byte(`{"bits":1,"lst":"` + zlibOf(t, make([]byte, MaxBytes)) + `"}`))
	require.NoError(t, err)
	require.Equal(t, MaxBytes*8, l.Len())
}

func TestParseReference(t *testing.T) {
	ref, ok, err := ParseReference(json.RawMessage(`{"status_list":{"idx":0,"uri":"https://example.com/statuslists/1"}}`))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, Reference{Idx: 0, URI: "https://example.com/statuslists/1"}, ref)

	_, ok, err = ParseReference(json.RawMessage(`{"other_mechanism":{}}`))
	require.NoError(t, err)
	require.False(t, ok, "another mechanism")

	for name, raw := range map[string]string{
		"not JSON":            `status`,
		"status an array":     `[1]`,
		"no idx":              `{"status_list":{"uri":"https://x"}}`,
		"negative idx":        `{"status_list":{"idx":-1,"uri":"https://x"}}`,
		"fractional idx":      `{"status_list":{"idx":1.5,"uri":"https://x"}}`,
		"idx a string":        `{"status_list":{"idx":"1","uri":"https://x"}}`,
		"no uri":              `{"status_list":{"idx":1}}`,
		"duplicate idx":       `{"status_list":{"idx":1,"idx":2,"uri":"https://x"}}`,
		"duplicate list":      `{"status_list":{"idx":1,"uri":"https://x"},"status_list":{"idx":2,"uri":"https://y"}}`,
		"status_list a value": `{"status_list":7}`,
	} {
		_, _, err := ParseReference(json.RawMessage(raw))
		require.ErrorIs(t, err, ErrMalformed, name)
	}
}

func TestParseClaimsRefusals(t *testing.T) {
	list := `{"bits":1,"lst":"eNrbuRgAAhcBXQ"}`
	c, l, err := ParseClaims([]byte(`{"sub":"https://x/1","iat":1,"ttl":60,"status_list":` + list + `}`))
	require.NoError(t, err)
	require.Equal(t, int64(60), c.TTL)
	require.Equal(t, 16, l.Len())
	for name, raw := range map[string]string{
		"not JSON":          `x`,
		"no sub":            `{"iat":1,"status_list":` + list + `}`,
		"no iat":            `{"sub":"https://x/1","status_list":` + list + `}`,
		"no status_list":    `{"sub":"https://x/1","iat":1}`,
		"negative ttl":      `{"sub":"https://x/1","iat":1,"ttl":-1,"status_list":` + list + `}`,
		"bad list":          `{"sub":"https://x/1","iat":1,"status_list":{"bits":5,"lst":"eNrbuRgAAhcBXQ"}}`,
		"duplicate sub":     `{"sub":"https://x/1","sub":"https://x/2","iat":1,"status_list":` + list + `}`,
		"exp not a number":  `{"sub":"https://x/1","iat":1,"exp":"soon","status_list":` + list + `}`,
		"huge iat (I-JSON)": `{"sub":"https://x/1","iat":123456789012345678901,"status_list":` + list + `}`,
	} {
		_, _, err := ParseClaims([]byte(raw))
		require.ErrorIs(t, err, ErrMalformed, name)
	}
}
