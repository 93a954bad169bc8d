package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/examples/clitest"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

func TestEmbed(t *testing.T) {
	dir := t.TempDir()
	bins, cleanup, err := clitest.Build(map[string]string{"embed": "."})
	require.NoError(t, err)
	t.Cleanup(cleanup)
	bin := bins["embed"]

	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	s, err := issuer.NewSigner(k)
	require.NoError(t, err)
	c, err := badge.WorkExperience{
		Common: badge.Common{ID: "urn:uuid:4c1f2e3d-5a6b-4c7d-8e9f-0a1b2c3d4e5f", Issuer: badge.Profile{ID: s.DID(), Name: badge.AgencyKEIS()},
			HolderID: "did:example:kim", ValidFrom: time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)},
		Employer: "한빛소프트", EmployerEn: "Hanbit Soft", Role: "백엔드 개발자", RoleEn: "Backend developer", Start: time.Date(2022, 3, 2, 0, 0, 0, 0, time.UTC),
	}.Credential()
	require.NoError(t, err)
	signed, err := s.SignCredential(c)
	require.NoError(t, err)
	good := filepath.Join(dir, "good.json")
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(good, signed, 0o600))
	require.NoError(t, os.WriteFile(bad, bytes.Replace(signed, []byte("한빛소프트"), []byte("대기업주식회사"), -1), 0o600))

	run := func(args ...string) (string, int) {
		r := clitest.Run(t, "", bin, args...)
		return r.Stdout + r.Stderr, r.Code
	}
	got, code := run("--trust-key", s.DID(), good)
	assert.Equal(t, 0, code, got)
	lines := strings.Split(strings.TrimSpace(got), "\n")
	require.Len(t, lines, 9, got)
	assert.Equal(t, "verified", lines[0])
	assert.Contains(t, lines[2], "signature")
	assert.Contains(t, lines[2], "passed")

	got, code = run("--trust-key", s.DID(), bad)
	assert.Equal(t, 1, code, got)
	assert.True(t, strings.HasPrefix(got, "failed\n"), got)

	// Not trusted: the issuer check cannot pass.
	other, _ := keys.Generate(keys.Ed25519)
	got, code = run("--trust-key", other.PublicKey().DID(), good)
	assert.Equal(t, 1, code, got)

	_, code = run()
	assert.Equal(t, 2, code)
}
