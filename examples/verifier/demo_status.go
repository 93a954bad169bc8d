package main

import (
	"fmt"
	"net/http"
	"sync"

	"github.com/badgeproof/badgeproof/issuer"
)

// demoStatusPath is where the demo server serves HRD Korea's status list.
const demoStatusPath = "/demo/status/hrd-korea"

// demoRevocation is the demo issuer's revocation list, served by the demo
// server itself on loopback.
type demoRevocation struct {
	list *issuer.StatusList
	mu   sync.RWMutex
	doc  []byte // the published, signed list credential
}

func newDemoRevocation(dir, url string, signer *issuer.Signer) (*demoRevocation, error) {
	l, err := issuer.OpenStatusList(dir, signer, issuer.StatusListConfig{URL: url})
	if err != nil {
		return nil, fmt.Errorf("demo status list: %w", err)
	}
	return &demoRevocation{list: l}, nil
}

// revoke sets badgeID's bit and publishes the list.
func (r *demoRevocation) revoke(badgeID string) error {
	if _, err := r.list.Set(badgeID, true); err != nil {
		return fmt.Errorf("demo revocation of %s: %w", badgeID, err)
	}
	return r.publish()
}

// publish signs the list as it stands and serves that.
func (r *demoRevocation) publish() error {
	doc, err := r.list.Publish()
	if err != nil {
		return fmt.Errorf("demo status list: %w", err)
	}
	r.mu.Lock()
	r.doc = doc
	r.mu.Unlock()
	return nil
}

// ServeHTTP serves the signed status list credential.
func (r *demoRevocation) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.RLock()
	doc := r.doc
	r.mu.RUnlock()
	if doc == nil {
		http.NotFound(w, req)
		return
	}
	w.Header().Set("Content-Type", "application/vc+ld+json")
	w.Write(doc)
}
