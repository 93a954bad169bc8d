package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/anchor/ethereum"
	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// anchorPlan is what --anchor asked for.
type anchorPlan struct {
	kind   string // none, ledger, eth
	target string // ledger DIR or node URL
	ethKey string
	done   string
}

func parseAnchor(spec, ethKey string) (*anchorPlan, error) {
	kind, target, _ := strings.Cut(spec, ":")
	p := &anchorPlan{kind: kind, target: target, ethKey: ethKey}
	switch {
	case spec == "none":
	case kind == "ledger" && target != "":
	case kind == "eth" && target != "":
	default:
		return nil, fmt.Errorf("--anchor %q: want none, ledger:DIR or eth:URL", spec)
	}
	if ethKey != "" && kind != "eth" {
		return nil, fmt.Errorf("--eth-key only goes with --anchor eth:URL")
	}
	return p, nil
}

func (p *anchorPlan) summary() string { return p.done }

// publisher opens what the plan anchors to; close releases it.
func (p *anchorPlan) publisher(signer *issuer.Signer) (pub anchor.Publisher, close func(), err error) {
	switch p.kind {
	case "ledger":
		l, err := ledger.Open(p.target)
		if err != nil {
			return nil, nil, fmt.Errorf("--anchor ledger:%s: %w", p.target, err)
		}
		return l.Publisher(signer.DID()), func() { l.Close() }, nil
	case "eth":
		var opts []ethereum.Option
		if p.ethKey != "" {
			key, err := keys.ReadFile(p.ethKey)
			if err != nil {
				return nil, nil, fmt.Errorf("--eth-key: %w", err)
			}
			if key.Type() != keys.Secp256k1 {
				return nil, nil, fmt.Errorf("--eth-key %s: key type %s; an Ethereum account needs a secp256k1 key (keygen --type secp256k1)", p.ethKey, key.Type())
			}
			opts = append(opts, ethereum.WithKey(key.Secp256k1()))
		}
		// No network named: anchor on whatever chain the node serves; the
		// Ref records its chain id.
		pub, err := ethereum.NewPublisher("", p.target, opts...)
		if err != nil {
			return nil, nil, fmt.Errorf("--anchor eth:%s: %w", p.target, err)
		}
		return pub, func() {}, nil
	}
	return nil, nil, fmt.Errorf("--anchor %s: unknown anchor", p.kind)
}

// apply anchors the signed badges as one batch and returns them with the
// batch proof added.
func (p *anchorPlan) apply(ctx context.Context, signer *issuer.Signer, signed [][]byte, stderr io.Writer) ([][]byte, error) {
	if p.kind == "none" {
		return signed, nil
	}
	pub, closePub, err := p.publisher(signer)
	if err != nil {
		return nil, err
	}
	defer closePub()
	bar := newProgress(len(signed), "anchoring", stderr)
	// The batch reports two units per badge (hashed, then written); the bar
	// counts badges.
	var units atomic.Int64
	perBadge := func(n int) {
		if units.Add(int64(n))%2 == 0 {
			bar.Add(1)
		}
	}
	batch, err := issuer.NewBatch(pub, issuer.WithBatchSigner(signer), issuer.WithBatchProgress(perBadge))
	if err != nil {
		return nil, err
	}
	out, rec, err := batch.IssueDocuments(ctx, signed)
	bar.Finish()
	if err != nil {
		return nil, err
	}
	p.done = fmt.Sprintf(", anchored at %s", rec.Ref)
	return out, nil
}
