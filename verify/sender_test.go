package verify

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/keys"
)

// TestWrongSenderNamesEachAddressOnce: an anchor written by someone else
// is reported with the issuer's allowed senders each named once, although
// its address follows from the trust list's key, the signing key and the
// did:key, and the trust list spells it twice, once in capitals.
func TestWrongSenderNamesEachAddressOnce(t *testing.T) {
	is := newTestIssuer(t, keys.Secp256k1)
	addr, err := is.key.PublicKey().EthereumAddress()
	require.NoError(t, err)
	upper := "0x" + strings.ToUpper(addr[2:]) // as a trust list may spell it
	lf := newLedgerFixture(t)
	badges, _ := ledgerBatch(t, is, lf, "did:example:someone-else", 2)
	tl := &TrustList{Issuers: []TrustedIssuer{{ID: is.did(), Name: "HRD Korea", Keys: []TrustedKey{NewTrustedKey("", is.key.PublicKey())},
		AnchoringAddresses: []string{upper, addr}}}}
	r := newVerifier(t, WithTrustList(tl), WithAnchorResolver(lf.l)).Verify(context.Background(), badges[0], Binding{})
	c := requireCheck(t, r, CheckAnchor, StatusFailed)
	assert.Equal(t, "wrong_sender", c.Code)
	assert.Contains(t, c.Message, "did:example:someone-else")
	assert.Equal(t, 1, strings.Count(strings.ToLower(c.Message), strings.ToLower(addr)), c.Message)
	assert.Equal(t, 1, strings.Count(c.Message, is.did()), c.Message)
}
