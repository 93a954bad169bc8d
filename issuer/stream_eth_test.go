package issuer_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/anchor/ethereum"
	"github.com/badgeproof/badgeproof/anchor/ethereum/gethtest"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

// A batch a stopped run anchored on Ethereum, but had not recorded as
// anchored, is found among the chain's latest blocks on resume: one
// transaction per batch, and the badges name it.
func TestStreamResumeFindsItsEthereumAnchor(t *testing.T) {
	n := gethtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := batchSigner(t, keys.Ed25519)
	items := itemsOf(t, batchCreds(t, s.DID(), 10))
	eth, err := ethereum.NewPublisher("", n.URL, ethereum.WithPollInterval(20*time.Millisecond))
	require.NoError(t, err)
	before := n.TransactionCount(t, n.Account)
	res, sink := resumeAfterLostAnchor(ctx, t, s, &lostAnchorPublisher{inner: eth}, items)
	require.EqualValues(t, before+2, n.TransactionCount(t, n.Account), "one transaction per batch")

	r, err := ethereum.NewResolver(strconv.Itoa(gethtest.ChainID), []string{n.URL})
	require.NoError(t, err)
	ref, err := anchor.ParseRef(res.Batches[0].Anchor)
	require.NoError(t, err)
	rec, err := r.Resolve(ctx, ref)
	require.NoError(t, err)
	require.Equal(t, n.Account, rec.Sender)

	mux := &anchor.Mux{}
	mux.HandleNetwork(anchor.ChainEthereum, strconv.Itoa(gethtest.ChainID), r)
	tl := &verify.TrustList{Issuers: []verify.TrustedIssuer{{
		ID: s.DID(), Keys: []verify.TrustedKey{verify.NewTrustedKey("", s.PublicKey())}, AnchoringAddresses: []string{n.Account},
	}}}
	v, err := verify.New(verify.WithTrustList(tl), verify.WithAnchorResolver(mux), verify.WithClock(batchClock))
	require.NoError(t, err)
	require.Len(t, sink.docs, 10)
	for id, doc := range sink.docs {
		rep := v.Verify(ctx, doc, verify.Binding{})
		require.Equal(t, verify.StatusVerified, rep.Status, "%s: %+v", id, rep.Checks)
	}
}
