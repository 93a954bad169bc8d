package openid4vp_test

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/badgeproof/badgeproof/verify/openid4vp"
	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// interopDir holds the independent implementation: @openid4vc/openid4vp
// 0.4.6 (package.json, package-lock.json), installed with npm ci by .ci/run.
const interopDir = "testdata/interop"

// needNode finds node and the installed packages, or skips (fails under
// CI=true) saying how to get them.
func needNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	msg := ""
	switch {
	case err != nil:
		msg = "node not found: apt-get install nodejs (Node 20 or later)"
	default:
		if _, err := os.Stat(filepath.Join(interopDir, "node_modules", "@openid4vc", "openid4vp")); err != nil {
			msg = "the @openid4vc packages are not installed: npm ci --prefix verify/openid4vp/testdata/interop"
		}
	}
	if msg != "" {
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return node
}

// nodeScript runs script with args; lines reads its stdout line by line.
type nodeScript struct {
	lines *bufio.Scanner
	write func(v any)
}

func runNode(t *testing.T, node, script string, args ...string) *nodeScript {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, node, append([]string{script}, args...)...)
	cmd.Dir = interopDir
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	errf, err := os.CreateTemp(t.TempDir(), "stderr")
	require.NoError(t, err)
	cmd.Stderr = errf
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			b, _ := os.ReadFile(errf.Name())
			t.Logf("%s stderr:\n%s", script, b)
		}
	})
	s := bufio.NewScanner(stdout)
	s.Buffer(make([]byte, 1<<20), 4<<20)
	ns := &nodeScript{lines: s}
	t.Cleanup(func() { stdin.Close() })
	ns.write = func(v any) {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		_, err = stdin.Write(b)
		require.NoError(t, err)
		stdin.Close()
	}
	return ns
}

func (ns *nodeScript) next(t *testing.T, v any) {
	t.Helper()
	require.True(t, ns.lines.Scan(), "the node script ended early: %v", ns.lines.Err())
	require.NoError(t, json.Unmarshal(ns.lines.Bytes(), v), "%s", ns.lines.Bytes())
}

// TestInteropIndependentWallet: the @openid4vc wallet library resolves the
// SDK's request (signed request object by request_uri, x509_hash client
// identifier, DCQL query), and its direct_post.jwt (and direct_post)
// response is accepted and verified by the relying party.
func TestInteropIndependentWallet(t *testing.T) {
	node := needNode(t)
	sanCert, sanKey := certificate(t, "localhost")
	sanID, err := openid4vp.X509SANDNSIdentity("localhost", []*x509.Certificate{sanCert}, sanKey)
	require.NoError(t, err)
	for _, tc := range []struct {
		mode, prefix string
		id           openid4vp.ClientIdentity
	}{
		{openid4vp.ResponseModeDirectPostJWT, "x509_hash", x509HashIdentity(t)},
		{openid4vp.ResponseModeDirectPost, "x509_hash", x509HashIdentity(t)},
		{openid4vp.ResponseModeDirectPostJWT, "x509_san_dns", sanID},
	} {
		mode := tc.mode
		t.Run(tc.prefix+"/"+mode, func(t *testing.T) {
			f := newFixture(t)
			rp, _ := serve(t, func(base string) *openid4vp.RelyingParty {
				rp, err := openid4vp.New(f.v, strings.Replace(base, "127.0.0.1", "localhost", 1), openid4vp.WithClientIdentity(tc.id), openid4vp.WithResponseMode(mode))
				require.NoError(t, err)
				return rp
			})
			req, err := rp.CreateRequest(ctx, qualificationQuery())
			require.NoError(t, err)
			ns := runNode(t, node, "wallet.mjs", req.URL)
			var resolved struct {
				ClientID     string          `json:"client_id"`
				Prefix       string          `json:"prefix"`
				Nonce        string          `json:"nonce"`
				ResponseMode string          `json:"response_mode"`
				Version      int             `json:"version"`
				DCQL         json.RawMessage `json:"dcql"`
			}
			ns.next(t, &resolved)
			assert.Equal(t, req.ClientID, resolved.ClientID)
			assert.Equal(t, tc.prefix, resolved.Prefix)
			assert.Equal(t, req.Nonce, resolved.Nonce)
			assert.Equal(t, mode, resolved.ResponseMode)
			assert.Equal(t, 100, resolved.Version, "resolved as OpenID4VP 1.0 final")
			assert.Contains(t, string(resolved.DCQL), "licenseNumber")

			cred := f.wallet.Credentials()[0]
			p, err := issuer.NewPresentation(f.holder.DID(), cred)
			require.NoError(t, err)
			vp, err := f.holder.SignPresentation(p, resolved.Nonce, resolved.ClientID)
			require.NoError(t, err)
			ns.write(map[string]any{"vp_token": map[string][]json.RawMessage{"qualification": {vp}}})
			var submitted struct {
				Status    int    `json:"status"`
				Body      string `json:"body"`
				Encrypted bool   `json:"encrypted"`
			}
			ns.next(t, &submitted)
			assert.Equal(t, 200, submitted.Status, submitted.Body)
			assert.Equal(t, mode == openid4vp.ResponseModeDirectPostJWT, submitted.Encrypted)
			res := result(t, rp, req)
			require.True(t, res.Verified, "%s: %s", res.Code, res.Message)
			assert.Equal(t, "urn:uuid:q1", res.Presented[0].Report.Credentials[0].Credential.ID)
		})
	}
}

// TestInteropIndependentRelyingParty: the SDK wallet answers a request made
// and signed by the @openid4vc library (x509_hash, request_uri,
// direct_post.jwt to the library's own key); the library decrypts and
// validates the response, and the presentation it received verifies,
// bound to its nonce and client identifier.
func TestInteropIndependentRelyingParty(t *testing.T) {
	node := needNode(t)
	f := newFixture(t)
	cert, key := certificate(t)
	clientID := "x509_hash:" + openid4vp.X509Hash(cert)
	signJWK, err := json.Marshal(jose.JSONWebKey{Key: key})
	require.NoError(t, err)
	ns := runNode(t, node, "verifier.mjs")
	ns.write(map[string]any{"client_id": clientID, "x5c": []string{base64.StdEncoding.EncodeToString(cert.Raw)},
		"sign_jwk": json.RawMessage(signJWK), "dcql": qualificationQuery()})
	var ready struct{ URL, Nonce, ClientID string }
	ns.next(t, &ready)
	require.True(t, strings.HasPrefix(ready.URL, "openid4vp://"), ready.URL)

	wr, err := f.wallet.Fetch(ctx, ready.URL)
	require.NoError(t, err)
	assert.Equal(t, clientID, wr.ClientID)
	assert.Equal(t, "Interop RP", wr.ClientName)
	require.Len(t, wr.Matches[0].Candidates, 1)
	_, err = f.wallet.Respond(ctx, wr, nil)
	require.NoError(t, err)

	var got struct {
		Error         string                       `json:"error"`
		Encrypted     bool                         `json:"encrypted"`
		State         string                       `json:"state"`
		ExpectedState string                       `json:"expected_state"`
		Presentations map[string][]json.RawMessage `json:"presentations"`
	}
	ns.next(t, &got)
	require.Empty(t, got.Error)
	assert.True(t, got.Encrypted, "the library decrypted a JWE")
	assert.Equal(t, got.ExpectedState, got.State)
	require.Len(t, got.Presentations["qualification"], 1)
	rep := f.v.Verify(ctx, got.Presentations["qualification"][0], verify.Binding{Challenge: ready.Nonce, Domain: clientID})
	require.True(t, rep.Verified, "%+v", rep.Checks)
}
