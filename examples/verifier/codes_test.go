package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

type jsonReport struct {
	File        string       `json:"file"`
	Status      string       `json:"status"`
	Checks      []jsonCheck  `json:"checks"`
	Credentials []jsonReport `json:"credentials"`
}

type jsonCheck struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Every failed or indeterminate check in `verify --json` output carries a
// machine-readable code, and no other check does; the text output shows it.
func TestVerifyJSONCarriesCodes(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(vectors, "blockcerts", "v[23]", "*.json"))
	require.NoError(t, err)
	more, err := filepath.Glob(filepath.Join(vectors, "w3c-di", "*", "*", "signed*.json"))
	require.NoError(t, err)
	files = append(files, more...)
	files = append(files, filepath.Join(vectors, "openbadges/eddsa-rdfc-2022-testvector/obv3p0-signed-credential.json"))
	require.Greater(t, len(files), 30)

	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"verify", "--json", "--offline"}, files...), &out, &errOut)
	require.NotEqual(t, exitUsage, code, errOut.String())
	codes := map[string]int{}
	var walk func(r jsonReport)
	walk = func(r jsonReport) {
		for _, c := range r.Checks {
			switch c.Status {
			case "failed", "indeterminate":
				require.NotEmpty(t, c.Code, "%s: %s %s has no code: %s", r.File, c.ID, c.Status, c.Message)
				codes[c.Code]++
			default:
				require.Empty(t, c.Code, "%s: %s %s", r.File, c.ID, c.Status)
			}
		}
		for _, sub := range r.Credentials {
			walk(sub)
		}
	}
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 16<<20)
	n := 0
	for sc.Scan() {
		var r jsonReport
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r))
		walk(r)
		n++
	}
	require.Equal(t, len(files), n)
	// The offline run meets several kinds of reason, not one catch-all.
	require.GreaterOrEqual(t, len(codes), 3, "%v", codes)
	require.Contains(t, codes, "hash_mismatch")
	require.Contains(t, codes, "anchor_unavailable")

	out.Reset()
	run(context.Background(), []string{"verify", "--offline", filepath.Join(vectors, "blockcerts", "v3", "testnet-v3--tampered.json")}, &out, &errOut)
	require.Contains(t, out.String(), "[hash_mismatch]")
}
