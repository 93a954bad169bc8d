package verifyhttp

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/badgeproof/badgeproof/verify"
)

// metrics are the Prometheus collectors of a Handler (WithMetrics).
type metrics struct {
	verifications *prometheus.CounterVec   // outcome
	checks        *prometheus.CounterVec   // check, status, code
	duration      *prometheus.HistogramVec // endpoint
	requests      *prometheus.CounterVec   // route, code
	reqDuration   *prometheus.HistogramVec // route
	reg           prometheus.Registerer    // for the verifier's cache counters (NewHandler)
}

// WithMetrics registers the handler's Prometheus metrics with reg:
//
//	badgeproof_verifications_total{outcome}                 documents verified, by verdict (verified, failed, indeterminate)
//	badgeproof_checks_total{check,status,code}              checks of those documents, by check id, status and code (empty when passed or skipped)
//	badgeproof_verification_duration_seconds{endpoint}      time to verify one request's documents (verify, batch)
//	badgeproof_http_requests_total{route,code}              requests by route pattern and HTTP status
//	badgeproof_http_request_duration_seconds{route}         request latency by route pattern
//	badgeproof_cache_requests_total{cache,result}           lookups of the Verifier's caches (anchors, status_lists, key_documents), by result (hit, miss)
//
// The hit rate of a cache is
//
//	sum by (cache) (rate(badgeproof_cache_requests_total{result="hit"}[5m])) / sum by (cache) (rate(badgeproof_cache_requests_total[5m]))
//
// No label carries anything from a badge. Serve reg's metrics yourself
// (promhttp.HandlerFor), usually at /metrics on an address that only your
// monitoring reaches.
func WithMetrics(reg prometheus.Registerer) Option {
	return func(c *config) error {
		if reg == nil {
			return errors.New("verifyhttp: nil metrics registerer")
		}
		m := &metrics{
			verifications: prometheus.NewCounterVec(prometheus.CounterOpts{
				Name: "badgeproof_verifications_total", Help: "Documents verified, by verdict.",
			}, []string{"outcome"}),
			checks: prometheus.NewCounterVec(prometheus.CounterOpts{
				Name: "badgeproof_checks_total", Help: "Checks of the documents verified, by check id, status and code.",
			}, []string{"check", "status", "code"}),
			duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
				Name: "badgeproof_verification_duration_seconds", Help: "Time to verify the documents of one request.",
				Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
			}, []string{"endpoint"}),
			requests: prometheus.NewCounterVec(prometheus.CounterOpts{
				Name: "badgeproof_http_requests_total", Help: "HTTP requests, by route pattern and status code.",
			}, []string{"route", "code"}),
			reqDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
				Name: "badgeproof_http_request_duration_seconds", Help: "HTTP request latency, by route pattern.",
				Buckets: prometheus.DefBuckets,
			}, []string{"route"}),
			reg: reg,
		}
		for _, col := range []prometheus.Collector{m.verifications, m.checks, m.duration, m.requests, m.reqDuration} {
			if err := reg.Register(col); err != nil {
				return fmt.Errorf("verifyhttp: registering metrics: %w", err)
			}
		}
		// Every outcome is present from the start, so rates work at once.
		for _, s := range []verify.Status{verify.StatusVerified, verify.StatusFailed, verify.StatusIndeterminate} {
			m.verifications.WithLabelValues(string(s))
		}
		c.metrics = m
		return nil
	}
}

// observeReports counts the reports of one request and its duration.
func (m *metrics) observeReports(endpoint string, start time.Time, reports ...*verify.Report) {
	if m == nil {
		return
	}
	m.duration.WithLabelValues(endpoint).Observe(time.Since(start).Seconds())
	for _, r := range reports {
		m.countReport(r)
	}
}

func (m *metrics) countReport(r *verify.Report) {
	if r == nil {
		return
	}
	m.verifications.WithLabelValues(string(r.Status)).Inc()
	m.countChecks(r)
}

// countChecks counts r's checks and those of the badges in a presentation.
func (m *metrics) countChecks(r *verify.Report) {
	for _, c := range r.Checks {
		m.checks.WithLabelValues(string(c.ID), string(c.Status), c.Code).Inc()
	}
	for _, sub := range r.Credentials {
		m.countChecks(sub)
	}
}

// observeRequest counts one request by its route pattern (never its path,
// which a client chooses).
func (m *metrics) observeRequest(r *http.Request, status int, d time.Duration) {
	if m == nil {
		return
	}
	route := r.Pattern
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, fmt.Sprint(status)).Inc()
	m.reqDuration.WithLabelValues(route).Observe(d.Seconds())
}

// cacheRequestsDesc describes the counters of the Verifier's caches.
var cacheRequestsDesc = prometheus.NewDesc("badgeproof_cache_requests_total",
	"Lookups of the verifier's caches, by cache (anchors, status_lists, key_documents) and result (hit, miss).",
	[]string{"cache", "result"}, nil)

// cacheCollector reads the Verifier's cache counters at each scrape.
type cacheCollector struct{ v *verify.Verifier }

func (c cacheCollector) Describe(ch chan<- *prometheus.Desc) { ch <- cacheRequestsDesc }

func (c cacheCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.v.CacheStats()
	for _, e := range []struct {
		name   string
		counts verify.CacheCounts
	}{{"anchors", s.Anchors}, {"status_lists", s.StatusLists}, {"key_documents", s.KeyDocuments}} {
		ch <- prometheus.MustNewConstMetric(cacheRequestsDesc, prometheus.CounterValue, float64(e.counts.Hits), e.name, "hit")
		ch <- prometheus.MustNewConstMetric(cacheRequestsDesc, prometheus.CounterValue, float64(e.counts.Misses), e.name, "miss")
	}
}

// registerCaches registers the counters of v's caches, once the handler
// knows its Verifier.
func (m *metrics) registerCaches(v *verify.Verifier) error {
	if m == nil {
		return nil
	}
	if err := m.reg.Register(cacheCollector{v}); err != nil {
		return fmt.Errorf("verifyhttp: registering cache metrics: %w", err)
	}
	return nil
}
