package verify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// present bundles badges into a presentation signed by holder.
func present(t *testing.T, holder *testIssuer, challenge, domain string, badges ...[]byte) []byte {
	t.Helper()
	creds := make([]*badge.Credential, len(badges))
	for i, b := range badges {
		c, err := badge.ParseCredential(b, badge.Limits{})
		require.NoError(t, err)
		creds[i] = c
	}
	p, err := issuer.NewPresentation(holder.did(), creds...)
	require.NoError(t, err)
	out, err := holder.signer.SignPresentation(p, challenge, domain)
	require.NoError(t, err)
	return out
}

const (
	testChallenge = "c7f1e2d0-job-4711"
	testDomain    = "recruit.example.kr"
)

func TestPresentationBinding(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	holder := newTestIssuer(t, keys.P256)
	b1 := ti.sign(t, ti.qualification(t, "urn:uuid:p1", holder.did()))
	b2 := ti.sign(t, ti.qualification(t, "urn:uuid:p2", holder.did()))
	vp := present(t, holder, testChallenge, testDomain, b1, b2)
	v := newVerifier(t, WithTrustedKey(ti.did()))
	ctx := context.Background()

	r := v.Verify(ctx, vp, Binding{Challenge: testChallenge, Domain: testDomain})
	require.Equal(t, StatusVerified, r.Status, "%+v %+v", r.Checks, r.Credentials)
	require.Len(t, r.Credentials, 2)
	requireCheck(t, r, CheckHolder, StatusPassed)
	for _, cr := range r.Credentials {
		require.Equal(t, StatusVerified, cr.Status)
		requireCheck(t, cr, CheckHolder, StatusPassed)
	}

	for name, b := range map[string]Binding{
		"wrong challenge": {Challenge: "another-challenge", Domain: testDomain},
		"wrong domain":    {Challenge: testChallenge, Domain: "phish.example.com"},
		"no binding":      {},
	} {
		t.Run(name, func(t *testing.T) {
			r := v.Verify(ctx, vp, b)
			require.Equal(t, StatusFailed, r.Status)
			c := requireCheck(t, r, CheckHolder, StatusFailed)
			require.ErrorIs(t, c.Err, ErrChallenge)
			// the holder's signature itself verified
			requireCheck(t, r, CheckSignature, StatusPassed)
		})
	}
}

func TestPresentationHolderNotSubject(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	owner := newTestIssuer(t, keys.Ed25519)
	thief := newTestIssuer(t, keys.Ed25519)
	b := ti.sign(t, ti.qualification(t, "urn:uuid:owned", owner.did()))
	vp := present(t, thief, testChallenge, testDomain, b)
	r := newVerifier(t, WithTrustedKey(ti.did())).Verify(context.Background(), vp, Binding{Challenge: testChallenge, Domain: testDomain})
	require.Equal(t, StatusFailed, r.Status)
	c := requireCheck(t, r, CheckHolder, StatusFailed)
	require.ErrorIs(t, c.Err, ErrNotHolder)
	require.Contains(t, c.Message, owner.did())
	// the badge itself is genuine
	requireCheck(t, r.Credentials[0], CheckSignature, StatusPassed)
	requireCheck(t, r.Credentials[0], CheckIssuer, StatusPassed)

	// A binding that accepts other subjects verifies it, and says whose
	// badge it is; the challenge still binds.
	v := newVerifier(t, WithTrustedKey(ti.did()))
	r = v.Verify(context.Background(), vp, Binding{Challenge: testChallenge, Domain: testDomain, OtherSubjects: true})
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
	require.Contains(t, requireCheck(t, r.Credentials[0], CheckHolder, StatusPassed).Message, owner.did())
	require.Contains(t, requireCheck(t, r, CheckHolder, StatusPassed).Message, "1 of them are about another subject")
	r = v.Verify(context.Background(), vp, Binding{Challenge: "other", Domain: testDomain, OtherSubjects: true})
	require.Equal(t, "challenge_mismatch", requireCheck(t, r, CheckHolder, StatusFailed).Code)
	// The owner presenting their own badge is told apart.
	r = v.Verify(context.Background(), present(t, owner, testChallenge, testDomain, b), Binding{Challenge: testChallenge, Domain: testDomain, OtherSubjects: true})
	require.Equal(t, StatusVerified, r.Status)
	require.Contains(t, requireCheck(t, r, CheckHolder, StatusPassed).Message, "is the subject of each")
}

func TestPresentationOneTamperedBadge(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	holder := newTestIssuer(t, keys.Ed25519)
	var badges [][]byte
	for _, id := range []string{"urn:uuid:t1", "urn:uuid:t2", "urn:uuid:t3"} {
		badges = append(badges, ti.sign(t, ti.qualification(t, id, holder.did())))
	}
	badges[1] = []byte(strings.Replace(string(badges[1]), "기사", "기술사", 1)) // Engineer -> Professional Engineer
	vp := present(t, holder, testChallenge, testDomain, badges...)
	r := newVerifier(t, WithTrustedKey(ti.did())).Verify(context.Background(), vp, Binding{Challenge: testChallenge, Domain: testDomain})
	require.Equal(t, StatusFailed, r.Status)
	requireCheck(t, r, CheckSignature, StatusPassed) // the holder signed what they hold
	require.Len(t, r.Credentials, 3)
	for i, cr := range r.Credentials {
		if i == 1 {
			require.Equal(t, StatusFailed, cr.Status)
			require.ErrorIs(t, requireCheck(t, cr, CheckSignature, StatusFailed).Err, ErrBadSignature)
			continue
		}
		require.Equal(t, StatusVerified, cr.Status, "badge %d: %+v", i, cr.Checks)
	}
	require.ErrorIs(t, r.Err(), ErrBadSignature)
}

func TestPresentationTamperedAfterSigning(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	holder := newTestIssuer(t, keys.Ed25519)
	vp := present(t, holder, testChallenge, testDomain, ti.sign(t, ti.qualification(t, "urn:uuid:x", holder.did())))
	changed := []byte(strings.Replace(string(vp), testDomain, "evil.example.kr", 1))
	r := newVerifier(t, WithTrustedKey(ti.did())).Verify(context.Background(), changed, Binding{Challenge: testChallenge, Domain: "evil.example.kr"})
	require.Equal(t, StatusFailed, r.Status)
	c := requireCheck(t, r, CheckSignature, StatusFailed)
	require.ErrorIs(t, c.Err, ErrBadSignature)
	require.Equal(t, 1, strings.Count(c.Message, "does not verify"), "the message says it once: %s", c.Message)
}

func hashedEmail(email, salt string) badge.IdentityObject {
	sum := sha256.Sum256([]byte(email + salt))
	return badge.IdentityObject{Type: "IdentityObject", IdentityType: "emailAddress", Hashed: true, Salt: salt,
		IdentityHash: "sha256$" + hex.EncodeToString(sum[:])}
}

func TestPresentationHashedIdentity(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	holder := newTestIssuer(t, keys.Ed25519)
	id := hashedEmail("kim.minji@example.kr", "a1b2c3")
	c, err := badge.WorkExperience{Common: badge.Common{ID: "urn:uuid:work-1", Issuer: badge.Profile{ID: ti.did(), Name: badge.AgencyKEIS()},
		Identity: &id, ValidFrom: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)},
		Employer: "주식회사 예시", EmployerEn: "Example Co.", Role: "개발자", RoleEn: "Developer",
		Start: time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)}.Credential()
	require.NoError(t, err)
	vp := present(t, holder, testChallenge, testDomain, ti.sign(t, c))
	v := newVerifier(t, WithTrustedKey(ti.did()))
	bind := func(ids ...string) Binding {
		return Binding{Challenge: testChallenge, Domain: testDomain, Identities: ids}
	}

	r := v.Verify(context.Background(), vp, bind("mailto:Kim.Minji@Example.kr"))
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Credentials[0].Checks)
	require.Contains(t, requireCheck(t, r.Credentials[0], CheckHolder, StatusPassed).Message, "emailAddress")

	r = v.Verify(context.Background(), vp, bind("lee@example.kr", "+82-10-0000-0000"))
	require.Equal(t, StatusFailed, r.Status)
	require.ErrorIs(t, requireCheck(t, r, CheckHolder, StatusFailed).Err, ErrNotHolder)

	r = v.Verify(context.Background(), vp, bind())
	require.Equal(t, StatusIndeterminate, r.Status)
	requireCheck(t, r, CheckHolder, StatusIndeterminate)
}

func TestMatchIdentity(t *testing.T) {
	id := hashedEmail("kim@example.kr", "pepper")
	require.True(t, MatchIdentity(id, "kim@example.kr"))
	require.True(t, MatchIdentity(id, " KIM@example.kr "))
	require.True(t, MatchIdentity(id, "mailto:kim@example.kr"))
	require.False(t, MatchIdentity(id, "kim@example.com"))
	unsalted := id
	unsalted.Salt = ""
	require.False(t, MatchIdentity(unsalted, "kim@example.kr"), "the salt is part of the hash")

	phone := badge.IdentityObject{Type: "IdentityObject", IdentityType: "phoneNumber", Hashed: false, IdentityHash: "+821012345678"}
	require.True(t, MatchIdentity(phone, "+821012345678"))
	require.False(t, MatchIdentity(phone, "+821012345679"))
	md5 := id
	md5.IdentityHash = "md5$" + strings.Repeat("0", 32)
	require.False(t, MatchIdentity(md5, "kim@example.kr"))
}

// AcceptChallenge decides single-use challenges, and is asked only once the
// holder's signature and the domain have checked out.
func TestPresentationAcceptChallenge(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	holder := newTestIssuer(t, keys.Ed25519)
	vp := present(t, holder, testChallenge, testDomain, ti.sign(t, ti.qualification(t, "urn:uuid:ac", holder.did())))
	v := newVerifier(t, WithTrustedKey(ti.did()))
	ctx := context.Background()
	pending := map[string]bool{testChallenge: true}
	var asked []string
	accept := func(c string) error {
		asked = append(asked, c)
		if !pending[c] {
			return errors.New("not issued here or already used")
		}
		delete(pending, c)
		return nil
	}
	b := Binding{Domain: testDomain, AcceptChallenge: accept}

	// A forged presentation does not use the challenge up.
	forged := []byte(strings.Replace(string(vp), "정보처리", "정보보안", 1))
	r := v.Verify(ctx, forged, b)
	require.Equal(t, StatusFailed, r.Status)
	require.Empty(t, asked)
	// Nor does a genuine one for another domain.
	r = v.Verify(ctx, vp, Binding{Domain: "phish.example.com", AcceptChallenge: accept})
	require.ErrorIs(t, requireCheck(t, r, CheckHolder, StatusFailed).Err, ErrChallenge)
	require.Empty(t, asked)

	r = v.Verify(ctx, vp, b)
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
	require.Equal(t, []string{testChallenge}, asked)
	// Replayed: the same presentation a second time fails.
	r = v.Verify(ctx, vp, b)
	require.Equal(t, StatusFailed, r.Status)
	c := requireCheck(t, r, CheckHolder, StatusFailed)
	require.ErrorIs(t, c.Err, ErrChallenge)
	require.Contains(t, c.Message, "already used")
}
