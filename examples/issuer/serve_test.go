package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/examples/clitest"
	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

// syncBuffer is a bytes.Buffer safe to read while a server writes to it.
type syncBuffer = clitest.Buffer

// issuer serve: the VC-API issuing service signs with the suite the request
// chooses among those configured, and the credential verifies.
func TestServeIssues(t *testing.T) {
	dir := t.TempDir()
	edFile, ed := newKeyFile(t, dir, keys.Ed25519)
	p256File, p256 := newKeyFile(t, dir, keys.P256)
	transcript := filepath.Join(dir, "t.pdf")
	require.NoError(t, os.WriteFile(transcript, []byte("%PDF-1.7 transcript"), 0o600))
	sum := sha256.Sum256([]byte("%PDF-1.7 transcript"))
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	var errb bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--key", edFile, "--key", p256File, "--suite", "eddsa-rdfc-2022", "--suite", "ecdsa-rdfc-2019", "--suite", "ecdsa-jcs-2019", "--related-resource", "https://school.example/t.pdf=" + transcript}, &out, &errb)
	}()
	addr := regexp.MustCompile(`http://[0-9.:]+`)
	var base string
	require.Eventually(t, func() bool { base = addr.FindString(out.String()); return base != "" }, 5*time.Second, 10*time.Millisecond)
	require.Contains(t, out.String(), "eddsa-rdfc-2022  "+ed.PublicKey().VerificationMethod())
	require.NotContains(t, out.String(), "eddsa-jcs-2022", "only the chosen suites are offered")

	v, err := verify.New(verify.WithTrustedKey(ed.PublicKey().DID()), verify.WithTrustedKey(p256.PublicKey().DID()), verify.WithOffline())
	require.NoError(t, err)
	for _, suite := range []string{"eddsa-rdfc-2022", "ecdsa-rdfc-2019", "ecdsa-jcs-2019"} {
		body := `{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"credentialSubject":{"id":"did:example:s","name":"Kim"}},"options":{"cryptosuite":"` + suite + `"}}`
		resp, err := http.Post(base+"/credentials/issue", "application/json", strings.NewReader(body))
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", b)
		var res struct {
			VerifiableCredential json.RawMessage `json:"verifiableCredential"`
		}
		require.NoError(t, json.Unmarshal(b, &res))
		require.Contains(t, string(res.VerifiableCredential), `"cryptosuite":"`+suite+`"`)
		r := v.Verify(context.Background(), res.VerifiableCredential, verify.Binding{})
		require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
	}
	// A relatedResource digest is checked against the file given.
	for digest, want := range map[string]int{base64.StdEncoding.EncodeToString(sum[:]): http.StatusCreated, base64.StdEncoding.EncodeToString(make([]byte, 32)): http.StatusBadRequest} {
		body := `{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"credentialSubject":{"id":"did:example:s"},"relatedResource":{"id":"https://school.example/t.pdf","digestSRI":"sha256-` + digest + `"}}}`
		resp, err := http.Post(base+"/credentials/issue", "application/json", strings.NewReader(body))
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, want, resp.StatusCode, "%s", b)
	}
	// A suite not configured is refused.
	resp, err := http.Post(base+"/credentials/issue", "application/json", strings.NewReader(`{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"credentialSubject":{"id":"did:example:s"}},"options":{"cryptosuite":"eddsa-jcs-2022"}}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	cancel()
	require.Equal(t, 0, <-done, errb.String())

	code, _, stderr := runCLI(t, "serve", "--key", edFile, "--suite", "bbs-2023")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "unknown --suite")
	code, _, _ = runCLI(t, "serve")
	require.Equal(t, 2, code)
}
