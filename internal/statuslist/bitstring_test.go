package statuslist

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/multiformats/go-multibase"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var vectorPath = filepath.Join("..", "..", "testdata", "vectors", "bitstring-status-list", "bitstring-status-list-vectors.extracted.json")

type vectorFile struct {
	Official struct {
		EncodedList string `json:"encodedList"`
		Decoded     struct {
			UncompressedBytes int   `json:"uncompressedBytes"`
			BitLength         int   `json:"bitLength"`
			Set               []int `json:"setIndicesMsbFirst"`
		} `json:"decoded"`
		CredentialStatusExample json.RawMessage `json:"credentialStatusExample"`
		ListCredential          struct {
			CredentialSubject json.RawMessage `json:"credentialSubject"`
		} `json:"statusListCredentialExample"`
	} `json:"official_w3c_spec_example"`
	Impl map[string]json.RawMessage `json:"implementation_test_strings_NOT_OFFICIAL"`
}

type implVector struct {
	Value   string `json:"value"`
	Decoded struct {
		BitLength int   `json:"bitLength"`
		Set       []int `json:"setIndicesMsbFirst"`
	} `json:"decoded"`
}

func loadVectors(t testing.TB) vectorFile {
	t.Helper()
	data, err := os.ReadFile(vectorPath)
	require.NoError(t, err)
	var v vectorFile
	require.NoError(t, json.Unmarshal(data, &v))
	return v
}

func implVectors(t testing.TB, v vectorFile) map[string]implVector {
	t.Helper()
	out := map[string]implVector{}
	for name, raw := range v.Impl {
		if name[0] == '_' || name == "source" {
			continue
		}
		var iv implVector
		require.NoError(t, json.Unmarshal(raw, &iv), name)
		require.NotEmpty(t, iv.Value, name)
		out[name] = iv
	}
	require.Len(t, out, 3)
	return out
}

// setBits lists every set index by scanning the whole list.
func setBits(t *testing.T, s *Bitstring) []int {
	t.Helper()
	var out []int
	for i := 0; i < s.Len(); i++ {
		v, err := s.Get(i)
		require.NoError(t, err)
		if v {
			out = append(out, i)
		}
	}
	return out
}

func TestOfficialVector(t *testing.T) {
	v := loadVectors(t)
	s, err := Decode(v.Official.EncodedList)
	require.NoError(t, err)
	assert.Equal(t, v.Official.Decoded.BitLength, s.Len())
	assert.Equal(t, MinBits, s.Len())
	assert.Equal(t, v.Official.Decoded.Set, nonNil(setBits(t, s)))

	// The spec's example entry points into this list.
	e, err := ParseEntry(v.Official.CredentialStatusExample)
	require.NoError(t, err)
	revoked, err := s.Get(e.StatusListIndex)
	require.NoError(t, err)
	assert.False(t, revoked)

	subj, err := ParseListSubject(v.Official.ListCredential.CredentialSubject)
	require.NoError(t, err)
	assert.Equal(t, v.Official.EncodedList, subj.EncodedList)
	assert.True(t, subj.HasPurpose(e.StatusPurpose))
}

func nonNil(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}

func TestImplementationVectors(t *testing.T) {
	v := loadVectors(t)
	for name, iv := range implVectors(t, v) {
		t.Run(name, func(t *testing.T) {
			// 100,000 bits is below the specification's minimum.
			_, err := Decode(iv.Value)
			require.ErrorIs(t, err, ErrTooShort)

			s, err := DecodeAnyLength(iv.Value)
			require.NoError(t, err)
			assert.Equal(t, iv.Decoded.BitLength, s.Len())
			assert.Equal(t, nonNil(iv.Decoded.Set), nonNil(setBits(t, s)))
		})
	}
}

// TestBitOrder: the legacy list that claims "index 50000 revoked" sets the
// least significant bit of byte 6250; under the v1.0 rule it is index 50007.
func TestBitOrder(t *testing.T) {
	ivs := implVectors(t, loadVectors(t))
	legacy, err := DecodeAnyLength(ivs["legacyLsbFirst_mock_DO_NOT_USE_AS_POSITIVE"].Value)
	require.NoError(t, err)
	got, err := legacy.Get(50000)
	require.NoError(t, err)
	assert.False(t, got, "LSB-first list must not read as set at 50000")
	got, err = legacy.Get(50007)
	require.NoError(t, err)
	assert.True(t, got)

	msb, err := DecodeAnyLength(ivs["encodedList100KWith50KthRevoked"].Value)
	require.NoError(t, err)
	got, err = msb.Get(50000)
	require.NoError(t, err)
	assert.True(t, got)
	for _, i := range []int{49999, 50001, 50007} {
		got, err = msb.Get(i)
		require.NoError(t, err)
		assert.False(t, got, i)
	}
}

func TestRoundTrip(t *testing.T) {
	s, err := New(MinBits)
	require.NoError(t, err)
	set := []int{0, 7, 8, 50000, 94567, MinBits - 1}
	for _, i := range set {
		require.NoError(t, s.Set(i, true))
	}
	require.NoError(t, s.Set(7, false))
	enc, err := s.Encode()
	require.NoError(t, err)
	assert.Equal(t, byte('u'), enc[0])

	back, err := Decode(enc)
	require.NoError(t, err)
	assert.Equal(t, MinBits, back.Len())
	assert.Equal(t, []int{0, 8, 50000, 94567, MinBits - 1}, setBits(t, back))
	// Index 0 is the most significant bit of the first byte.
	assert.Equal(t, byte(0x80), back.b[0])
	assert.Equal(t, byte(0x80), back.b[1])
}

func TestNew(t *testing.T) {
	_, err := New(MinBits - 8)
	assert.ErrorIs(t, err, ErrTooShort)
	_, err = New(MinBits + 3)
	assert.Error(t, err)
	_, err = New(8*MaxBytes + 8)
	assert.ErrorIs(t, err, ErrTooLarge)
	s, err := New(2 * MinBits)
	require.NoError(t, err)
	assert.Equal(t, 2*MinBits, s.Len())
}

func TestRange(t *testing.T) {
	s, err := New(MinBits)
	require.NoError(t, err)
	for _, i := range []int{-1, MinBits, MinBits + 100} {
		_, err := s.Get(i)
		assert.ErrorIs(t, err, ErrRange, i)
		assert.ErrorIs(t, s.Set(i, true), ErrRange, i)
	}
	var zero Bitstring
	_, err = zero.Get(0)
	assert.ErrorIs(t, err, ErrRange)
}

func gzipped(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestDecodeRejects(t *testing.T) {
	good := gzipped(t, make([]byte, MinBits/8))
	bomb := func() string {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zero := make([]byte, 1<<20)
		for i := 0; i < 17; i++ { // 17 MiB of zeros: over the cap
			zw.Write(zero)
		}
		zw.Close()
		return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
	}()
	truncated := good[:len(good)-4]
	badCRC := append([]byte(nil), good...)
	badCRC[len(badCRC)-8] ^= 0xff

	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", ErrMalformed},
		{"no multibase prefix", base64.RawURLEncoding.EncodeToString(good), ErrMalformed},
		{"base58 prefix", "z" + base64.RawURLEncoding.EncodeToString(good), ErrMalformed},
		{"padded", "u" + base64.URLEncoding.EncodeToString(good[:len(good)-1]), ErrMalformed},
		{"standard base64 alphabet", "u" + "+/" + base64.RawURLEncoding.EncodeToString(good), ErrMalformed},
		{"not gzip", "u" + base64.RawURLEncoding.EncodeToString(make([]byte, 64)), ErrMalformed},
		{"truncated gzip", "u" + base64.RawURLEncoding.EncodeToString(truncated), ErrMalformed},
		{"bad checksum", "u" + base64.RawURLEncoding.EncodeToString(badCRC), ErrMalformed},
		{"empty list", "u" + base64.RawURLEncoding.EncodeToString(gzipped(t, nil)), ErrMalformed},
		{"short list", "u" + base64.RawURLEncoding.EncodeToString(gzipped(t, make([]byte, 100))), ErrTooShort},
		{"zip bomb", bomb, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Decode(tt.in)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, s)
		})
	}
	// Sanity: the unmodified good list decodes.
	_, err := Decode("u" + base64.RawURLEncoding.EncodeToString(good))
	require.NoError(t, err)
}

func FuzzDecode(f *testing.F) {
	v := loadVectors(f)
	f.Add(v.Official.EncodedList)
	for _, iv := range implVectors(f, v) {
		f.Add(iv.Value)
	}
	f.Add("u")
	f.Add("uH4sI")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := DecodeAnyLength(in)
		if err != nil {
			return
		}
		if s.Len() <= 0 || s.Len() > 8*MaxBytes || s.Len()%8 != 0 {
			t.Fatalf("decoded list has impossible length %d", s.Len())
		}
		enc, err := s.Encode()
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeAnyLength(enc)
		if err != nil {
			t.Fatalf("re-encoded list does not decode: %v", err)
		}
		if !bytes.Equal(s.b, back.b) {
			t.Fatal("round trip changed the bits")
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	s, _ := New(MinBits)
	for i := 0; i < MinBits; i += 97 {
		s.Set(i, true)
	}
	enc, _ := s.Encode()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(enc); err != nil {
			b.Fatal(err)
		}
	}
}

// encodedList goes through go-multibase, and only the one canonical
// encoding of a list is accepted: the decoder alone would also take line
// breaks and non-zero bits after the last byte.
func TestDecodeMultibaseCanonical(t *testing.T) {
	bits := make([]byte, MinBits/8)
	bits[3] = 0x80
	var gz []byte
	for n := 0; ; n++ { // a stream whose length leaves unused bits in the last character
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Header.Extra = make([]byte, n)
		_, err := zw.Write(bits)
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		if buf.Len()%3 != 0 {
			gz = buf.Bytes()
			break
		}
	}
	enc, err := multibase.Encode(multibase.Base64url, gz)
	require.NoError(t, err)
	s, err := Decode(enc)
	require.NoError(t, err)
	set, err := s.Get(24)
	require.NoError(t, err)
	assert.True(t, set)

	// The lowest bit of the last character is one the decoder ignores.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, enc[len(enc)-1])
	trailing := enc[:len(enc)-1] + string(alphabet[last^1])
	_, gzAgain, err := multibase.Decode(trailing)
	require.NoError(t, err, "go-multibase accepts non-zero trailing bits")
	require.Equal(t, gz, gzAgain)

	for name, in := range map[string]string{
		"non-zero trailing bits": trailing,
		"line break":             enc[:20] + "\n" + enc[20:],
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Decode(in)
			require.ErrorIs(t, err, ErrMalformed)
			assert.Contains(t, err.Error(), "canonical")
		})
	}
}

// The length cap is checked before any decoding: an over-long value is
// too large, whatever its characters.
func TestDecodeLengthBeforeDecoding(t *testing.T) {
	_, err := DecodeAnyLength("u" + strings.Repeat("!", MaxBytes))
	require.ErrorIs(t, err, ErrTooLarge)
	assert.NotErrorIs(t, err, ErrMalformed)
}
