package main

import (
	"crypto/sha256"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
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

// --related-resource gives the content a credential pins by digest: the
// matching file verifies, another file fails at format. The same
// credential decides with --without-issuer-trust-unsafe.
func TestVerifyRelatedResource(t *testing.T) {
	dir := t.TempDir()
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	transcript := []byte("%PDF-1.7 transcript")
	sum := sha256.Sum256(transcript)
	sri := "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
	s, err := issuer.NewSigner(k)
	require.NoError(t, err)
	c, err := badge.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"`+k.PublicKey().DID()+`","credentialSubject":{"id":"did:example:subject"},"relatedResource":{"id":"https://school.example/t.pdf","digestSRI":"`+sri+`"}}`), badge.Limits{})
	require.NoError(t, err)
	signed, err := s.SignCredential(c)
	require.NoError(t, err)
	cred := filepath.Join(dir, "cred.json")
	require.NoError(t, os.WriteFile(cred, signed, 0o644))
	good, forged := filepath.Join(dir, "t.pdf"), filepath.Join(dir, "forged.pdf")
	require.NoError(t, os.WriteFile(good, transcript, 0o644))
	require.NoError(t, os.WriteFile(forged, []byte("%PDF-1.7 forged"), 0o644))

	code, reps := runVerify(t, "--offline", "--trust-key", k.PublicKey().DID(), "--related-resource", "https://school.example/t.pdf="+good, cred)
	require.Equal(t, exitVerified, code, "%+v", reps["cred.json"].Checks)
	code, reps = runVerify(t, "--offline", "--trust-key", k.PublicKey().DID(), "--related-resource", "https://school.example/t.pdf="+forged, cred)
	require.Equal(t, exitFailed, code)
	require.Equal(t, "failed", reps["cred.json"].Check("format"))
	code, _ = runVerify(t, "--related-resource", "https://school.example/t.pdf", cred)
	require.Equal(t, 2, code)

	// No trust given: undecided; --without-issuer-trust-unsafe accepts any
	// issuer and says so, every other check still running.
	code, reps = runVerify(t, "--offline", cred)
	require.Equal(t, exitIndeterminate, code)
	code, reps = runVerify(t, "--offline", "--without-issuer-trust-unsafe", cred)
	require.Equal(t, exitVerified, code, "%+v", reps["cred.json"].Checks)
	require.Equal(t, "skipped", reps["cred.json"].Check("issuer"))
	code, reps = runVerify(t, "--offline", "--without-issuer-trust-unsafe", "--related-resource", "https://school.example/t.pdf="+forged, cred)
	require.Equal(t, exitFailed, code)
	require.Equal(t, "failed", reps["cred.json"].Check("format"))
	code, _ = runVerify(t, "--without-issuer-trust-unsafe", "--trust-key", k.PublicKey().DID(), cred)
	require.Equal(t, 2, code)
}
