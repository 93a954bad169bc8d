package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/badgeproof/badgeproof/examples/clitest"
	"github.com/stretchr/testify/require"
)

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
	var walk func(r clitest.Report)
	walk = func(r clitest.Report) {
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
	reports := clitest.ParseReports(t, out.String())
	for _, r := range reports {
		walk(r)
	}
	require.Len(t, reports, len(files))
	// The offline run meets several kinds of reason, not one catch-all.
	require.GreaterOrEqual(t, len(codes), 3, "%v", codes)
	require.Contains(t, codes, "hash_mismatch")
	require.Contains(t, codes, "anchor_unavailable")

	out.Reset()
	run(context.Background(), []string{"verify", "--offline", filepath.Join(vectors, "blockcerts", "v3", "testnet-v3--tampered.json")}, &out, &errOut)
	require.Contains(t, out.String(), "[hash_mismatch]")
}
