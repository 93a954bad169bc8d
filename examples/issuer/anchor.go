package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/badgeproof/badgeproof/issuer"
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

// apply anchors the signed badges as one batch and returns them with the
// batch proof added.
func (p *anchorPlan) apply(ctx context.Context, signer *issuer.Signer, signed [][]byte, stderr io.Writer) ([][]byte, error) {
	if p.kind == "none" {
		return signed, nil
	}
	return nil, fmt.Errorf("--anchor %s: anchoring is not available in this build", p.kind)
}
