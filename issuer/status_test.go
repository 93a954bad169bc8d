package issuer

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/internal/statuslist"
	"github.com/badgeproof/badgeproof/keys"
)

func statusSigner(t *testing.T) *Signer {
	t.Helper()
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	s, err := NewSigner(k, WithClock(func() time.Time { return time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC) }))
	require.NoError(t, err)
	return s
}

func unsignedBadge(t *testing.T, s *Signer, id string) *badge.Credential {
	t.Helper()
	c, err := badge.TrainingCompletion{Common: badge.Common{ID: id, Issuer: badge.Profile{ID: s.DID()}, HolderID: "did:key:z6Mkh",
		ValidFrom: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}, CourseID: "C1", Course: "과정", CourseEn: "Course", Hours: 40}.Credential()
	require.NoError(t, err)
	return c
}

const listURL = "https://issuer.example.kr/status/1"

func TestStatusListLifecycle(t *testing.T) {
	dir := t.TempDir()
	s := statusSigner(t)
	l, err := OpenStatusList(dir, s, StatusListConfig{URL: listURL})
	require.NoError(t, err)

	seen := map[string]bool{}
	var badges []*badge.Credential
	for i := 0; i < 50; i++ {
		c, err := l.AddEntry(unsignedBadge(t, s, fmt.Sprintf("urn:uuid:b-%d", i)))
		require.NoError(t, err)
		require.Len(t, c.CredentialStatus, 1)
		e := c.CredentialStatus[0]
		require.Equal(t, statuslist.EntryType, e.Type)
		require.Equal(t, listURL, e.StatusListCredential)
		require.Equal(t, "revocation", e.StatusPurpose)
		require.False(t, seen[e.StatusListIndex], "index %s allocated twice", e.StatusListIndex)
		seen[e.StatusListIndex] = true
		idx, ok := l.Index(c.ID)
		require.True(t, ok)
		require.Equal(t, e.StatusListIndex, strconv.Itoa(idx))
		badges = append(badges, c)
	}
	// Random allocation: 50 indexes of 131,072 are not the first 50.
	first50 := 0
	for k := range seen {
		if n, _ := strconv.Atoi(k); n < 50 {
			first50++
		}
	}
	require.Less(t, first50, 10)

	_, err = l.AddEntry(unsignedBadge(t, s, "urn:uuid:b-3"))
	require.Error(t, err, "a badge id gets one index")

	// Another process cannot open the directory while it is held.
	_, err = OpenStatusList(dir, s, StatusListConfig{})
	require.ErrorIs(t, err, ErrStatusDirBusy)

	cred, err := l.Publish()
	require.NoError(t, err)
	onDisk, err := os.ReadFile(filepath.Join(dir, StatusListFile))
	require.NoError(t, err)
	require.Equal(t, cred, onDisk)
	require.NoError(t, l.Close())

	// Reopen: state survives; revoke one by id and one by index.
	l, err = OpenStatusList(dir, s, StatusListConfig{})
	require.NoError(t, err)
	defer l.Close()
	i7, err := l.Set("urn:uuid:b-7", true)
	require.NoError(t, err)
	i9, _ := l.Index("urn:uuid:b-9")
	require.NoError(t, l.SetIndex(i9, true))
	_, err = l.Set("urn:uuid:unknown", true)
	require.Error(t, err)
	free := 0
	for seen[strconv.Itoa(free)] {
		free++
	}
	require.Error(t, l.SetIndex(free, true), "an unallocated index belongs to no badge")
	require.Error(t, l.SetIndex(statuslist.MinBits, true))
	cred, err = l.Publish()
	require.NoError(t, err)

	// The published list is a signed credential whose bits say exactly that.
	lc, err := badge.ParseCredential(cred, badge.Limits{})
	require.NoError(t, err)
	require.Equal(t, listURL, lc.ID)
	require.Equal(t, s.DID(), lc.Issuer.ID)
	require.True(t, lc.Type.Has("BitstringStatusListCredential"))
	require.NoError(t, dataintegrity.Verify(s.PublicKey(), lc.Unsigned(), lc.Proofs[0].Members()))
	subj, err := statuslist.ParseListSubject(lc.Members()["credentialSubject"])
	require.NoError(t, err)
	bits, err := statuslist.Decode(subj.EncodedList)
	require.NoError(t, err)
	for _, c := range badges {
		i, _ := l.Index(c.ID)
		got, err := bits.Get(i)
		require.NoError(t, err)
		require.Equal(t, i == i7 || i == i9, got, c.ID)
	}
}

func TestStatusListRefusesOtherIssuerAndURL(t *testing.T) {
	dir := t.TempDir()
	s := statusSigner(t)
	l, err := OpenStatusList(dir, s, StatusListConfig{URL: listURL, Purpose: statuslist.PurposeSuspension, ValidFor: 24 * time.Hour})
	require.NoError(t, err)
	cred, err := l.Publish()
	require.NoError(t, err)
	require.NoError(t, l.Close())
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(cred, &m))
	require.JSONEq(t, `"2026-05-02T00:00:00Z"`, string(m["validUntil"]))

	_, err = OpenStatusList(dir, statusSigner(t), StatusListConfig{})
	require.ErrorContains(t, err, "belongs to")
	_, err = OpenStatusList(dir, s, StatusListConfig{URL: "https://elsewhere.example/list"})
	require.ErrorContains(t, err, "published at")
	_, err = OpenStatusList(dir, s, StatusListConfig{Purpose: statuslist.PurposeRevocation})
	require.ErrorContains(t, err, "suspension")

	_, err = OpenStatusList(t.TempDir(), s, StatusListConfig{})
	require.ErrorContains(t, err, "absolute URL")
	_, err = OpenStatusList(t.TempDir(), s, StatusListConfig{URL: listURL, Purpose: "message"})
	require.Error(t, err)

	// A corrupt state file is an error, never a fresh list.
	require.NoError(t, os.WriteFile(filepath.Join(dir, StatusStateFile), []byte(`{"version":1,`), 0o600))
	_, err = OpenStatusList(dir, s, StatusListConfig{})
	require.Error(t, err)
}

func TestStatusListAddEntryKeepsExistingStatus(t *testing.T) {
	s := statusSigner(t)
	rev, err := OpenStatusList(t.TempDir(), s, StatusListConfig{URL: listURL})
	require.NoError(t, err)
	defer rev.Close()
	sus, err := OpenStatusList(t.TempDir(), s, StatusListConfig{URL: listURL + "s", Purpose: statuslist.PurposeSuspension})
	require.NoError(t, err)
	defer sus.Close()
	c, err := rev.AddEntry(unsignedBadge(t, s, "urn:uuid:two"))
	require.NoError(t, err)
	c, err = sus.AddEntry(c)
	require.NoError(t, err)
	require.Len(t, c.CredentialStatus, 2)
	require.Equal(t, []string{"revocation", "suspension"}, []string{c.CredentialStatus[0].StatusPurpose, c.CredentialStatus[1].StatusPurpose})

	signed, err := s.SignCredential(c)
	require.NoError(t, err)
	sc, err := badge.ParseCredential(signed, badge.Limits{})
	require.NoError(t, err)
	_, err = rev.AddEntry(sc)
	require.ErrorContains(t, err, "already signed")
}

func TestNewPresentation(t *testing.T) {
	s := statusSigner(t)
	signed, err := s.SignCredential(unsignedBadge(t, s, "urn:uuid:p"))
	require.NoError(t, err)
	c, err := badge.ParseCredential(signed, badge.Limits{})
	require.NoError(t, err)
	p, err := NewPresentation("did:key:z6Mkholder", c)
	require.NoError(t, err)
	require.Equal(t, "did:key:z6Mkholder", p.Holder)
	require.Len(t, p.Credentials, 1)
	// The credential inside is the signed one, proof intact.
	require.NoError(t, dataintegrity.Verify(s.PublicKey(), p.Credentials[0].Unsigned(), p.Credentials[0].Proofs[0].Members()))
	_, err = NewPresentation("", c)
	require.Error(t, err)
	// No credential: a valid presentation without verifiableCredential.
	empty, err := NewPresentation("did:key:z6Mkholder")
	require.NoError(t, err)
	require.Empty(t, empty.Credentials)
	require.NotContains(t, string(empty.Raw()), "verifiableCredential")
}
