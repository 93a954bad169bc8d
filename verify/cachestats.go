package verify

import (
	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/internal/ttlcache"
)

// CacheCounts counts the lookups one of a Verifier's caches answered.
type CacheCounts struct {
	// Hits were answered from an unexpired entry.
	Hits uint64 `json:"hits"`
	// Misses went to the source (a chain, a status list URL, a key
	// document), or waited for a fetch of the same thing already under way.
	Misses uint64 `json:"misses"`
}

// CacheStats counts what a Verifier's caches answered since it was built,
// for monitoring their hit rates (Hits / (Hits + Misses)).
type CacheStats struct {
	// Anchors are the anchor records looked up through the anchor
	// resolver (WithAnchorResolver): zero without one.
	Anchors CacheCounts `json:"anchors"`
	// StatusLists are the status list credentials and status list tokens
	// fetched (status lists given with WithStatusListCredential are not
	// counted).
	StatusLists CacheCounts `json:"statusLists"`
	// KeyDocuments are the did:web and https controller documents fetched
	// for keys.
	KeyDocuments CacheCounts `json:"keyDocuments"`
}

// CacheStats returns the counts of the Verifier's caches so far. It is safe
// to call at any time, concurrently with verifications, and reads only.
func (v *Verifier) CacheStats() CacheStats {
	var s CacheStats
	if c, ok := v.anchors.(*anchor.Cache); ok {
		a := c.Stats()
		s.Anchors = CacheCounts{Hits: a.Hits, Misses: a.Misses}
	}
	if v.status != nil {
		s.StatusLists.add(v.status.cache.Stats())
	}
	if tc, err := v.tokenCache(); err == nil {
		s.StatusLists.add(tc.Stats())
	}
	chain, _ := v.keys.(chainResolver)
	for _, r := range chain {
		if w, ok := r.(webResolver); ok {
			s.KeyDocuments.add(w.did.cache.Stats())
			s.KeyDocuments.add(w.https.cache.Stats())
		}
	}
	return s
}

func (c *CacheCounts) add(s ttlcache.Stats) {
	c.Hits += s.Hits
	c.Misses += s.Misses
}
