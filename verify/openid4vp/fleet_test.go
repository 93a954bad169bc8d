package openid4vp_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/badgeproof/badgeproof/internal/redistest"
	"github.com/badgeproof/badgeproof/store/redisstore"
	"github.com/badgeproof/badgeproof/verify/openid4vp"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFleetThroughRedis: two relying party instances behind a round-robin
// load balancer share transactions through a real redis-server. The
// request is created on instance A, its request object served by B, the
// wallet's response received by A or B, and the replay refused by the
// other, which learns from Redis that the transaction was completed.
func TestFleetThroughRedis(t *testing.T) {
	addr := redistest.Start(t)
	f := newFixture(t)
	id := x509HashIdentity(t)
	var served [2]atomic.Int32
	var backends [2]http.Handler
	var next atomic.Int32
	lb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(next.Add(1)-1) % 2
		served[i].Add(1)
		backends[i].ServeHTTP(w, r)
	}))
	defer lb.Close()
	var rps [2]*openid4vp.RelyingParty
	for i := range rps {
		rdb := redis.NewClient(&redis.Options{Addr: addr})
		t.Cleanup(func() { rdb.Close() })
		st, err := redisstore.New(rdb)
		require.NoError(t, err)
		rps[i], err = openid4vp.New(f.v, lb.URL, openid4vp.WithClientIdentity(id), openid4vp.WithStore(st))
		require.NoError(t, err)
		backends[i] = rps[i].Handler()
	}

	req, err := rps[0].CreateRequest(ctx, qualificationQuery())
	require.NoError(t, err)
	wr, err := f.wallet.Fetch(ctx, req.URL) // → instance A (request 0)
	require.NoError(t, err)
	form, err := f.wallet.Response(wr, nil)
	require.NoError(t, err)
	_, err = f.wallet.Post(ctx, wr, form) // → instance B (request 1)
	require.NoError(t, err)
	assert.Equal(t, int32(1), served[0].Load())
	assert.Equal(t, int32(1), served[1].Load())

	// Both instances read the verified result.
	for i, rp := range rps {
		res, err := rp.Result(ctx, req.ID, req.ResultKey)
		require.NoError(t, err)
		require.NotNil(t, res, "instance %d sees no result", i)
		require.True(t, res.Verified, "%s: %s", res.Code, res.Message)
		require.Len(t, res.Presented, 1)
		assert.Equal(t, "urn:uuid:q1", res.Presented[0].Report.Credentials[0].Credential.ID)
	}
	// The replay reaches instance A, which did not receive the first response.
	code, body := post(t, req.ResponseURI, form)
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "replayed_response", body["code"])
	assert.Equal(t, int32(2), served[0].Load())
	// And the request object is no longer served.
	resp, err := http.Get(req.RequestURI)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}
