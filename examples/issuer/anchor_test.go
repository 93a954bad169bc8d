package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/anchor/ethereum"
	"github.com/badgeproof/badgeproof/anchor/ethereum/gethtest"
	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

func TestParseAnchor(t *testing.T) {
	for _, tc := range []struct {
		spec, ethKey string
		kind, target string
		ok           bool
	}{
		{"none", "", "none", "", true},
		{"ledger:/var/lib/badges", "", "ledger", "/var/lib/badges", true},
		{"eth:http://127.0.0.1:8545", "", "eth", "http://127.0.0.1:8545", true},
		{"eth:https://node.example.org/v3/key", "k1.key", "eth", "https://node.example.org/v3/key", true},
		{"", "", "", "", false},
		{"ledger", "", "", "", false},
		{"ledger:", "", "", "", false},
		{"eth:", "", "", "", false},
		{"btc:regtest", "", "", "", false},
		{"none", "k1.key", "", "", false},
		{"ledger:dir", "k1.key", "", "", false},
	} {
		p, err := parseAnchor(tc.spec, tc.ethKey)
		if !tc.ok {
			require.Error(t, err, "%q %q", tc.spec, tc.ethKey)
			continue
		}
		require.NoError(t, err, "%q", tc.spec)
		require.Equal(t, tc.kind, p.kind)
		require.Equal(t, tc.target, p.target)
	}
}

// writeInputs writes n unsigned credentials as JSON Lines.
func writeInputs(t *testing.T, dir string, n int) string {
	t.Helper()
	var buf bytes.Buffer
	for i := 0; i < n; i++ {
		b, err := json.Marshal(map[string]any{
			"@context":  []string{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
			"id":        fmt.Sprintf("urn:uuid:ab1e0000-0000-4000-8000-%012d", i),
			"type":      []string{"VerifiableCredential", "OpenBadgeCredential"},
			"name":      "직업훈련 수료 / Training completion",
			"validFrom": "2026-03-02T00:00:00Z",
			"credentialSubject": map[string]any{"id": fmt.Sprintf("did:example:trainee-%d", i), "type": []string{"AchievementSubject"},
				"achievement": map[string]any{"id": "https://hrd.example.kr/course/42", "type": []string{"Achievement"}, "name": "클라우드 보안",
					"description": "Cloud security course, 40 hours", "criteria": map[string]any{"narrative": "Completed all modules"}}},
		})
		require.NoError(t, err)
		buf.Write(append(b, '\n'))
	}
	path := filepath.Join(dir, "in.jsonl")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	return path
}

func newKeyFile(t *testing.T, dir string, typ keys.Type) (string, *keys.PrivateKey) {
	t.Helper()
	k, err := keys.Generate(typ)
	require.NoError(t, err)
	path := filepath.Join(dir, string(typ)+".key")
	require.NoError(t, keys.WriteFile(path, k))
	return path, k
}

func readBadges(t *testing.T, dir string) [][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	out := make([][]byte, len(files))
	for i, f := range files {
		out[i], err = os.ReadFile(f)
		require.NoError(t, err)
	}
	return out
}

// TestIssueLedger issues a batch large enough for a progress bar into a
// ledger the command creates; off a terminal, nothing is drawn.
func TestIssueLedger(t *testing.T) {
	dir := t.TempDir()
	keyFile, key := newKeyFile(t, dir, keys.P256)
	ledgerDir, out := filepath.Join(dir, "new", "ledger"), filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"issue", "--key", keyFile, "--anchor", "ledger:" + ledgerDir, "--out", out, writeInputs(t, dir, progressThreshold)}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	require.Empty(t, stderr.String(), "no progress bar off a terminal")

	l, err := ledger.Open(ledgerDir)
	require.NoError(t, err)
	defer l.Close()
	require.Equal(t, fmt.Sprintf("issued %d badge(s) to %s, anchored at %s\n", progressThreshold, out, l.Ref(0)), stdout.String())
	rec, err := l.Get(0)
	require.NoError(t, err)
	require.Equal(t, key.PublicKey().DID(), rec.Sender)

	v, err := verify.New(verify.WithTrustedKey(key.PublicKey().DID()), verify.WithAnchorResolver(l))
	require.NoError(t, err)
	badges := readBadges(t, out)
	require.Len(t, badges, progressThreshold)
	// A sample keeps the race-detector run short; examples/clitest verifies
	// every badge of a 10,000-badge batch.
	reads := l.Reads()
	for i, r := range v.VerifyBatch(context.Background(), badges[:100]) {
		require.Equal(t, verify.StatusVerified, r.Status, "badge %d: %+v", i, r.Checks)
	}
	require.Equal(t, reads+1, l.Reads())
}

// TestIssueEthereum anchors on a geth development node, once from the
// node's account and once signed with --eth-key by the issuer's own
// secp256k1 key, whose address the verifier derives from the key.
func TestIssueEthereum(t *testing.T) {
	node := gethtest.Start(t)
	dir := t.TempDir()
	input := writeInputs(t, dir, 5)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := ethereum.NewResolver("1337", []string{node.URL})
	require.NoError(t, err)

	issue := func(args ...string) string {
		t.Helper()
		out := filepath.Join(dir, fmt.Sprintf("out-%d", time.Now().UnixNano()))
		var stdout, stderr bytes.Buffer
		code := run(ctx, append(append([]string{"issue"}, args...), "--out", out, input), &stdout, &stderr)
		require.Equal(t, 0, code, stderr.String())
		require.Contains(t, stdout.String(), "anchored at blink:eth:1337:0x")
		return out
	}
	check := func(out string, tl *verify.TrustList) {
		t.Helper()
		v, err := verify.New(verify.WithTrustList(tl), verify.WithAnchorResolver(res))
		require.NoError(t, err)
		for i, r := range v.VerifyBatch(ctx, readBadges(t, out)) {
			require.Equal(t, verify.StatusVerified, r.Status, "badge %d: %+v", i, r.Checks)
			require.Equal(t, verify.StatusPassed, r.Check(verify.CheckAnchor).Status)
			require.True(t, strings.HasPrefix(r.Anchors[0].URI, "blink:eth:1337:0x"))
		}
	}
	trust := func(k *keys.PrivateKey, addresses ...string) *verify.TrustList {
		pk := k.PublicKey()
		b, err := json.Marshal(verify.TrustList{Issuers: []verify.TrustedIssuer{{ID: pk.DID(), Name: "HRD Korea",
			Keys: []verify.TrustedKey{{ID: pk.VerificationMethod(), PublicKeyMultibase: pk.Multibase()}}, AnchoringAddresses: addresses}}})
		require.NoError(t, err)
		tl, err := verify.ParseUnsignedTrustList(b)
		require.NoError(t, err)
		return tl
	}

	// From the node's account, listed as the issuer's anchoring address.
	edFile, edKey := newKeyFile(t, dir, keys.Ed25519)
	check(issue("--key", edFile, "--anchor", "eth:"+node.URL), trust(edKey, node.Account))

	// Signed by the issuer's secp256k1 key, funded first.
	k1File, k1 := newKeyFile(t, dir, keys.Secp256k1)
	node.Fund(t, ethereum.AddressFromPublicKey(k1.Secp256k1().PubKey()), new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil))
	check(issue("--key", k1File, "--anchor", "eth:"+node.URL, "--eth-key", k1File), trust(k1))

	// The same badges checked against a trust list without the node's
	// account fail the sender check.
	out := issue("--key", edFile, "--anchor", "eth:"+node.URL)
	v, err := verify.New(verify.WithTrustList(trust(edKey)), verify.WithAnchorResolver(res))
	require.NoError(t, err)
	r := v.Verify(ctx, readBadges(t, out)[0], verify.Binding{})
	require.Equal(t, verify.StatusFailed, r.Check(verify.CheckAnchor).Status)
	require.ErrorIs(t, r.Check(verify.CheckAnchor).Err, verify.ErrWrongSender)
}
