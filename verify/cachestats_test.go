package verify

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/keys"
)

// TestCacheStatsCountAHitOnTheSecondVerification: verifying a badge once
// misses the anchor and the status list caches; verifying it again is a
// hit of each, and nothing else is looked up.
func TestCacheStatsCountAHitOnTheSecondVerification(t *testing.T) {
	ctx := context.Background()
	t.Run("anchors", func(t *testing.T) {
		is := newTestIssuer(t, keys.Ed25519)
		lf := newLedgerFixture(t)
		badges, _ := ledgerBatch(t, is, lf, is.did(), 2)
		v := newVerifier(t, WithTrustedKey(is.did()), WithAnchorResolver(lf.l))
		assert.Equal(t, CacheStats{}, v.CacheStats(), "a new verifier has counted nothing")

		require.Equal(t, StatusVerified, v.Verify(ctx, badges[0], Binding{}).Status)
		assert.Equal(t, CacheCounts{Misses: 1}, v.CacheStats().Anchors)
		require.Equal(t, StatusVerified, v.Verify(ctx, badges[0], Binding{}).Status)
		assert.Equal(t, CacheCounts{Hits: 1, Misses: 1}, v.CacheStats().Anchors, "the same badge again is a hit")
		require.Equal(t, StatusVerified, v.Verify(ctx, badges[1], Binding{}).Status)
		assert.Equal(t, CacheCounts{Hits: 2, Misses: 1}, v.CacheStats().Anchors, "a badge of the same batch is a hit")
		assert.Equal(t, CacheCounts{}, v.CacheStats().StatusLists)
		assert.EqualValues(t, 1, lf.l.Reads())
	})
	t.Run("status lists", func(t *testing.T) {
		s := newSLServer(t, newTestIssuer(t, keys.Ed25519))
		badges := s.issue(t, s.open(t, ""), 1)
		v := s.verifier(t)
		require.Equal(t, StatusVerified, v.Verify(ctx, badges[0], Binding{}).Status)
		require.Equal(t, StatusVerified, v.Verify(ctx, badges[0], Binding{}).Status)
		st := v.CacheStats()
		assert.Equal(t, CacheCounts{Hits: 1, Misses: 1}, st.StatusLists)
		assert.Equal(t, CacheCounts{}, st.Anchors, "no anchor resolver, nothing counted")
		assert.EqualValues(t, 1, s.hits.Load(), "the list was fetched once")
	})
}
