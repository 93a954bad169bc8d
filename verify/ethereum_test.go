package verify

// Anchor checks against a real go-ethereum development node (geth --dev):
// badges batched into a merkle-jcs-2026 proof whose root is anchored by
// the ethereum Publisher, read back by the ethereum Resolver through the
// Verifier. Without geth these tests are skipped (failed under CI=true).

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math/big"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/anchor/ethereum"
	"github.com/badgeproof/badgeproof/anchor/ethereum/gethtest"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/proofvalue"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// ethNode is the development node shared by the tests that neither stop it
// nor need a fresh one.
var ethNode gethtest.Shared

// ethOtherNode is a second node, never connected to the first: it has
// never seen the first node's transactions.
var ethOtherNode gethtest.Shared

func TestMain(m *testing.M) {
	code := m.Run()
	ethNode.Close()
	ethOtherNode.Close()
	os.Exit(code)
}

var devNetwork = strconv.Itoa(gethtest.ChainID)

func ethContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// ethPublisher publishes on n: from the node's account, or signed with key.
func ethPublisher(t *testing.T, n *gethtest.Node, opts ...ethereum.Option) *ethereum.Publisher {
	t.Helper()
	p, err := ethereum.NewPublisher(devNetwork, n.URL, append([]ethereum.Option{ethereum.WithPollInterval(20 * time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	return p
}

// ethVerifier reads network's anchors from urls.
func ethVerifier(t *testing.T, tl *TrustList, network string, urls []string, opts ...ethereum.Option) *Verifier {
	t.Helper()
	r, err := ethereum.NewResolver(network, urls, append([]ethereum.Option{ethereum.WithRetries(1, 10*time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	mux := &anchor.Mux{}
	mux.HandleNetwork(anchor.ChainEthereum, network, r)
	return newVerifier(t, WithTrustList(tl), WithAnchorResolver(mux))
}

// ethIssue signs size badges with ti and anchors them as one batch through
// pub with issuer.Batch.
func ethIssue(t *testing.T, ti *testIssuer, pub anchor.Publisher, size int) ([][]byte, anchor.Record) {
	t.Helper()
	var creds []*badge.Credential
	for i := range size {
		signed := ti.sign(t, ti.qualification(t, fmt.Sprintf("urn:uuid:eth-%d-%s", i, randomHex(t, 8)), "did:example:holder"))
		c, err := badge.ParseCredential(signed, badge.Limits{})
		require.NoError(t, err)
		creds = append(creds, c)
	}
	b, err := issuer.NewBatch(pub, issuer.WithBatchClock(clock))
	require.NoError(t, err)
	badges, rec, err := b.Issue(ethContext(t), creds)
	require.NoError(t, err)
	require.Len(t, badges, size)
	return badges, rec
}

// rootOf returns the Merkle root a badge's batch proof (its last proof)
// names.
func rootOf(t *testing.T, doc []byte) []byte {
	t.Helper()
	c, err := badge.ParseCredential(doc, badge.Limits{})
	require.NoError(t, err)
	mp, err := proofvalue.Decode(c.Proofs[len(c.Proofs)-1].ProofValue)
	require.NoError(t, err)
	return mp.MerkleRoot[:]
}

// publisherFunc adapts a function to anchor.Publisher.
type publisherFunc func(ctx context.Context, root []byte) (anchor.Record, error)

func (f publisherFunc) Publish(ctx context.Context, root []byte) (anchor.Record, error) {
	return f(ctx, root)
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

// anchoredTrustList trusts ti's key and the given anchoring addresses.
func anchoredTrustList(t *testing.T, ti *testIssuer, addresses ...string) *TrustList {
	t.Helper()
	trusted := ti.trusted()
	trusted.AnchoringAddresses = addresses
	return trustList(t, trusted)
}

// verifyAll verifies every badge and checks the overall status and the
// anchor check's status and error; it returns the anchor checks.
func verifyAll(t *testing.T, v *Verifier, badges [][]byte, want Status, anchorWant Status, wantErr error) []*Check {
	t.Helper()
	var checks []*Check
	for i, b := range badges {
		r := v.Verify(ethContext(t), b, Binding{})
		c := requireCheck(t, r, CheckAnchor, anchorWant)
		require.Equal(t, want, r.Status, "badge %d: %+v", i, r.Checks)
		require.Equal(t, want == StatusVerified, r.Verified)
		requireCheck(t, r, CheckMerkle, StatusPassed)
		if wantErr != nil {
			require.ErrorIs(t, c.Err, wantErr, "badge %d: %s", i, c.Message)
		} else {
			require.NoError(t, c.Err)
		}
		checks = append(checks, c)
	}
	return checks
}

func TestEthereumNodeAccountAnchorVerifies(t *testing.T) {
	n := ethNode.Get(t)
	ti := newTestIssuer(t, keys.Ed25519)
	badges, rec := ethIssue(t, ti, ethPublisher(t, n), 3)
	require.Equal(t, n.Account, rec.Sender)

	v := ethVerifier(t, anchoredTrustList(t, ti, n.Account), devNetwork, []string{n.URL})
	verifyAll(t, v, badges, StatusVerified, StatusPassed, nil)

	r := v.Verify(ethContext(t), badges[1], Binding{})
	require.Len(t, r.Anchors, 1)
	a := r.Anchors[0]
	require.Equal(t, rec.Ref.String(), a.URI)
	require.Equal(t, hex.EncodeToString(rec.Root), a.Root)
	require.Equal(t, n.Account, a.Sender)
	require.Equal(t, rec.Time.UTC().Format("2006-01-02T15:04:05Z"), a.Time)
	require.GreaterOrEqual(t, a.Confirmations, uint64(1))
	requireCheck(t, r, CheckSignature, StatusPassed)
	requireCheck(t, r, CheckIssuer, StatusPassed)

	// Anchoring addresses compare without regard to case (EIP-55 checksums).
	v = ethVerifier(t, anchoredTrustList(t, ti, "0x"+strings.ToUpper(n.Account[2:])), devNetwork, []string{n.URL})
	verifyAll(t, v, badges[:1], StatusVerified, StatusPassed, nil)
}

// A secp256k1 issuer anchoring with its own key needs no anchoring address
// in the trust list: the sender follows from the key.
func TestEthereumSignedAnchorBySecp256k1IssuerKey(t *testing.T) {
	n := ethNode.Get(t)
	ti := newTestIssuer(t, keys.Secp256k1)
	addr := ethereum.AddressFromPublicKey(ti.key.PublicKey().Secp256k1())
	n.Fund(t, addr, big.NewInt(1e18))
	badges, rec := ethIssue(t, ti, ethPublisher(t, n, ethereum.WithKey(ti.key.Secp256k1())), 2)
	require.Equal(t, addr, rec.Sender)

	v := ethVerifier(t, trustList(t, ti.trusted()), devNetwork, []string{n.URL})
	checks := verifyAll(t, v, badges, StatusVerified, StatusPassed, nil)
	require.Contains(t, checks[0].Message, addr)

}

func TestEthereumStoppedNodeIndeterminate(t *testing.T) {
	n := gethtest.Start(t)
	ti := newTestIssuer(t, keys.Ed25519)
	badges, _ := ethIssue(t, ti, ethPublisher(t, n), 1)
	tl := anchoredTrustList(t, ti, n.Account)
	v := ethVerifier(t, tl, devNetwork, []string{n.URL})
	verifyAll(t, v, badges, StatusVerified, StatusPassed, nil)

	n.Stop()
	v = ethVerifier(t, tl, devNetwork, []string{n.URL})
	checks := verifyAll(t, v, badges, StatusIndeterminate, StatusIndeterminate, ErrAnchorUnavailable)
	require.ErrorIs(t, checks[0].Err, anchor.ErrUnavailable)
	require.NotErrorIs(t, checks[0].Err, ErrAnchorMismatch)
}

func TestEthereumFreshNodeFails(t *testing.T) {
	n := ethNode.Get(t)
	ti := newTestIssuer(t, keys.Ed25519)
	badges, rec := ethIssue(t, ti, ethPublisher(t, n), 1)
	fresh := ethOtherNode.Get(t)
	v := ethVerifier(t, anchoredTrustList(t, ti, n.Account, fresh.Account), devNetwork, []string{fresh.URL})
	checks := verifyAll(t, v, badges, StatusFailed, StatusFailed, ErrAnchorMismatch)
	require.ErrorIs(t, checks[0].Err, anchor.ErrNotFound)
	require.Contains(t, checks[0].Message, rec.Ref.ID)
}

func TestEthereumOtherRootFails(t *testing.T) {
	n := ethNode.Get(t)
	ti := newTestIssuer(t, keys.Ed25519)
	// The batch's proofs name a transaction from the trusted sender that
	// carries another root.
	other := randomHex(t, 32)
	node := ethPublisher(t, n)
	badges, _ := ethIssue(t, ti, publisherFunc(func(ctx context.Context, root []byte) (anchor.Record, error) {
		r, err := node.Publish(ctx, []byte(other))
		r.Root = root // what the batch records; the chain holds other
		return r, err
	}), 2)
	v := ethVerifier(t, anchoredTrustList(t, ti, n.Account), devNetwork, []string{n.URL})
	checks := verifyAll(t, v, badges, StatusFailed, StatusFailed, ErrAnchorMismatch)
	require.Contains(t, checks[0].Message, hex.EncodeToString([]byte(other)))
	require.Contains(t, checks[0].Message, hex.EncodeToString(rootOf(t, badges[0])))
}

func TestEthereumSenderNotIssuerFails(t *testing.T) {
	n := ethNode.Get(t)
	ti := newTestIssuer(t, keys.Ed25519)
	badges, _ := ethIssue(t, ti, ethPublisher(t, n), 1)

	// The trust list does not list the node's account, and an Ed25519 key
	// has no Ethereum address.
	v := ethVerifier(t, anchoredTrustList(t, ti, "0x00000000000000000000000000000000000000a1"), devNetwork, []string{n.URL})
	checks := verifyAll(t, v, badges, StatusFailed, StatusFailed, ErrWrongSender)
	require.Contains(t, checks[0].Message, n.Account)

	// Nor does a secp256k1 issuer's own address let someone else's
	// transaction pass for its anchor.
	k1 := newTestIssuer(t, keys.Secp256k1)
	badges, _ = ethIssue(t, k1, ethPublisher(t, n), 1)
	v = ethVerifier(t, trustList(t, k1.trusted()), devNetwork, []string{n.URL})
	checks = verifyAll(t, v, badges, StatusFailed, StatusFailed, ErrWrongSender)
	require.Contains(t, checks[0].Message, ethereum.AddressFromPublicKey(k1.key.PublicKey().Secp256k1()))
}

func TestEthereumEndpointsDisagreeIndeterminate(t *testing.T) {
	n := ethNode.Get(t)
	ti := newTestIssuer(t, keys.Ed25519)
	badges, _ := ethIssue(t, ti, ethPublisher(t, n), 1)
	fresh := ethOtherNode.Get(t)
	v := ethVerifier(t, anchoredTrustList(t, ti, n.Account), devNetwork, []string{n.URL, fresh.URL})
	checks := verifyAll(t, v, badges, StatusIndeterminate, StatusIndeterminate, ErrAnchorUnavailable)
	require.ErrorIs(t, checks[0].Err, ethereum.ErrEndpointsDisagree)
	require.Contains(t, checks[0].Message, "disagree")
	require.Contains(t, checks[0].Message, "not found")
}

func TestEthereumWrongChainFails(t *testing.T) {
	n := ethNode.Get(t)
	ti := newTestIssuer(t, keys.Ed25519)
	tl := anchoredTrustList(t, ti, n.Account)
	node := ethPublisher(t, n)
	// issueOn anchors on the dev node but names network in the badges.
	issueOn := func(network string) [][]byte {
		badges, _ := ethIssue(t, ti, publisherFunc(func(ctx context.Context, root []byte) (anchor.Record, error) {
			r, err := node.Publish(ctx, root)
			r.Ref.Network = network
			return r, err
		}), 1)
		return badges
	}

	// The badge names chain 31337; the endpoint given for 31337 serves 1337.
	checks := verifyAll(t, ethVerifier(t, tl, "31337", []string{n.URL}), issueOn("31337"), StatusFailed, StatusFailed, ErrAnchorMismatch)
	require.ErrorIs(t, checks[0].Err, anchor.ErrChainMismatch)

	// The badge names mainnet; the endpoint given for mainnet is the dev node.
	mainnet := issueOn("mainnet")
	checks = verifyAll(t, ethVerifier(t, tl, "mainnet", []string{n.URL}), mainnet, StatusFailed, StatusFailed, ErrAnchorMismatch)
	require.ErrorIs(t, checks[0].Err, anchor.ErrChainMismatch)

	// A network no endpoint was given for cannot be checked at all.
	checks = verifyAll(t, ethVerifier(t, tl, devNetwork, []string{n.URL}), mainnet, StatusIndeterminate, StatusIndeterminate, ErrAnchorUnavailable)
	require.ErrorIs(t, checks[0].Err, anchor.ErrUnsupported)

	// Named with its own network, the same kind of anchor verifies.
	verifyAll(t, ethVerifier(t, tl, devNetwork, []string{n.URL}), issueOn(devNetwork), StatusVerified, StatusPassed, nil)
}

func TestEthereumFewConfirmationsIndeterminate(t *testing.T) {
	n := ethNode.Get(t)
	ti := newTestIssuer(t, keys.Ed25519)
	badges, rec := ethIssue(t, ti, ethPublisher(t, n), 1)
	tl := anchoredTrustList(t, ti, n.Account)

	n.MineBlocks(t, 2)
	var tx struct {
		BlockNumber string `json:"blockNumber"`
	}
	n.Call(t, &tx, "eth_getTransactionByHash", rec.Ref.ID)
	block, err := strconv.ParseUint(strings.TrimPrefix(tx.BlockNumber, "0x"), 16, 64)
	require.NoError(t, err)
	have := n.BlockNumber(t) - block + 1
	require.GreaterOrEqual(t, have, uint64(3))

	v := ethVerifier(t, tl, devNetwork, []string{n.URL}, ethereum.WithMinConfirmations(have+100))
	checks := verifyAll(t, v, badges, StatusIndeterminate, StatusIndeterminate, ErrAnchorUnavailable)
	require.ErrorIs(t, checks[0].Err, ethereum.ErrFewConfirmations)
	require.Contains(t, checks[0].Message, strconv.FormatUint(have+100, 10))

	v = ethVerifier(t, tl, devNetwork, []string{n.URL}, ethereum.WithMinConfirmations(have))
	verifyAll(t, v, badges, StatusVerified, StatusPassed, nil)
}
