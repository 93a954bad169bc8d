package verifyhttp

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"

	"github.com/badgeproof/badgeproof/store"
)

// errTooManyChallenges is returned when more challenges are in use (used
// and not yet expired) than the store records.
var errTooManyChallenges = errors.New("too many challenges in use")

// challengeStore hands out single-use, expiring challenges without
// remembering them: a challenge is its expiry and a random nonce,
// authenticated with a key only this store knows (HMAC-SHA256). Handing one
// out costs no memory, so a flood of GET /v1/challenge cannot exhaust
// anything other clients need. A record is kept only when a challenge is
// used, until it expires, so that it cannot be used twice; records are
// made only for authentic, unexpired challenges, and only after the
// holder's signature verified (see verify.Binding.AcceptChallenge). The
// records live in a store.Store: in memory (at most max at once), or shared
// by a fleet with the same key (WithChallengeStore), so that a challenge
// from one instance is accepted by another, once.
type challengeStore struct {
	key [32]byte
	ttl time.Duration
	now func() time.Time

	used store.Store
	mem  *store.Memory // the default store, nil when shared
}

// Layout of a challenge before base64url: expiry (Unix nanoseconds, 8 bytes),
// nonce (16), truncated MAC over both (16).
const (
	challengeNonce = 16
	challengeMAC   = 16
	challengeRaw   = 8 + challengeNonce + challengeMAC
)

func newChallengeStore(ttl time.Duration, max int, now func() time.Time, shared store.Store, key []byte) (*challengeStore, error) {
	s := &challengeStore{ttl: ttl, now: now, used: shared}
	if shared == nil {
		m, err := store.NewMemory(max, now)
		if err != nil {
			return nil, err
		}
		s.used, s.mem = m, m
	}
	if key != nil {
		copy(s.key[:], key)
	} else if _, err := rand.Read(s.key[:]); err != nil {
		return nil, errors.New("verifyhttp: no randomness for the challenge key: " + err.Error())
	}
	return s, nil
}

// recorded is how many used challenges the default memory store holds.
func (s *challengeStore) recorded() int {
	if s.mem == nil {
		return -1
	}
	return s.mem.Len()
}

func (s *challengeStore) mac(b []byte) []byte {
	m := hmac.New(sha256.New, s.key[:])
	m.Write(b)
	return m.Sum(nil)[:challengeMAC]
}

// issue returns a fresh challenge and its expiry. It keeps nothing.
func (s *challengeStore) issue() (string, time.Time, error) {
	var b [challengeRaw]byte
	exp := s.now().Add(s.ttl)
	binary.BigEndian.PutUint64(b[:8], uint64(exp.UnixNano()))
	if _, err := rand.Read(b[8 : 8+challengeNonce]); err != nil {
		return "", time.Time{}, err
	}
	copy(b[8+challengeNonce:], s.mac(b[:8+challengeNonce]))
	return base64.RawURLEncoding.EncodeToString(b[:]), exp, nil
}

// consume accepts c if this store issued it, it has not expired and was
// not used before; either way c cannot be used again.
func (s *challengeStore) consume(ctx context.Context, c string) error {
	const retry = "; get a fresh challenge from GET /v1/challenge and have the holder sign a new presentation"
	if c == "" {
		return errors.New("the presentation's proof carries no challenge" + retry)
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) != challengeRaw || !hmac.Equal(b[8+challengeNonce:], s.mac(b[:8+challengeNonce])) {
		return errors.New("was not issued by this verifier" + retry)
	}
	exp := time.Unix(0, int64(binary.BigEndian.Uint64(b[:8])))
	now := s.now()
	if !now.Before(exp) {
		return errors.New("has expired (challenges are valid for " + s.ttl.String() + ")" + retry)
	}
	switch err := s.used.Create(ctx, "challenge:"+c, nil, exp.Sub(now)); {
	case errors.Is(err, store.ErrExists):
		return errors.New("was already used" + retry)
	case errors.Is(err, store.ErrFull):
		return errTooManyChallenges
	case err != nil:
		return errors.New("could not be recorded as used (" + err.Error() + "); try again")
	}
	return nil
}
