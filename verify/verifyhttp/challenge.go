package verifyhttp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"sync"
	"time"
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
// holder's signature verified (see verify.Binding.AcceptChallenge).
type challengeStore struct {
	key [32]byte
	ttl time.Duration
	max int // most used-and-unexpired records kept
	now func() time.Time

	mu   sync.Mutex
	used map[string]time.Time // challenge → expiry
}

// Layout of a challenge before base64url: expiry (Unix nanoseconds, 8 bytes),
// nonce (16), truncated MAC over both (16).
const (
	challengeNonce = 16
	challengeMAC   = 16
	challengeRaw   = 8 + challengeNonce + challengeMAC
)

func newChallengeStore(ttl time.Duration, max int, now func() time.Time) *challengeStore {
	s := &challengeStore{ttl: ttl, max: max, now: now, used: map[string]time.Time{}}
	if _, err := rand.Read(s.key[:]); err != nil {
		panic("verifyhttp: no randomness for the challenge key: " + err.Error())
	}
	return s
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
func (s *challengeStore) consume(c string) error {
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
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, used := s.used[c]; used {
		return errors.New("was already used" + retry)
	}
	if len(s.used) >= s.max {
		s.pruneLocked(now)
		if len(s.used) >= s.max {
			return errTooManyChallenges
		}
	}
	s.used[c] = exp
	return nil
}

func (s *challengeStore) pruneLocked(now time.Time) {
	for c, exp := range s.used {
		if !now.Before(exp) {
			delete(s.used, c)
		}
	}
}
