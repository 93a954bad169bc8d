package canon

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"maps"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gowebpki/jcs"
	"github.com/stretchr/testify/require"
)

const vectors = "../../testdata/vectors/jcs"

func TestRFC8785Pairs(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join(vectors, "input", "*.json"))
	require.NoError(t, err)
	require.Len(t, inputs, 6)
	for _, in := range inputs {
		name := filepath.Base(in)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			require.NoError(t, err)
			want, err := os.ReadFile(filepath.Join(vectors, "output", name))
			require.NoError(t, err)
			hexText, err := os.ReadFile(filepath.Join(vectors, "outhex", strings.TrimSuffix(name, ".json")+".txt"))
			require.NoError(t, err)
			wantHex, err := hex.DecodeString(strings.Join(strings.Fields(string(hexText)), ""))
			require.NoError(t, err)
			got, err := JCS(src)
			require.NoError(t, err)
			require.Equal(t, string(want), string(got))
			require.Equal(t, wantHex, got)
			// Going through members (the path signatures take) gives the same bytes.
			var members map[string]json.RawMessage
			if json.Unmarshal(src, &members) == nil {
				viaMembers, err := JCSMembers(members)
				require.NoError(t, err)
				require.Equal(t, string(want), string(viaMembers))
				// Adding a member later gives the same bytes as having it from the start.
				for k, v := range members {
					rest := maps.Clone(members)
					delete(rest, k)
					o, err := NewObject(rest)
					require.NoError(t, err)
					added, err := o.With(k, v)
					require.NoError(t, err)
					require.Equal(t, string(want), string(added.Bytes()), "adding %q", k)
					again, err := NewObject(rest)
					require.NoError(t, err)
					require.Equal(t, string(again.Bytes()), string(o.Bytes()), "With leaves the object it was called on unchanged")
				}
			}
		})
	}
}

func TestES6Numbers(t *testing.T) {
	f, err := os.Open(filepath.Join(vectors, "es6numbers", "es6testfile-first1000.txt"))
	require.NoError(t, err)
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		bitsHex, want, ok := strings.Cut(sc.Text(), ",")
		require.True(t, ok)
		bits, err := strconv.ParseUint(bitsHex, 16, 64)
		require.NoError(t, err)
		v := math.Float64frombits(bits)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		got, err := jcs.NumberToJSON(v)
		require.NoError(t, err)
		require.Equal(t, want, got, "bits %s", bitsHex)
		// and through a whole document
		doc, err := JCS([]byte(`[` + strconv.FormatFloat(v, 'g', -1, 64) + `]`))
		require.NoError(t, err)
		require.Equal(t, "["+want+"]", string(doc))
		n++
	}
	require.NoError(t, sc.Err())
	require.GreaterOrEqual(t, n, 990)
}

func TestJCSMembersKeys(t *testing.T) {
	got, err := JCSMembers(map[string]json.RawMessage{"b\u0007": json.RawMessage(`1`), "a\"": json.RawMessage(` [ 2 ] `), "한": json.RawMessage(`"x"`)})
	require.NoError(t, err)
	require.Equal(t, `{"a\"":[2],"b\u0007":1,"한":"x"}`, string(got))
	_, err = JCSMembers(map[string]json.RawMessage{"a": json.RawMessage(`{bad`)})
	require.Error(t, err)
}
