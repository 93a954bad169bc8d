package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/examples/clitest"
)

const vectors = "../../testdata/vectors"

// runVerify runs verify --json in process and returns the exit code and
// the reports keyed by file name.
func runVerify(t *testing.T, args ...string) (int, map[string]clitest.Report) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"verify", "--json"}, args...), &out, &errOut)
	reports := map[string]clitest.Report{}
	for _, r := range clitest.ParseReports(t, out.String()) {
		reports[filepath.Base(r.File)] = r
	}
	return code, reports
}

// Blockcerts and Open Badges 3.0 files from other issuers verify through
// the CLI, offline, with test anchors allowed.
func TestVerifyInteropFixtures(t *testing.T) {
	bc := func(p string) string { return filepath.Join(vectors, "blockcerts", p) }

	// Real-chain anchors offline: indeterminate, nothing failed.
	code, reps := runVerify(t, "--offline", "--allow-test-anchors", bc("v3/testnet-v3-did.json"), bc("v2/mainnet-valid-2.0.json"), bc("v3/ethereum-sepolia-v3.json"), bc("v2/ethereum-main-valid-2.0.json"))
	require.Equal(t, exitIndeterminate, code)
	require.Len(t, reps, 4) // ethereum-main-valid-2.0.json is 2.1 MB: Blockcerts certificates get 8 MiB
	for name, r := range reps {
		require.Equal(t, "indeterminate", r.Status, name)
		require.Equal(t, "passed", r.Check("merkle"), name)
		require.Equal(t, "indeterminate", r.Check("anchor"), name)
		for _, c := range r.Checks {
			require.NotEqual(t, "failed", c.Status, "%s: %s %s", name, c.ID, c.Message)
		}
	}

	// Mocknet: accepted as a test anchor, reported as not anchored.
	code, reps = runVerify(t, "--offline", "--allow-test-anchors", bc("v3/mocknet-vc-v2-data-integrity-proof.json"))
	require.Equal(t, exitIndeterminate, code)
	r := reps["mocknet-vc-v2-data-integrity-proof.json"]
	require.Equal(t, "skipped", r.Check("anchor"))
	require.Equal(t, "passed", r.Check("merkle"))

	// Without --allow-test-anchors the mocknet anchor fails.
	code, reps = runVerify(t, "--offline", bc("v3/mocknet-vc-v2-data-integrity-proof.json"))
	require.Equal(t, exitFailed, code)
	require.Equal(t, "failed", reps["mocknet-vc-v2-data-integrity-proof.json"].Check("anchor"))

	// Tampered: merkle fails.
	code, reps = runVerify(t, "--offline", "--allow-test-anchors", bc("v3/testnet-v3--tampered.json"))
	require.Equal(t, exitFailed, code)
	require.Equal(t, "failed", reps["testnet-v3--tampered.json"].Check("merkle"))

	// The 1EdTech eddsa-rdfc-2022 vector with a trust list naming its issuer and key: verified.
	trust := filepath.Join(t.TempDir(), "trust.json")
	require.NoError(t, os.WriteFile(trust, []byte(`{"issuers":[{"id":"https://example.edu/issuers/565049","name":"Example Corp",
		"keys":[{"id":"https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi","publicKeyMultibase":"z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"}]}]}`), 0o600))
	ob := filepath.Join(vectors, "openbadges/eddsa-rdfc-2022-testvector/obv3p0-signed-credential.json")
	code, reps = runVerify(t, "--offline", "--trust", trust, ob)
	require.Equal(t, exitVerified, code, "%+v", reps)
	require.Equal(t, "passed", reps["obv3p0-signed-credential.json"].Check("signature"))

	// The CLR 2.0 vector: its contexts are embedded, so it verifies too.
	code, reps = runVerify(t, "--offline", "--trust", trust, filepath.Join(vectors, "openbadges/clr2/clrv2p0-signed-clrcredential.json"))
	require.Equal(t, exitVerified, code, "%+v", reps)
	require.Equal(t, "passed", reps["clrv2p0-signed-clrcredential.json"].Check("format"))
	require.Equal(t, "passed", reps["clrv2p0-signed-clrcredential.json"].Check("signature"))
}
