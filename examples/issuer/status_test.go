package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/verify"
)

// runCLI runs the command in-process and returns the exit code and outputs.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func keygenDID(t *testing.T, path string) string {
	t.Helper()
	code, out, stderr := runCLI(t, "keygen", "--type", "ed25519", "--out", path)
	require.Equal(t, 0, code, stderr)
	return strings.TrimSpace(out)
}

func TestIssueRevokePresent(t *testing.T) {
	dir := t.TempDir()
	issuerKey, holderKey := filepath.Join(dir, "issuer.key"), filepath.Join(dir, "holder.key")
	issuerDID, holderDID := keygenDID(t, issuerKey), keygenDID(t, holderKey)
	statusDir, outDir := filepath.Join(dir, "status"), filepath.Join(dir, "out")

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(statusDir, issuer.StatusListFile))
	}))
	defer srv.Close()
	statusURL := srv.URL + "/status/1.json"

	const badgeID = "urn:uuid:cli-revoke-0001"
	var inputs []string
	for _, id := range []string{badgeID, "urn:uuid:cli-revoke-0002"} {
		c, err := badge.NationalQualification{
			Common: badge.Common{ID: id, Issuer: badge.Profile{ID: issuerDID, Name: badge.AgencyHRDKorea()}, HolderID: holderDID,
				ValidFrom: time.Now().Add(-time.Hour).UTC().Truncate(time.Second)},
			ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing", Grade: "기사", GradeEn: "Engineer",
			LicenceNumber: "25201001234A", PassDate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
		}.Credential()
		require.NoError(t, err)
		in := filepath.Join(dir, strings.TrimPrefix(id, "urn:uuid:")+".json")
		require.NoError(t, os.WriteFile(in, c.Raw(), 0o644))
		inputs = append(inputs, in)
	}

	code, _, stderr := runCLI(t, append([]string{"issue", "--key", issuerKey, "--anchor", "none",
		"--status-url", statusURL, "--status-dir", statusDir, "--out", outDir}, inputs...)...)
	require.Equal(t, 0, code, stderr)
	badge1 := filepath.Join(outDir, "cli-revoke-0001.json")
	badge2 := filepath.Join(outDir, "cli-revoke-0002.json")
	b1, err := os.ReadFile(badge1)
	require.NoError(t, err)
	b2, err := os.ReadFile(badge2)
	require.NoError(t, err)

	v, err := verify.New(verify.WithTrustedKey(issuerDID), verify.WithAllowLoopback(), verify.WithStatusCacheTTL(0))
	require.NoError(t, err)
	ctx := context.Background()
	r := v.Verify(ctx, b1, verify.Binding{})
	require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
	require.Equal(t, verify.StatusPassed, r.Check(verify.CheckStatus).Status)

	// present: the holder signs a presentation of both badges.
	code, vp, stderr := runCLI(t, "present", "--key", holderKey, "--challenge", "ch-1", "--domain", "jobs.example.kr", badge1, badge2)
	require.Equal(t, 0, code, stderr)
	bind := verify.Binding{Challenge: "ch-1", Domain: "jobs.example.kr"}
	r = v.Verify(ctx, []byte(vp), bind)
	require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
	require.Len(t, r.Credentials, 2)
	r = v.Verify(ctx, []byte(vp), verify.Binding{Challenge: "ch-2", Domain: "jobs.example.kr"})
	require.Equal(t, verify.StatusFailed, r.Status)

	// revoke by id: the badge now fails with revoked, the other still verifies.
	code, out, stderr := runCLI(t, "revoke", "--key", issuerKey, "--status-dir", statusDir, "--id", badgeID)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "revoked index")
	r = v.Verify(ctx, b1, verify.Binding{})
	require.Equal(t, verify.StatusFailed, r.Status)
	require.ErrorIs(t, r.Check(verify.CheckStatus).Err, verify.ErrRevoked)
	r = v.Verify(ctx, b2, verify.Binding{})
	require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
	r = v.Verify(ctx, []byte(vp), bind)
	require.Equal(t, verify.StatusFailed, r.Status)
	require.ErrorIs(t, r.Err(), verify.ErrRevoked)

	// revoke by index, read from the badge.
	parsed, err := badge.ParseCredential(b2, badge.Limits{})
	require.NoError(t, err)
	code, _, stderr = runCLI(t, "revoke", "--key", issuerKey, "--status-dir", statusDir, "--index", parsed.CredentialStatus[0].StatusListIndex)
	require.Equal(t, 0, code, stderr)
	r = v.Verify(ctx, b2, verify.Binding{})
	require.ErrorIs(t, r.Check(verify.CheckStatus).Err, verify.ErrRevoked)

	// Another key cannot revoke from this directory.
	otherKey := filepath.Join(dir, "other.key")
	keygenDID(t, otherKey)
	code, _, stderr = runCLI(t, "revoke", "--key", otherKey, "--status-dir", statusDir, "--id", badgeID)
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "belongs to")
	code, _, _ = runCLI(t, "revoke", "--key", issuerKey, "--status-dir", statusDir, "--id", "urn:uuid:never-issued")
	require.Equal(t, 1, code)
}

func TestStatusCommandsUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"revoke", "--key", "k", "--status-dir", dir},
		{"revoke", "--key", "k", "--status-dir", dir, "--id", "x", "--index", "3"},
		{"revoke", "--status-dir", dir, "--id", "x"},
		{"present", "--key", "k", "--challenge", "c", "b.json"},
		{"present", "--key", "k", "--challenge", "c", "--domain", "d"},
		{"issue", "--key", "k", "--anchor", "none", "--out", dir, "--status-url", "https://x.example/s", "in.json"},
	} {
		code, _, _ := runCLI(t, args...)
		require.Equal(t, 2, code, args)
	}
	code, _, stderr := runCLI(t, "revoke", "--key", "k", "--status-dir", dir, "--index", "3")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "no status list")
}
