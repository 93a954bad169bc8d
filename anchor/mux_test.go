package anchor

import (
	"context"
	"errors"
	"testing"
)

type namedResolver string

func (n namedResolver) Resolve(_ context.Context, ref Ref) (Record, error) {
	return Record{Ref: ref, Sender: string(n)}, nil
}

func TestMux(t *testing.T) {
	var m Mux
	ctx := context.Background()
	if _, err := m.Resolve(ctx, testRef); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("empty mux: err = %v", err)
	}
	m.Handle(ChainEthereum, namedResolver("any-eth"))
	m.HandleNetwork(ChainEthereum, "sepolia", namedResolver("sepolia"))
	m.Handle(ChainLedger, namedResolver("ledger"))
	for _, tc := range []struct {
		ref  Ref
		want string
	}{
		{Ref{Chain: ChainEthereum, Network: "1337", ID: "x"}, "any-eth"},
		{Ref{Chain: ChainEthereum, Network: "sepolia", ID: "x"}, "sepolia"},
		{Ref{Chain: ChainLedger, Network: "abc", ID: "1"}, "ledger"},
	} {
		rec, err := m.Resolve(ctx, tc.ref)
		if err != nil || rec.Sender != tc.want || rec.Ref != tc.ref {
			t.Errorf("%s: %+v %v, want %s", tc.ref, rec, err, tc.want)
		}
	}
	for _, ref := range []Ref{
		{Chain: ChainBitcoin, Network: "mainnet", ID: "x"},
		{Chain: ChainMock, Network: "-1"},
	} {
		if _, err := m.Resolve(ctx, ref); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: err = %v", ref, err)
		}
	}
	// A network-only registration does not serve the chain's other networks.
	var n Mux
	n.HandleNetwork(ChainBitcoin, "regtest", namedResolver("regtest"))
	if _, err := n.Resolve(ctx, Ref{Chain: ChainBitcoin, Network: "mainnet", ID: "x"}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("mainnet served by a regtest resolver: %v", err)
	}
}

func TestMuxPanicsOnNil(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Handle with a nil Resolver did not panic")
		}
	}()
	var m Mux
	m.Handle(ChainLedger, nil)
}
