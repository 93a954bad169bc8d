package anchor

import (
	"context"
	"fmt"
	"sync"
)

// Mux is a Resolver that hands each Ref to the Resolver registered for its
// chain and network, or failing that for its chain. A Ref nobody handles
// gets an error wrapping ErrUnsupported. The zero Mux is empty and ready;
// registering and resolving may happen concurrently.
type Mux struct {
	mu      sync.RWMutex
	chains  map[string]Resolver
	network map[[2]string]Resolver
}

var _ Resolver = (*Mux)(nil)

// Handle registers r for every network of chain (for instance ChainLedger,
// or ChainEthereum when one resolver serves all EVM networks). It replaces
// an earlier registration for the same chain. It panics if chain is empty
// or r is nil.
func (m *Mux) Handle(chain string, r Resolver) {
	if chain == "" || r == nil {
		panic("anchor: Mux.Handle with an empty chain or a nil Resolver")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.chains == nil {
		m.chains = make(map[string]Resolver)
	}
	m.chains[chain] = r
}

// HandleNetwork registers r for one network of chain; it takes precedence
// over a Resolver registered with Handle for the whole chain. It panics if
// chain or network is empty or r is nil.
func (m *Mux) HandleNetwork(chain, network string, r Resolver) {
	if chain == "" || network == "" || r == nil {
		panic("anchor: Mux.HandleNetwork with an empty chain or network or a nil Resolver")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.network == nil {
		m.network = make(map[[2]string]Resolver)
	}
	m.network[[2]string{chain, network}] = r
}

// Resolve passes ref to the Resolver registered for it.
func (m *Mux) Resolve(ctx context.Context, ref Ref) (Record, error) {
	m.mu.RLock()
	r, ok := m.network[[2]string{ref.Chain, ref.Network}]
	if !ok {
		r, ok = m.chains[ref.Chain]
	}
	m.mu.RUnlock()
	if !ok {
		return Record{}, fmt.Errorf("%w: no resolver for chain %q network %q (%s)", ErrUnsupported, ref.Chain, ref.Network, ref)
	}
	return r.Resolve(ctx, ref)
}
