package verifyhttp

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"sync"
	"time"
)

// errTooManyChallenges is returned when the store is full of live challenges.
var errTooManyChallenges = errors.New("too many outstanding challenges")

// challengeStore hands out single-use, expiring nonces.
type challengeStore struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	now     func() time.Time
	pending map[string]time.Time // challenge → expiry
}

func newChallengeStore(ttl time.Duration, max int, now func() time.Time) *challengeStore {
	return &challengeStore{ttl: ttl, max: max, now: now, pending: map[string]time.Time{}}
}

// issue returns a fresh challenge and its expiry.
func (s *challengeStore) issue() (string, time.Time, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", time.Time{}, err
	}
	c := base64.RawURLEncoding.EncodeToString(b[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if len(s.pending) >= s.max {
		s.pruneLocked(now)
		if len(s.pending) >= s.max {
			return "", time.Time{}, errTooManyChallenges
		}
	}
	exp := now.Add(s.ttl)
	s.pending[c] = exp
	return c, exp, nil
}

// consume accepts c if it was issued, has not expired and was not used
// before; either way c cannot be used again.
func (s *challengeStore) consume(c string) error {
	const retry = "; get a fresh challenge from GET /v1/challenge and have the holder sign a new presentation"
	if c == "" {
		return errors.New("the presentation's proof carries no challenge" + retry)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, found := s.pending[c]
	if !found {
		return errors.New("was not issued by this verifier or was already used" + retry)
	}
	delete(s.pending, c)
	if !s.now().Before(exp) {
		return errors.New("has expired (challenges are valid for " + s.ttl.String() + ")" + retry)
	}
	return nil
}

func (s *challengeStore) pruneLocked(now time.Time) {
	for c, exp := range s.pending {
		if !now.Before(exp) {
			delete(s.pending, c)
		}
	}
}
