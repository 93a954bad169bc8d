package verify

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

func TestListLifetime(t *testing.T) {
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Add(kv[i], kv[i+1])
		}
		return out
	}
	for name, tc := range map[string]struct {
		ttl  int64
		h    http.Header
		want time.Duration
	}{
		"default bound":                {0, nil, DefaultStatusCacheTTL},
		"list ttl shortens":            {30_000, nil, 30 * time.Second},
		"list ttl cannot lengthen":     {3_600_000, nil, DefaultStatusCacheTTL},
		"list ttl floored":             {1, nil, minStatusLifetime},
		"max-age shortens":             {0, h("Cache-Control", "public, max-age=60"), time.Minute},
		"max-age cannot lengthen":      {0, h("Cache-Control", "max-age=86400"), DefaultStatusCacheTTL},
		"s-maxage":                     {0, h("Cache-Control", "s-maxage=20"), 20 * time.Second},
		"no-cache: floor":              {0, h("Cache-Control", "no-cache"), minStatusLifetime},
		"no-store: floor":              {60_000, h("Cache-Control", "no-store"), minStatusLifetime},
		"malformed max-age: floor":     {0, h("Cache-Control", "max-age=soon"), minStatusLifetime},
		"expires with date":            {0, h("Date", "Sun, 01 Nov 2026 00:00:00 GMT", "Expires", "Sun, 01 Nov 2026 00:02:00 GMT"), 2 * time.Minute},
		"expires in the past: floor":   {0, h("Expires", "Sat, 31 Oct 2026 00:00:00 GMT"), minStatusLifetime},
		"max-age beats expires":        {0, h("Cache-Control", "max-age=10", "Expires", "Sun, 01 Nov 2026 01:00:00 GMT"), 10 * time.Second},
		"list ttl and header: shorter": {15_000, h("Cache-Control", "max-age=60"), 15 * time.Second},
	} {
		if name == "" {
			continue
		}
		require.Equal(t, tc.want, listLifetime(DefaultStatusCacheTTL, tc.ttl, tc.h, now), name)
	}
	require.Zero(t, listLifetime(0, 60_000, nil, now), "WithStatusCacheTTL(0) turns caching off")
}

// A revocation is seen as soon as the server's caching headers let the list
// go stale, not after the verifier's five-minute bound; RefreshStatusList
// sees it at once.
func TestStatusListHonoursCachingAndRefresh(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	dir := t.TempDir()
	var maxAge string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := os.ReadFile(filepath.Join(dir, issuer.StatusListFile))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", maxAge)
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	s := &slServer{ti: ti, dir: dir, url: srv.URL + "/status/1", srv: srv}
	l := s.open(t, "")
	badges := s.issue(t, l, 2)
	ctx := context.Background()
	revoke := func(i int) {
		_, err := l.Set(badgeIDFor(i), true)
		require.NoError(t, err)
		_, err = l.Publish()
		require.NoError(t, err)
	}

	// max-age=1: the list is reused for a second, then fetched again.
	maxAge = "max-age=1"
	v := s.verifier(t)
	require.Equal(t, StatusVerified, v.Verify(ctx, badges[0], Binding{}).Status)
	revoke(0)
	require.Equal(t, StatusVerified, v.Verify(ctx, badges[0], Binding{}).Status, "within max-age the cached list answers")
	time.Sleep(1100 * time.Millisecond)
	r := v.Verify(ctx, badges[0], Binding{})
	require.Equal(t, "revoked", r.Check(CheckStatus).Code, "%s", reportText(r))

	// A long max-age: the cache answers until RefreshStatusList.
	maxAge = "max-age=3600"
	v = s.verifier(t)
	require.Equal(t, StatusVerified, v.Verify(ctx, badges[1], Binding{}).Status)
	revoke(1)
	require.Equal(t, StatusVerified, v.Verify(ctx, badges[1], Binding{}).Status)
	v.RefreshStatusList(s.url)
	r = v.Verify(ctx, badges[1], Binding{})
	require.Equal(t, "revoked", r.Check(CheckStatus).Code, "%s", reportText(r))
}

func badgeIDFor(i int) string {
	return "urn:uuid:5a7e0000-0000-4000-8000-" + fmt.Sprintf("%012d", i)
}
