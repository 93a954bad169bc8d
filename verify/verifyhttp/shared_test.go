package verifyhttp

import (
	"bytes"
	"testing"

	"github.com/badgeproof/badgeproof/internal/redistest"
	"github.com/badgeproof/badgeproof/store/redisstore"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChallengesSharedThroughRedis: two handlers with one key and a real
// redis-server: a challenge from A is accepted by B, and a second use, on
// either, is refused.
func TestChallengesSharedThroughRedis(t *testing.T) {
	addr := redistest.Start(t)
	f := newFixture(t)
	key := bytes.Repeat([]byte("k"), MinChallengeKeyBytes)
	var hs [2]*Handler
	for i := range hs {
		rdb := redis.NewClient(&redis.Options{Addr: addr})
		t.Cleanup(func() { rdb.Close() })
		st, err := redisstore.New(rdb)
		require.NoError(t, err)
		hs[i], _ = newHandler(t, f, WithChallengeStore(st, key))
	}
	c := getChallenge(t, hs[0])
	vp := f.present(t, c.Challenge, c.Domain)
	r := decodeReport(t, do(hs[1], "POST", "/v1/verify", vp))
	require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
	for _, h := range hs {
		r = decodeReport(t, do(h, "POST", "/v1/verify", vp))
		assert.Equal(t, verify.StatusFailed, r.Status)
		assert.Contains(t, checkMessage(r, verify.CheckHolder), "already used")
	}
	// A handler with another key does not accept the fleet's challenges.
	other, _ := newHandler(t, f)
	c = getChallenge(t, hs[0])
	r = decodeReport(t, do(other, "POST", "/v1/verify", f.present(t, c.Challenge, c.Domain)))
	assert.Contains(t, checkMessage(r, verify.CheckHolder), "not issued by this verifier")

	_, err := NewHandler(f.verifier, WithChallengeStore(nil, key))
	require.Error(t, err)
	st, _ := redisstore.New(redis.NewClient(&redis.Options{Addr: addr}))
	_, err = NewHandler(f.verifier, WithChallengeStore(st, []byte("short")))
	require.Error(t, err)
}
