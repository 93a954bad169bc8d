package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// A genuine Blockcerts certificate reaches verified offline when the CLI is
// given its issuer's profile, its revocation list and a trust list naming
// the issuer; a DID issuer's certificate is checked against the DID
// document given with --issuer-profile.
func TestVerifyBlockcertsOfflineWithDocuments(t *testing.T) {
	net := func(p string) string { return filepath.Join(vectors, "blockcerts", "network", p) }
	cert := filepath.Join(vectors, "blockcerts", "v2", "mocknet-valid-2.0.json")
	trust := filepath.Join(t.TempDir(), "trust.json")
	require.NoError(t, os.WriteFile(trust, []byte(`{"issuers":[{"id":"https://www.blockcerts.org/samples/2.0/issuer-testnet.json","name":"Blockcerts testnet issuer","keys":[]}]}`), 0o644))
	args := []string{"--offline", "--allow-test-anchors", "--trust", trust,
		"--issuer-profile", net("v2-testnet-issuer-profile.json"),
		"--revocation-list", "https://www.blockcerts.org/samples/2.0/revocation-list-testnet.json=" + net("v2-testnet-revocation-list.json")}
	code, reps := runVerify(t, append(args, cert)...)
	r := reps["mocknet-valid-2.0.json"]
	require.Equal(t, exitVerified, code, "%+v", r.Checks)
	require.Equal(t, "verified", r.Status)
	require.Equal(t, "passed", r.Check("status"))

	// Without the revocation list, offline: undecided.
	code, reps = runVerify(t, "--offline", "--allow-test-anchors", "--trust", trust, "--issuer-profile", net("v2-testnet-issuer-profile.json"), cert)
	require.Equal(t, exitIndeterminate, code)
	require.Equal(t, "indeterminate", reps["mocknet-valid-2.0.json"].Check("status"))

	// A DID document given: the certificate whose anchoring key is another
	// DID's fails at issuer, as cert-verifier-js fails it.
	mismatch := filepath.Join(vectors, "blockcerts", "v3", "testnet-v3-did--verification-method-mismatch.json")
	code, reps = runVerify(t, "--offline", "--issuer-profile", net("did-ion-EiA_Z6LQILbB2zj_eVrqfQ2xDm4HNqeJUw5Kj2Z7bFOOeQ.json"), mismatch)
	require.Equal(t, exitFailed, code)
	require.Equal(t, "failed", reps["testnet-v3-did--verification-method-mismatch.json"].Check("issuer"))

	// A file that is neither a profile nor a controller document is a usage error.
	code, _ = runVerify(t, "--issuer-profile", net("v2-testnet-revocation-list.json"), cert)
	require.Equal(t, 2, code)
}
