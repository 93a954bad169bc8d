package main

import (
	"context"
	"errors"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/badgeproof/badgeproof/anchor"
)

// serverMetrics is the registry GET /metrics serves: the HTTP handler's
// verification metrics (verifyhttp.WithMetrics), among them the hits and
// misses of the Verifier's caches (badgeproof_cache_requests_total), the
// anchor look-ups that reached a chain or ledger, and the Go runtime's and
// process's own. A cache's hit rate is
//
//	sum by (cache) (rate(badgeproof_cache_requests_total{result="hit"}[5m])) / sum by (cache) (rate(badgeproof_cache_requests_total[5m]))
type serverMetrics struct {
	reg           *prometheus.Registry
	anchorLookups *prometheus.CounterVec // look-ups that reached a chain or ledger, by result
}

func newServerMetrics() *serverMetrics {
	m := &serverMetrics{
		reg: prometheus.NewRegistry(),
		anchorLookups: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "badgeproof_anchor_lookups_total",
			Help: "Anchor records looked up on a chain or ledger (misses of the anchor cache), by result: found, not_found, unavailable, error.",
		}, []string{"result"}),
	}
	for _, r := range []string{"found", "not_found", "unavailable", "error"} {
		m.anchorLookups.WithLabelValues(r)
	}
	m.reg.MustRegister(m.anchorLookups, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// handler serves the registry in the Prometheus text format.
func (m *serverMetrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// wrapAnchors counts the look-ups r answers; the Verifier puts its anchor
// cache in front, so only misses reach it.
func (m *serverMetrics) wrapAnchors(r anchor.Resolver) (anchor.Resolver, error) {
	return countingResolver{inner: r, m: m}, nil
}

type countingResolver struct {
	inner anchor.Resolver
	m     *serverMetrics
}

func (c countingResolver) Resolve(ctx context.Context, ref anchor.Ref) (anchor.Record, error) {
	rec, err := c.inner.Resolve(ctx, ref)
	result := "found"
	switch {
	case err == nil:
	case errors.Is(err, anchor.ErrNotFound):
		result = "not_found"
	case errors.Is(err, anchor.ErrUnavailable):
		result = "unavailable"
	default:
		result = "error"
	}
	c.m.anchorLookups.WithLabelValues(result).Inc()
	return rec, err
}
