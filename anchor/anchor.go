package anchor

import (
	"context"
	"errors"
	"time"
)

// Errors a Resolver or Publisher wraps so that callers can tell outcomes apart
// with errors.Is.
var (
	// ErrNotFound: the chain was reachable and synced and does not hold the
	// referenced record. A verifier treats it as a failure.
	ErrNotFound = errors.New("anchor: record not found")
	// ErrUnavailable: the chain could not be asked (node down, timeout, still
	// syncing, endpoints disagree). A verifier treats it as indeterminate.
	ErrUnavailable = errors.New("anchor: chain unavailable")
	// ErrChainMismatch: the node serves another chain than the Ref names.
	ErrChainMismatch = errors.New("anchor: chain mismatch")
	// ErrUnsupported: no Resolver is configured for the Ref's chain or network.
	ErrUnsupported = errors.New("anchor: unsupported chain")
	// ErrCorrupt: the record exists but is damaged or fails its integrity check
	// (a torn or altered ledger record). A verifier treats it as a failure.
	ErrCorrupt = errors.New("anchor: corrupt record")
	// ErrInvalidRef: a blink URI that does not parse.
	ErrInvalidRef = errors.New("anchor: invalid blink URI")
)

// Record is what a chain holds for one anchor.
type Record struct {
	Ref Ref
	// Root is the anchored value: normally the 32-byte Merkle root.
	Root []byte
	// Time is the block (or ledger entry) time.
	Time time.Time
	// Confirmations counts blocks on top of the anchoring block, itself
	// included; 0 when unknown or not applicable. The ledger reports 1.
	Confirmations uint64
	// Sender identifies who wrote the anchor: a 0x-prefixed lower-case
	// Ethereum address, a Bitcoin address, or a ledger writer's identifier.
	Sender string
}

// Resolver reads anchors back from a chain. Implementations are safe for
// concurrent use and wrap ErrNotFound, ErrUnavailable, ErrChainMismatch,
// ErrCorrupt or ErrUnsupported in their errors.
type Resolver interface {
	Resolve(ctx context.Context, ref Ref) (Record, error)
}

// Publisher writes a root to a chain and returns where it was written.
type Publisher interface {
	Publish(ctx context.Context, root []byte) (Record, error)
}

// Finder is implemented by publishers that can find a root they published
// before. A resumed issuance asks it before anchoring a batch again, so
// that a run stopped after anchoring a batch but before recording where
// does not anchor the same root twice. Find returns the record, or an
// error wrapping ErrNotFound when this publisher did not publish root
// recently.
type Finder interface {
	Find(ctx context.Context, root []byte) (Record, error)
}
