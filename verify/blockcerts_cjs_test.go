package verify

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// cjsDecision is how cert-verifier-js (@21de5589, test/e2e/verifier)
// decides a fixture, and what this verifier reports for it offline, given
// the issuer profiles, DID document, status lists and JSON schema its tests
// fetch (testdata/vectors/blockcerts/network).
type cjsDecision struct {
	success bool    // cert-verifier-js: VERIFICATION_STATUSES.SUCCESS
	check   CheckID // the check that fails here when cert-verifier-js fails it
	code    string  // its code
	// gap, when set, says why this verifier cannot decide as
	// cert-verifier-js does offline, and what it reports instead (never
	// verified where cert-verifier-js fails).
	gap string
}

var cjsDecisions = map[string]cjsDecision{
	"v2/ethereum-main-valid-2.0.json":                                            {success: true},
	"v2/mainnet-valid-2.0.json":                                                  {success: true},
	"v2/mocknet-valid-2.0.json":                                                  {success: true},
	"v2/testnet-valid-2.0.json":                                                  {success: true},
	"v2/ethereum-tampered-2.0.json":                                              {check: CheckMerkle, code: "hash_mismatch"},
	"v3/testnet-v3-did.json":                                                     {success: true},
	"v3/ethereum-sepolia-v3.json":                                                {success: true},
	"v3/mocknet-v3-valid.json":                                                   {success: true},
	"v3/mocknet-vc-v2-credential-schema.json":                                    {success: true},
	"v3/mocknet-vc-v2-credential-subject-array.json":                             {success: true},
	"v3/mocknet-vc-v2-data-integrity-proof-multiple-signatures-non-chained.json": {success: true},
	"v3/mocknet-vc-v2-data-integrity-proof-multiple-signatures.json":             {success: true},
	"v3/mocknet-vc-v2-data-integrity-proof.json":                                 {success: true},
	"v3/mocknet-vc-v2-name-description-multilingual.json":                        {success: true},
	"v3/mocknet-vc-v2-name-description.json":                                     {success: true},
	"v3/mocknet-vc-v2-validFrom-valid.json":                                      {success: true},
	"v3/example-non-chained-proofs.json":                                         {success: true},
	"v3/proof-chain-example-ed25519.json":                                        {success: true},
	"v3/proof-chain-example-secp256k1.json":                                      {success: true},
	"v3/ecdsa-sd-2023-derived-credential.json":                                   {success: true},
	"v3/testnet-v3-did--verification-method-mismatch.json":                       {check: CheckIssuer, code: "key_not_issuer"},
	"v3/testnet-v3-did--verification-method-not-referenced.json":                 {check: CheckIssuer, code: "unknown_key"},
	"v3/ecdsa-sd-2023-signed-credential.json":                                    {check: CheckSignature, code: "bad_signature"},
	"v3/mocknet-vc-v2-invalid-date-format.json":                                  {check: CheckFormat, code: "malformed"},
	"v3/mocknet-vc-v2-validFrom-not-yet-valid.json":                              {check: CheckValidity, code: "not_yet_valid"},
	"v3/mocknet-vc-v2-validUntil-expired.json":                                   {check: CheckValidity, code: "expired"},
	"v3/testnet-v3--tampered.json":                                               {check: CheckMerkle, code: "hash_mismatch"},
	"v3/cert-rl-status-list-2021-revoked.json":                                   {check: CheckStatus, code: "revoked"},
	"v3/cert-rl-status-list-2021-suspended.json":                                 {check: CheckStatus, code: "suspended"},
	"v3/mocknet-vc-v2-credential-schema-invalid.json":                            {check: CheckFormat, code: "malformed"},
	"v3/mocknet-verifiable-presentation.json":                                    {success: true},
	"v3/mocknet-verifiable-presentation-tampered.json":                           {check: CheckMerkle, code: "hash_mismatch"},
	"v3/mocknet-verifiable-presentation-failing-credential.json":                 {check: CheckFormat, code: "malformed"}, // its second credential's subject, against its credentialSchema
	"v3/blockcerts-3.0-alpha.json": {success: true,
		gap: "cert-verifier-js's tests verify no 3.0-alpha certificate (they read its hashlinks and issuer only); it hashes it as here, fetching https://www.w3.org/2018/credentials/examples/v1, and the hash is the targetHash; what it adds online, the Ethereum Ropsten anchor and the hashlinked images, cannot be had offline, so here the anchor and the issuer are undecided, never failed"},
	"v3/testnet-v3-hashlink.json": {check: CheckMerkle, code: "hash_mismatch",
		gap: "cert-verifier-js hashes the certificate as it is (hl: values included): it resolves hashlinks only to render the display, and checks the images they name in a step that fetches them; its own test of this fixture is skipped (the verification method is not the issuer's), so it states no decision; here the RDFC hash differs from the targetHash"},
}

// Every Blockcerts fixture with a cert-verifier-js decision decides the
// same way here, offline, given the issuer profiles and the DID document
// cert-verifier-js's tests fetch: what it verifies is never failed (only
// undecided where a chain or a list cannot be asked offline, or verified),
// and what it refuses fails at the named check; the listed gaps are the
// only exceptions, and none of them is verified where cert-verifier-js
// fails.
func TestBlockcertsDecideAsCertVerifierJS(t *testing.T) {
	net := func(f string) []byte { return readVector(t, filepath.Join("blockcerts/network", f)) }
	v := newVerifier(t, WithOffline(), WithAllowTestAnchors(),
		WithControllerDocuments(net("did-ion-EiA_Z6LQILbB2zj_eVrqfQ2xDm4HNqeJUw5Kj2Z7bFOOeQ.json"), net("issuer-blockcerts.json"), net("hyland-issuer-profile-secp256k1.json")),
		WithBlockcertsRevocationList("https://www.blockcerts.org/samples/2.0/revocation-list-testnet.json", net("v2-testnet-revocation-list.json")),
		WithCredentialSchemas(map[string][]byte{"https://www.blockcerts.org/samples/3.0/example-id-card-schema.json": net("credential-schema-example-id-card.json")}),
		WithStatusListCredential("https://www.blockcerts.org/samples/3.0/status-list-2021.json", net("blockcerts-status-list-2021.json")),
		WithStatusListCredential("https://www.blockcerts.org/samples/3.0/status-list-2021-suspension.json", net("blockcerts-status-list-2021-suspension.json")))
	for name, want := range cjsDecisions {
		t.Run(name, func(t *testing.T) {
			r := v.Verify(context.Background(), readVector(t, filepath.Join("blockcerts", name)), Binding{})
			if want.success {
				for _, sub := range append([]*Report{r}, r.Credentials...) {
					for _, c := range sub.Checks {
						require.NotEqual(t, StatusFailed, c.Status, "cert-verifier-js verifies it; here %s failed: %s", c.ID, c.Message)
					}
				}
				if strings.Contains(name, "mocknet") && want.gap == "" {
					// Nothing needs a chain: only the issuer's trust is open,
					// and, for a presentation anchored by its issuer, who
					// presents it.
					open := []CheckID{CheckIssuer, CheckSignature}
					if strings.Contains(name, "presentation") {
						open = append(open, CheckHolder)
					}
					for _, c := range r.Checks {
						if c.Status == StatusIndeterminate {
							require.Contains(t, open, c.ID, "%s: %s", c.ID, c.Message)
						}
					}
				}
				return
			}
			require.NotEqual(t, StatusVerified, r.Status)
			c := r.Check(want.check)
			for _, sub := range r.Credentials {
				// A presentation fails with the credential inside that
				// cert-verifier-js fails.
				if sc := sub.Check(want.check); (c == nil || c.Status != StatusFailed) && sc != nil && sc.Status == StatusFailed {
					c = sc
				}
			}
			require.NotNil(t, c, "%s", reportText(r))
			require.Equal(t, want.code, c.Code, "%s: %s", want.check, c.Message)
			if want.gap == "" {
				require.Equal(t, StatusFailed, r.Status)
			}
		})
	}
	// The presentation signed with eddsa-rdfc-2022 by the W3C VC 2.0 test
	// suite verifies with its challenge and domain, as in cert-verifier-js.
	r := v.Verify(context.Background(), readVector(t, "blockcerts/v3/vp-eddsa-rdfc-2022.json"),
		Binding{Challenge: "uFLOeUzjbCkc0K-21LUKrig", Domain: "github.com/w3c/vc-data-model-2.0-test-suite"})
	require.Equal(t, StatusVerified, r.Status, "%s", reportText(r))
}

// A genuine Blockcerts certificate reaches verified offline once the
// verifier is given its issuer's profile (the anchoring addresses) and is
// told to accept test anchors.
func TestBlockcertsVerifiedOffline(t *testing.T) {
	net := func(f string) []byte { return readVector(t, filepath.Join("blockcerts/network", f)) }
	const listURL = "https://www.blockcerts.org/samples/2.0/revocation-list-testnet.json"
	v := newVerifier(t, WithOffline(), WithAllowTestAnchors(), WithBlockcertsIssuerProfiles(net("v2-testnet-issuer-profile.json")),
		WithBlockcertsRevocationList(listURL, net("v2-testnet-revocation-list.json")), WithoutIssuerTrustUnsafe())
	cert := readVector(t, "blockcerts/v2/mocknet-valid-2.0.json")
	r := v.Verify(context.Background(), cert, Binding{})
	require.Equal(t, StatusVerified, r.Status, "%s", reportText(r))
	requireCheck(t, r, CheckStatus, StatusPassed)

	// A revocation list that lists the certificate revokes it.
	revoked := []byte(`{"@context":"https://w3id.org/openbadges/v2","id":"` + listURL + `","type":"RevocationList","revokedAssertions":[{"id":"urn:uuid:bbba8553-8ec1-445f-82c9-a57251dd731c","revocationReason":"Issued in error."}]}`)
	v = newVerifier(t, WithOffline(), WithAllowTestAnchors(), WithBlockcertsIssuerProfiles(net("v2-testnet-issuer-profile.json")),
		WithBlockcertsRevocationList(listURL, revoked), WithoutIssuerTrustUnsafe())
	r = v.Verify(context.Background(), cert, Binding{})
	c := requireCheck(t, r, CheckStatus, StatusFailed)
	require.Equal(t, "revoked", c.Code)
	require.Contains(t, c.Message, "Issued in error.")

	// Without test anchors the mocknet certificate is not anchored.
	v = newVerifier(t, WithOffline(), WithBlockcertsIssuerProfiles(net("v2-testnet-issuer-profile.json")),
		WithBlockcertsRevocationList(listURL, net("v2-testnet-revocation-list.json")), WithoutIssuerTrustUnsafe())
	r = v.Verify(context.Background(), cert, Binding{})
	require.Equal(t, StatusFailed, r.Status)
	require.Equal(t, "not_anchored", r.Check(CheckAnchor).Code)
}

// Blockcerts presentations anchored with a Merkle proof over the whole
// presentation are checked as cert-verifier-js checks them: the target hash
// of the presentation without its proof, with {"@vocab":
// "http://fallback.org/"} appended to its @context, each credential inside
// in a graph of its own (the VC 2.0 context's verifiableCredential). The
// valid ones reach their root and their test anchor; the tampered one fails
// with hash_mismatch while each credential inside still verifies on its
// own. Such a proof is the issuer's, not the holder's: who presents the
// presentation stays undecided, never verified.
func TestBlockcertsAnchoredPresentations(t *testing.T) {
	v := newVerifier(t, WithOffline(), WithAllowTestAnchors())
	for name, tampered := range map[string]bool{"mocknet-verifiable-presentation.json": false, "mocknet-verifiable-presentation-failing-credential.json": false, "mocknet-verifiable-presentation-tampered.json": true} {
		r := v.Verify(context.Background(), readVector(t, "blockcerts/v3/"+name), Binding{})
		require.Len(t, r.Credentials, 2)
		for _, c := range r.Credentials {
			require.Equal(t, StatusPassed, c.Check(CheckMerkle).Status, name)
		}
		m := r.Check(CheckMerkle)
		require.NotNil(t, m, "%s: %s", name, reportText(r))
		if tampered {
			require.Equal(t, StatusFailed, r.Status, name)
			require.Equal(t, StatusFailed, m.Status, name)
			require.Equal(t, "hash_mismatch", m.Code)
			require.ErrorIs(t, m.Err, ErrHashMismatch)
			continue
		}
		require.Equal(t, StatusPassed, m.Status, "%s: %s", name, m.Message)
		require.Contains(t, m.Message, "presentation proof[0]")
		a := requireCheck(t, r, CheckAnchor, StatusSkipped)
		require.Contains(t, a.Message, "test anchor")
		h := requireCheck(t, r, CheckHolder, StatusIndeterminate)
		require.Contains(t, h.Message, "no proof by the holder")
		require.Equal(t, StatusIndeterminate, r.Status, name)
	}

	// Without test anchors the presentation is not anchored; with a
	// verifier that does not accept merkle-proof-2019 its proof is refused.
	doc := readVector(t, "blockcerts/v3/mocknet-verifiable-presentation.json")
	r := newVerifier(t, WithOffline()).Verify(context.Background(), doc, Binding{})
	require.Equal(t, StatusFailed, r.Status)
	require.Equal(t, "not_anchored", r.Check(CheckAnchor).Code)
	r = newVerifier(t, WithOffline(), WithAllowTestAnchors(), WithCryptosuites(EdDSARDFC2022)).Verify(context.Background(), doc, Binding{})
	require.Equal(t, "suite_not_accepted", r.Check(CheckMerkle).Code)
}

// Blockcerts' StatusList2021 lists are read as cert-verifier-js reads them:
// signed by a did:key of their own, not by the certificate's issuer, with
// the bitstring written without a multibase prefix. A set bit revokes or
// suspends; an unset bit on a list the issuer did not sign leaves the
// status undecided. A Bitstring Status List entry pointing at such a list
// is refused, and a list not given offline is not fetched.
func TestBlockcertsStatusList2021(t *testing.T) {
	net := func(f string) []byte { return readVector(t, filepath.Join("blockcerts/network", f)) }
	const revURL = "https://www.blockcerts.org/samples/3.0/status-list-2021.json"
	v := newVerifier(t, WithOffline(), WithAllowTestAnchors(), WithControllerDocuments(net("issuer-blockcerts.json")),
		WithStatusListCredential(revURL, net("blockcerts-status-list-2021.json")),
		WithStatusListCredential("https://www.blockcerts.org/samples/3.0/status-list-2021-suspension.json", net("blockcerts-status-list-2021-suspension.json")))

	r := v.Verify(context.Background(), readVector(t, "blockcerts/v3/cert-rl-status-list-2021-revoked.json"), Binding{})
	c := requireCheck(t, r, CheckStatus, StatusFailed)
	require.Equal(t, "revoked", c.Code)
	require.ErrorIs(t, c.Err, ErrRevoked)
	require.Contains(t, c.Message, "bit 23547")
	require.Contains(t, c.Message, "signed by did:key:zQ3shWbMURApEGeYEYbyfMoPbuW5qCmM7gtWkwnhGf2LLkv2M")

	r = v.Verify(context.Background(), readVector(t, "blockcerts/v3/cert-rl-status-list-2021-suspended.json"), Binding{})
	c = requireCheck(t, r, CheckStatus, StatusFailed)
	require.Equal(t, "suspended", c.Code)
	require.ErrorIs(t, c.Err, ErrSuspended)

	// The certificate no list marks: its revocation bit is unset on a list
	// its issuer did not sign.
	r = v.Verify(context.Background(), readVector(t, "blockcerts/v3/cert-rl-status-list-2021.json"), Binding{})
	c = requireCheck(t, r, CheckStatus, StatusIndeterminate)
	require.ErrorIs(t, c.Err, ErrStatusUnavailable)
	require.Contains(t, c.Message, "is unset")

	// A Bitstring Status List entry on the same list: refused.
	v2 := newVerifier(t, WithOffline(), WithStatusListCredential(revURL, net("blockcerts-status-list-2021.json")))
	doc := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
		"issuer":"did:key:zQ3shWbMURApEGeYEYbyfMoPbuW5qCmM7gtWkwnhGf2LLkv2M","credentialSubject":{"id":"did:example:1"},
		"credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"` + revURL + `"}}`)
	st := &credState{report: &Report{}, cred: mustParse(t, doc)}
	v2.status.check(context.Background(), st)
	c = st.report.Check(CheckStatus)
	require.NotNil(t, c)
	require.Equal(t, StatusFailed, c.Status, c.Message)
	require.ErrorIs(t, c.Err, ErrBadStatusList)

	// Offline, a list not given is not fetched.
	r = newVerifier(t, WithOffline()).Verify(context.Background(), readVector(t, "blockcerts/v3/cert-rl-status-list-2021-revoked.json"), Binding{})
	c = requireCheck(t, r, CheckStatus, StatusIndeterminate)
	require.Contains(t, c.Message, "WithStatusListCredential")

	// The option is checked at New.
	for _, opt := range []Option{WithStatusListCredential("status.json", []byte("{}")), WithStatusListCredential(revURL, nil)} {
		_, err := New(opt)
		require.Error(t, err)
	}
	_, err := New(WithStatusListCredential(revURL, []byte("{}")), WithStatusListCredential(revURL, []byte("{}")))
	require.Error(t, err)
}

// credentialSchema is validated against the schemas given, never fetched:
// each credentialSubject of a Blockcerts credential, as cert-verifier-js
// validates it; a schema not given is only noted.
func TestBlockcertsCredentialSchema(t *testing.T) {
	const id = "https://www.blockcerts.org/samples/3.0/example-id-card-schema.json"
	schema := readVector(t, "blockcerts/network/credential-schema-example-id-card.json")
	v := newVerifier(t, WithOffline(), WithAllowTestAnchors(), WithCredentialSchemas(map[string][]byte{id: schema}))
	r := v.Verify(context.Background(), readVector(t, "blockcerts/v3/mocknet-vc-v2-credential-schema.json"), Binding{})
	c := requireCheck(t, r, CheckFormat, StatusPassed)
	require.Contains(t, c.Message, "conforms to its credentialSchema "+id)

	r = v.Verify(context.Background(), readVector(t, "blockcerts/v3/mocknet-vc-v2-credential-schema-invalid.json"), Binding{})
	require.Equal(t, StatusFailed, r.Status)
	c = requireCheck(t, r, CheckFormat, StatusFailed)
	require.ErrorIs(t, c.Err, ErrMalformed)
	require.Contains(t, c.Message, "missing property 'name'")

	r = newVerifier(t, WithOffline(), WithAllowTestAnchors()).Verify(context.Background(), readVector(t, "blockcerts/v3/mocknet-vc-v2-credential-schema-invalid.json"), Binding{})
	c = requireCheck(t, r, CheckFormat, StatusPassed)
	require.Contains(t, c.Message, "not checked")

	for _, docs := range []map[string][]byte{nil, {id: []byte("not json")}, {id: []byte(`{"$ref":"https://example.com/other.json"}`)}} {
		_, err := New(WithCredentialSchemas(docs))
		require.Error(t, err)
	}
}
