package verifyhttp

import (
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/badgeproof/badgeproof/store"
)

// MinChallengeKeyBytes is the shortest key WithChallengeStore accepts.
const MinChallengeKeyBytes = 32

// WithChallengeStore shares the challenges of GET /v1/challenge across
// several handlers behind a load balancer: each challenge is authenticated
// with key (the same secret, at least MinChallengeKeyBytes, on every
// instance), and a used challenge is recorded in s (e.g. a redisstore), so
// that a challenge issued by one instance is accepted by any other, once.
// Without it, challenges are keyed and recorded per process.
func WithChallengeStore(s store.Store, key []byte) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("verifyhttp: nil challenge store")
		}
		if len(key) < MinChallengeKeyBytes {
			return fmt.Errorf("verifyhttp: challenge key of %d bytes, want at least %d", len(key), MinChallengeKeyBytes)
		}
		k := sha256.Sum256(key) // any length of secret → the 32-byte MAC key
		c.challengeStore, c.challengeKey = s, k[:]
		return nil
	}
}
