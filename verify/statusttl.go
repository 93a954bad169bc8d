package verify

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultStatusCacheTTL is the default staleness bound of a status list: a
// list fetched once is reused for at most this long (WithStatusCacheTTL),
// and for less when the list's own ttl or the server's caching headers say
// so. A revocation is seen at most this long after the issuer publishes it.
const DefaultStatusCacheTTL = 5 * time.Minute

// minStatusLifetime is the shortest reuse of a fetched list, whatever the
// list or the server ask for (ttl 0, Cache-Control: no-cache): one
// verification of a thousand badges naming one list fetches it once, not a
// thousand times.
const minStatusLifetime = time.Second

// listLifetime is how long a fetched status list is reused: the verifier's
// bound, shortened by the list's ttl (milliseconds, Bitstring Status List
// v1.0) and by the answer's caching headers (Cache-Control no-store,
// no-cache, max-age, s-maxage; Expires with Date), never below
// minStatusLifetime (a bound of 0 turns caching off). Headers can only shorten it: a server cannot make a
// verifier keep a list longer than its bound.
func listLifetime(bound time.Duration, ttlMillis int64, h http.Header, now time.Time) time.Duration {
	if bound <= 0 {
		return 0 // caching off (WithStatusCacheTTL(0))
	}
	life := bound
	if ttlMillis > 0 {
		life = min(life, time.Duration(ttlMillis)*time.Millisecond)
	}
	if d, ok := httpFreshness(h, now); ok {
		life = min(life, d)
	}
	return max(life, minStatusLifetime)
}

// httpFreshness reads the caching headers of an answer (RFC 9111): how long
// it may be reused, if they say.
func httpFreshness(h http.Header, now time.Time) (time.Duration, bool) {
	if h == nil {
		return 0, false
	}
	var maxAge, sMaxAge time.Duration = -1, -1
	for _, v := range h.Values("Cache-Control") {
		for _, d := range strings.Split(v, ",") {
			name, val, _ := strings.Cut(strings.TrimSpace(d), "=")
			name = strings.ToLower(name)
			switch name {
			case "no-store", "no-cache":
				return 0, true
			case "max-age", "s-maxage":
				n, err := strconv.ParseInt(strings.Trim(val, `"`), 10, 64)
				if err != nil || n < 0 {
					return 0, true // a malformed directive: treat as stale (RFC 9111 4.2.1)
				}
				d := time.Duration(min(n, int64(365*24*3600))) * time.Second
				if name == "max-age" {
					maxAge = d
				} else {
					sMaxAge = d
				}
			}
		}
	}
	if maxAge >= 0 || sMaxAge >= 0 {
		return max(maxAge, sMaxAge), true
	}
	if e := h.Get("Expires"); e != "" {
		t, err := http.ParseTime(e)
		if err != nil {
			return 0, true // an invalid Expires means already expired
		}
		ref := now
		if d, err := http.ParseTime(h.Get("Date")); err == nil {
			ref = d
		}
		return max(t.Sub(ref), 0), true
	}
	return 0, false
}

// RefreshStatusList makes the next verification fetch the status list at
// url again instead of reusing a cached copy: call it when the issuer says
// the list changed, or before deciding something that must not rest on a
// list up to the staleness bound old.
func (v *Verifier) RefreshStatusList(url string) { v.status.cache.Remove(url) }

// RefreshStatusLists forgets every cached status list.
func (v *Verifier) RefreshStatusLists() { v.status.cache.Purge() }
