package canon

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/badgeproof/badgeproof/internal/jsonx"
	"github.com/stretchr/testify/require"
)

func checkDecodedJCS(t testing.TB, data []byte) {
	d, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		return // not a document anything canonicalizes
	}
	want, err := JCS(data)
	if err != nil {
		t.Fatalf("JCS rejects a checked document %q: %v", data, err)
	}
	got, err := AppendJCS(nil, d.Value)
	if err != nil {
		t.Fatalf("AppendJCS(%q): %v", data, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("AppendJCS(%q) =\n%s\nJCS:\n%s", data, got, want)
	}
	if d.Members != nil {
		for k := range d.Members {
			rest := make(map[string]json.RawMessage, len(d.Members))
			for k2, v := range d.Members {
				if k2 != k {
					rest[k2] = v
				}
			}
			want, err := JCSMembers(rest)
			require.NoError(t, err)
			got, err := AppendJCS(nil, d.Value, k)
			require.NoError(t, err)
			require.Equal(t, string(want), string(got), "without %q", k)
			break
		}
	}
}

// AppendJCS of a decoding gives what JCS gives for the bytes: the RFC 8785
// vectors, every JSON document of the repository's test data, and numbers
// of every shape.
func TestAppendJCSAgreesWithJCS(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join(vectors, "input", "*.json"))
	require.NoError(t, err)
	require.Len(t, inputs, 6)
	for _, in := range inputs {
		src, err := os.ReadFile(in)
		require.NoError(t, err)
		want, err := os.ReadFile(filepath.Join(vectors, "output", filepath.Base(in)))
		require.NoError(t, err)
		d, err := jsonx.Decode(src, jsonx.Limits{})
		if err != nil {
			// jsonx refuses what I-JSON refuses (e.g. numbers no double
			// holds exactly); decode it without the checks then.
			var v any
			dec := json.NewDecoder(bytes.NewReader(src))
			dec.UseNumber()
			require.NoError(t, dec.Decode(&v))
			d = &jsonx.Decoded{Value: v}
		}
		got, err := AppendJCS(nil, d.Value)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), filepath.Base(in))
	}
	n := 0
	for _, dir := range []string{"../../testdata", "../../verify/testdata", "../../badge/testdata"} {
		require.NoError(t, filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || filepath.Ext(path) != ".json" {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			checkDecodedJCS(t, data)
			n++
			return nil
		}))
	}
	require.Greater(t, n, 100)
	for _, num := range []string{"0", "-0", "1", "-1", "999999999999999", "1000000000000000", "9007199254740991", "-9007199254740991",
		"1e21", "1e20", "123e-20", "0.1", "1.5", "-2.25e3", "1E3", "5e-324", "1.7976931348623157e308", "0.000001", "0.0000001"} {
		checkDecodedJCS(t, []byte("["+num+"]"))
	}
	for i := int64(1); i < 1<<53; i = i*7 + 3 {
		checkDecodedJCS(t, []byte("["+strconv.FormatInt(i, 10)+","+strconv.FormatInt(-i, 10)+"]"))
	}
	checkDecodedJCS(t, []byte(`{"\uffff":1,"\ud83d\ude00":2,"\ue000":3,"a":4,"\u0080":5,"b\u0007":6}`))
}

func FuzzAppendJCS(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":"c"}],"\ue000":1,"\ud83d\ude00":2}`, `[1e5,-0.1,"x\u0001"]`, `{"n":1.5e300}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkDecodedJCS(t, data) })
}
