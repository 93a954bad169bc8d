package verifyhttp

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// readyTimeout bounds one readiness check.
const readyTimeout = 2 * time.Second

// WithReadiness sets what GET /readyz asks before it answers 200
// {"status":"ready"}: check returns an error while the verifier should get
// no traffic (starting up, its trust material or anchors unreachable,
// shutting down), and /readyz then answers 503 with the error. GET /healthz
// stays 200 as long as the process serves: liveness and readiness are apart,
// so an orchestrator restarts a dead process but only drains a busy one.
// Without this option /readyz answers 200 whenever it is reached.
func WithReadiness(check func(context.Context) error) Option {
	return func(c *config) error {
		if check == nil {
			return errors.New("verifyhttp: nil readiness check")
		}
		c.ready = check
		return nil
	}
}

func (h *Handler) handleReady(w http.ResponseWriter, r *http.Request) {
	if h.cfg.ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := h.cfg.ready(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready", "error": err.Error()})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
