package verify

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/blockcerts"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

// bcSkip lists the Blockcerts fixtures that are not single credentials with
// a Blockcerts Merkle proof, and why.
var bcSkip = map[string]string{
	"v3/ecdsa-sd-2023-signed-credential.json":                    "ecdsa-sd-2023 only: no Merkle proof",
	"v3/ecdsa-sd-2023-derived-credential.json":                   "ecdsa-sd-2023 only: no Merkle proof",
	"v3/testnet-v3-verification-method-issuer-profile.json":      "EcdsaSecp256k1Signature2019 only: no Merkle proof",
	"v3/vp-eddsa-rdfc-2022.json":                                 "a presentation",
	"v3/mocknet-verifiable-presentation.json":                    "a presentation",
	"v3/mocknet-verifiable-presentation-failing-credential.json": "a presentation",
	"v3/mocknet-verifiable-presentation-tampered.json":           "a presentation",
}

// bcTampered are changed after anchoring: merkle fails.
var bcTampered = map[string]string{
	"v2/ethereum-tampered-2.0.json": "edited after anchoring",
	"v3/testnet-v3--tampered.json":  "edited after anchoring",
	"v3/testnet-v3--no-did.json":    "the testnet-v3-did certificate (same transaction) with issuer.id edited",
}

// bcExpectedFailures are genuine fixtures that legitimately fail a check
// other than the anchor (or, for proof types this SDK does not support,
// leave the signature indeterminate); each says which check and why.
var bcExpectedFailures = map[string]struct {
	check CheckID
	why   string
	also  CheckID // a second failing check, if any
}{
	"v3/mocknet-v3-valid.json":                             {CheckSignature, "its EcdsaSecp256k1Signature2019 key is in the issuer's profile (an https verification method), which is not fetched offline", ""},
	"v3/testnet-v3-hashlink.json":                          {CheckMerkle, "the target hash is not reproduced: cert-verifier-js resolves hashlinks (hl:) before hashing", ""},
	"v3/mocknet-vc-v2-invalid-date-format.json":            {CheckFormat, "its proof's created has no time zone: VC 2.0 dates are date-time stamps (cert-verifier-js fails it too)", ""},
	"v3/testnet-v3-did--verification-method-mismatch.json": {CheckIssuer, "its anchoring key is another DID's than the issuer's (cert-verifier-js: identity mismatch)", ""},
	"v3/mocknet-vc-v2-validFrom-not-yet-valid.json":        {CheckValidity, "validFrom is in 2039", ""},
	"v3/mocknet-vc-v2-validUntil-expired.json":             {CheckValidity, "validUntil was 2024-01-05", ""},
}

func bcFixtures(t *testing.T) map[string][]byte {
	t.Helper()
	dir := filepath.Join(vectors, "blockcerts")
	files, err := filepath.Glob(filepath.Join(dir, "v[23]", "*.json"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 40)
	out := map[string][]byte{}
	for _, f := range files {
		name := filepath.ToSlash(strings.TrimPrefix(f, dir+string(filepath.Separator)))
		if _, skip := bcSkip[name]; skip {
			continue
		}
		out[name] = readVector(t, filepath.Join("blockcerts", name))
	}
	return out
}

func isMock(r *Report) bool {
	c := r.Check(CheckAnchor)
	return c != nil && strings.Contains(c.Message, "blink:mocknet:")
}

// Every Blockcerts fixture, verified offline with test anchors allowed:
// valid ones pass merkle, the tampered ones fail it, real-chain anchors are
// indeterminate, and nothing else fails except the listed, explained cases.
func TestBlockcertsFixturesOffline(t *testing.T) {
	v := newVerifier(t, WithOffline(), WithAllowTestAnchors())
	var valid, tampered, real, mock int
	for name, doc := range bcFixtures(t) {
		t.Run(name, func(t *testing.T) {
			r := v.Verify(context.Background(), doc, Binding{})
			require.NotEqual(t, StatusVerified, r.Status, "a Blockcerts certificate without a chain lookup is never verified")
			if why, ok := bcTampered[name]; ok {
				c := requireCheck(t, r, CheckMerkle, StatusFailed)
				require.True(t, errors.Is(c.Err, ErrHashMismatch), "%s: %v", why, c.Err)
				require.Equal(t, StatusFailed, r.Status)
				tampered++
				return
			}
			exp, hasExp := bcExpectedFailures[name]
			if !hasExp || exp.check != CheckMerkle && exp.check != CheckFormat {
				requireCheck(t, r, CheckMerkle, StatusPassed)
				valid++
			}
			for _, c := range r.Checks {
				if c.Status != StatusFailed {
					continue
				}
				require.True(t, hasExp && (c.ID == exp.check || c.ID == exp.also), "%s failed unexpectedly: %s", c.ID, c.Message)
				t.Logf("%s fails %s as expected (%s): %s", name, c.ID, exp.why, c.Message)
			}
			if hasExp && exp.check != CheckValidity {
				require.NotNil(t, r.Check(exp.check))
				want := StatusFailed
				if exp.check == CheckSignature {
					// A key that cannot be fetched offline leaves the
					// signature undecided: indeterminate, never failed.
					want = StatusIndeterminate
					require.ErrorIs(t, r.Check(exp.check).Err, ErrKeyUnavailable)
				}
				require.Equal(t, want, r.Check(exp.check).Status, "%s: %s: %s", name, exp.check, exp.why)
			}
			if r.Check(CheckMerkle).Status != StatusPassed {
				return
			}
			if isMock(r) {
				c := requireCheck(t, r, CheckAnchor, StatusSkipped)
				require.Contains(t, c.Message, "not anchored")
				mock++
			} else {
				c := requireCheck(t, r, CheckAnchor, StatusIndeterminate)
				require.ErrorIs(t, c.Err, ErrAnchorUnavailable)
				require.Contains(t, c.Message, "offline")
				if !hasExp {
					require.Equal(t, StatusIndeterminate, r.Status, "real-chain fixture offline: %+v", r.Checks)
				}
				real++
			}
		})
	}
	t.Logf("%d valid (%d real-chain, %d mocknet), %d tampered", valid, real, mock, tampered)
	require.GreaterOrEqual(t, real, 10)
	require.GreaterOrEqual(t, mock, 10)
	require.Equal(t, len(bcTampered), tampered)
}

// Without WithAllowTestAnchors a mocknet anchor fails.
func TestBlockcertsMocknetNeedsPermission(t *testing.T) {
	v := newVerifier(t, WithOffline())
	n := 0
	for name, doc := range bcFixtures(t) {
		if !strings.Contains(name, "mocknet") || bcExpectedFailures[name].check == CheckFormat {
			continue
		}
		r := v.Verify(context.Background(), doc, Binding{})
		requireCheck(t, r, CheckMerkle, StatusPassed)
		c := requireCheck(t, r, CheckAnchor, StatusFailed)
		require.ErrorIs(t, c.Err, ErrNotAnchored, name)
		require.Equal(t, StatusFailed, r.Status)
		n++
	}
	require.GreaterOrEqual(t, n, 10)
}

// The verifier-level merkle check recomputes the same target hash as the
// proof and the internal package, and a one-character edit breaks it.
func TestBlockcertsEditFails(t *testing.T) {
	v := newVerifier(t, WithOffline())
	for _, name := range []string{"v3/testnet-v3-did.json", "v2/testnet-valid-2.0.json", "v3/mocknet-vc-v2-data-integrity-proof.json"} {
		doc := readVector(t, filepath.Join("blockcerts", name))
		r := v.Verify(context.Background(), doc, Binding{})
		requireCheck(t, r, CheckMerkle, StatusPassed)
		i := bytes.Index(doc, []byte(`"id"`))
		require.Positive(t, i)
		j := i + bytes.IndexByte(doc[i+5:], '"') + 6 // first character of the id's value
		edited := append([]byte(nil), doc...)
		edited[j] ^= 1
		r = v.Verify(context.Background(), edited, Binding{})
		c := requireCheck(t, r, CheckMerkle, StatusFailed)
		require.ErrorIs(t, c.Err, ErrHashMismatch, name)
		require.Equal(t, StatusFailed, r.Status)
	}
}

// fixedResolver answers every Ref with one record.
type fixedResolver struct{ rec anchor.Record }

func (f fixedResolver) Resolve(_ context.Context, ref anchor.Ref) (anchor.Record, error) {
	r := f.rec
	r.Ref = ref
	return r, nil
}

// The issuer profile's key windows are checked against the anchor's sender
// and time.
func TestBlockcertsIssuerProfileKeyWindows(t *testing.T) {
	doc := readVector(t, "blockcerts/v3/ethereum-sepolia-v3.json")
	profile := readVector(t, "blockcerts/network/issuer-blockcerts.json")
	res, err := blockcerts.VerifyV3(doc, 0)
	require.NoError(t, err)
	const sender = "0x40cf9b7db6fcc742ad0a76b8588c7f8de2b54a60" // created 2021-11-28T15:52:58Z in the profile
	at := func(when time.Time, from string) *Report {
		v := newVerifier(t, WithoutIssuerTrustUnsafe(), WithBlockcertsIssuerProfiles(profile),
			WithAnchorResolver(fixedResolver{anchor.Record{Root: res.MerkleRoot[:], Time: when, Sender: from, Confirmations: 10}}))
		return v.Verify(context.Background(), doc, Binding{})
	}

	r := at(time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), sender)
	requireCheck(t, r, CheckMerkle, StatusPassed)
	requireCheck(t, r, CheckAnchor, StatusPassed)
	c := requireCheck(t, r, CheckIssuer, StatusPassed)
	require.Contains(t, c.Message, "0x40Cf9B7DB6FCc742ad0a76B8588C7f8De2b54a60")
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
	require.Len(t, r.Anchors, 1)
	require.Equal(t, hex.EncodeToString(res.MerkleRoot[:]), r.Anchors[0].Root)

	// Anchored before the key was created.
	r = at(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), sender)
	c = requireCheck(t, r, CheckIssuer, StatusFailed)
	require.ErrorIs(t, c.Err, ErrKeyRetired)
	require.ErrorIs(t, c.Err, blockcerts.ErrKeyNotValid)
	require.Equal(t, StatusFailed, r.Status)

	// Anchored by an address that is not the issuer's.
	r = at(time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), "0x1111111111111111111111111111111111111111")
	c = requireCheck(t, r, CheckAnchor, StatusFailed)
	require.ErrorIs(t, c.Err, ErrWrongSender)

	// A chain that holds another root.
	v := newVerifier(t, WithoutIssuerTrustUnsafe(), WithBlockcertsIssuerProfiles(profile),
		WithAnchorResolver(fixedResolver{anchor.Record{Root: make([]byte, 32), Time: time.Now(), Sender: sender}}))
	r = v.Verify(context.Background(), doc, Binding{})
	c = requireCheck(t, r, CheckAnchor, StatusFailed)
	require.ErrorIs(t, c.Err, ErrAnchorMismatch)

	// Offline with the profile: the key window cannot be checked.
	v = newVerifier(t, WithOffline(), WithoutIssuerTrustUnsafe(), WithBlockcertsIssuerProfiles(profile))
	r = v.Verify(context.Background(), doc, Binding{})
	requireCheck(t, r, CheckIssuer, StatusIndeterminate)
	require.Equal(t, StatusIndeterminate, r.Status)

	// Without a profile the issuer check is indeterminate, never passed.
	v = newVerifier(t, WithOffline())
	r = v.Verify(context.Background(), doc, Binding{})
	c = requireCheck(t, r, CheckIssuer, StatusIndeterminate)
	require.Contains(t, c.Message, "no Blockcerts issuer profile")
}

// A trusted issuer with a Blockcerts anchor that could not be looked up is
// indeterminate, never failed for lack of network.
func TestBlockcertsOfflineNeverFailsIssuer(t *testing.T) {
	doc := readVector(t, "blockcerts/v3/ethereum-sepolia-v3.json")
	is := newTestIssuer(t, keys.Ed25519).trusted()
	is.ID = "https://www.blockcerts.org/samples/3.0/issuer-blockcerts.json"
	v := newVerifier(t, WithOffline(), WithTrustList(trustList(t, is)))
	r := v.Verify(context.Background(), doc, Binding{})
	requireCheck(t, r, CheckIssuer, StatusIndeterminate)
	require.Equal(t, StatusIndeterminate, r.Status)
}

func TestBlockcertsProfileOptionValidated(t *testing.T) {
	_, err := New(WithBlockcertsIssuerProfiles())
	require.Error(t, err)
	_, err = New(WithBlockcertsIssuerProfiles([]byte(`{"id":"x","publicKey":[{"id":"nope"}]}`)))
	require.Error(t, err)
	p := readVector(t, "blockcerts/network/issuer-blockcerts.json")
	_, err = New(WithBlockcertsIssuerProfiles(p, readVector(t, "blockcerts/network/v3.0-issuer-profile.json")))
	require.ErrorContains(t, err, "two Blockcerts issuer profiles")
}

// The Blockcerts v2 path reads the v2 document model.
func TestBlockcertsV2Report(t *testing.T) {
	v := newVerifier(t, WithOffline())
	doc := readVector(t, "blockcerts/v2/testnet-valid-2.0.json")
	r := v.Verify(context.Background(), doc, Binding{})
	require.Equal(t, "urn:uuid:bbba8553-8ec1-445f-82c9-a57251dd731c", r.Credential.ID)
	require.Equal(t, "https://www.blockcerts.org/samples/2.0/issuer-testnet.json", r.Credential.Issuer)
	require.Equal(t, "Eularia Landroth", r.Credential.Subject)
	c := requireCheck(t, r, CheckAnchor, StatusIndeterminate)
	require.Contains(t, c.Message, "blink:btc:testnet:", "the network follows from the issuing address")
	requireCheck(t, r, CheckSignature, StatusSkipped)
	requireCheck(t, r, CheckStatus, StatusIndeterminate)

	for _, bad := range []string{
		`{"signature":{"type":["MerkleProof2017"]}}`,
		`{"type":"Assertion","issuedOn":"2020-01-01T00:00:00Z","badge":{"issuer":{"id":"x"}},"signature":{"type":"MerkleProof2017"}}`,
		`{"type":"Assertion","issuedOn":"yesterday","badge":{"issuer":{"id":"x"}},"signature":{"type":"MerkleProof2017"}}`,
	} {
		r := v.Verify(context.Background(), []byte(bad), Binding{})
		require.Equal(t, StatusFailed, r.Status, bad)
		if c := r.Check(CheckFormat); c.Status == StatusPassed {
			// Well-formed, but the receipt is not.
			require.ErrorIs(t, requireCheck(t, r, CheckMerkle, StatusFailed).Err, ErrMalformed, bad)
		}
	}
}

// obVectors are the 1EdTech eddsa-rdfc-2022 signed credentials.
var obVectors = []string{
	"openbadges/eddsa-rdfc-2022-testvector/obv3p0-signed-credential.json",
	"openbadges/validator_testvector_simple_eddsa-rdfc-2022.json",
}

// obPublicKey is the key pair's public key from the 1EdTech test vector.
const obPublicKey = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"

// obTrust names the vector's issuer and its key.
func obTrust(t testing.TB, doc []byte) *TrustList {
	c, err := badge.ParseCredential(doc, badge.Limits{})
	require.NoError(t, err)
	return trustList(t, TrustedIssuer{ID: c.Issuer.ID, Name: "Example Corp",
		Keys: []TrustedKey{{ID: c.Proofs[0].VerificationMethod, PublicKeyMultibase: obPublicKey}}})
}

func TestOpenBadgesEdDSARDFCVectors(t *testing.T) {
	pk, err := keys.ParseMultikey(obPublicKey)
	require.NoError(t, err)
	for _, f := range obVectors {
		t.Run(filepath.Base(f), func(t *testing.T) {
			doc := readVector(t, f)
			c, err := badge.ParseCredential(doc, badge.Limits{})
			require.NoError(t, err)
			issuer := c.Issuer.ID

			// Key known, controller the issuer: the signature passes.
			resolver := KeyResolverFunc(func(_ context.Context, vm string, _ ProofPurpose) (*Key, error) {
				if vm != issuer+"#"+obPublicKey {
					return nil, fmt.Errorf("%w: %s", ErrUnknownKey, vm)
				}
				return &Key{ID: vm, Controller: issuer, Public: pk}, nil
			})
			r := newVerifier(t, WithKeyResolver(resolver)).Verify(context.Background(), doc, Binding{})
			sig := requireCheck(t, r, CheckSignature, StatusPassed)
			require.Contains(t, sig.Message, "eddsa-rdfc-2022")
			f := requireCheck(t, r, CheckFormat, StatusPassed)
			require.Contains(t, f.Message, "JSON schema")
			requireCheck(t, r, CheckIssuer, StatusIndeterminate)

			// With a trust list naming the issuer and its key: verified.
			r = newVerifier(t, WithTrustList(obTrust(t, doc))).Verify(context.Background(), doc, Binding{})
			require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
			require.Equal(t, "Example Corp", r.Issuer.Name)

			// The same key claimed by someone else: not tied to the issuer.
			other := KeyResolverFunc(func(_ context.Context, vm string, _ ProofPurpose) (*Key, error) {
				return &Key{ID: vm, Controller: "https://elsewhere.example/issuer", Public: pk}, nil
			})
			r = newVerifier(t, WithKeyResolver(other)).Verify(context.Background(), doc, Binding{})
			require.NotEqual(t, StatusVerified, r.Status)
			require.NotEqual(t, StatusPassed, r.Check(CheckSignature).Status)

			// A key of the wrong type is refused before any signature check.
			p256, err := keys.Generate(keys.P256)
			require.NoError(t, err)
			wrong := KeyResolverFunc(func(_ context.Context, vm string, _ ProofPurpose) (*Key, error) {
				return &Key{ID: vm, Controller: issuer, Public: p256.PublicKey()}, nil
			})
			r = newVerifier(t, WithKeyResolver(wrong)).Verify(context.Background(), doc, Binding{})
			c2 := requireCheck(t, r, CheckSignature, StatusFailed)
			require.ErrorIs(t, c2.Err, ErrKeyMismatch)
		})
	}
}

// TestOpenBadgesEdDSARDFCEveryByteMatters changes bytes of each vector: no
// changed document may verify. RDF canonicalization is slow (the full loop
// takes minutes under -race), so every 7th byte is changed, plus every byte
// of the proofValue.
func TestOpenBadgesEdDSARDFCEveryByteMatters(t *testing.T) {
	for _, f := range obVectors {
		signed := readVector(t, f)
		v := newVerifier(t, WithTrustList(obTrust(t, signed)), WithWorkers(4))
		pvStart := bytes.Index(signed, []byte(`"proofValue": "`)) + len(`"proofValue": "`)
		pvEnd := pvStart + bytes.IndexByte(signed[pvStart:], '"')
		require.Greater(t, pvEnd, pvStart)
		var docs [][]byte
		var at []int
		for i := range signed {
			if i%7 != 0 && (i < pvStart || i >= pvEnd) {
				continue
			}
			for _, delta := range []byte{1, 0x20} {
				m := append([]byte(nil), signed...)
				m[i] ^= delta
				docs = append(docs, m)
				at = append(at, i)
			}
		}
		reports := v.VerifyBatch(context.Background(), docs)
		changed := 0
		for k, r := range reports {
			if r.Status == StatusVerified {
				i := at[k]
				require.True(t, isInsignificant(signed, docs[k], i), "%s: byte %d (%q -> %q) changed and still verified", f, i, signed[i], docs[k][i])
				continue
			}
			changed++
		}
		t.Logf("%s: %d of %d mutations rejected", filepath.Base(f), changed, len(docs))
		require.Greater(t, changed, len(docs)/2)
	}
}

// The CLR 2.0 vector's contexts are held locally: given the issuer's key,
// it verifies; a changed copy fails.
func TestCLRVectorVerifies(t *testing.T) {
	doc := readVector(t, "openbadges/clr2/clrv2p0-signed-clrcredential.json")
	c, err := badge.ParseCredential(doc, badge.Limits{})
	require.NoError(t, err)
	v := newVerifier(t, WithTrustList(trustList(t, TrustedIssuer{ID: c.Issuer.ID,
		Keys: []TrustedKey{{ID: c.Proofs[0].VerificationMethod, PublicKeyMultibase: obPublicKey}}})))
	r := v.Verify(context.Background(), doc, Binding{})
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
	requireCheck(t, r, CheckSignature, StatusPassed)
	var m map[string]any
	require.NoError(t, json.Unmarshal(doc, &m))
	m["name"] = "Changed"
	changed, err := json.Marshal(m)
	require.NoError(t, err)
	r = v.Verify(context.Background(), changed, Binding{})
	require.ErrorIs(t, requireCheck(t, r, CheckSignature, StatusFailed).Err, ErrBadSignature)
}

// Schema violations fail the format check with their JSON pointers.
func TestOpenBadgesSchemaInFormatCheck(t *testing.T) {
	doc := readVector(t, "openbadges/eddsa-rdfc-2022-testvector/obv3p0-unsigned-credential.json")
	var m map[string]any
	require.NoError(t, json.Unmarshal(doc, &m))
	// The badge model does not read issuer.address; the schema does.
	m["issuer"].(map[string]any)["address"] = map[string]any{"type": []string{"Address"}, "addressCountry": 82}
	bad, err := json.Marshal(m)
	require.NoError(t, err)

	r := newVerifier(t).Verify(context.Background(), bad, Binding{})
	f := requireCheck(t, r, CheckFormat, StatusFailed)
	require.Contains(t, f.Message, "at /issuer/address/addressCountry")
	require.ErrorIs(t, f.Err, ErrMalformed)

	r = newVerifier(t, WithoutSchemaValidation()).Verify(context.Background(), bad, Binding{})
	f = requireCheck(t, r, CheckFormat, StatusPassed)
	require.Contains(t, f.Message, "WithoutSchemaValidation")

	// A single proof object stands for a one-element array.
	r = newVerifier(t).Verify(context.Background(), readVector(t, obVectors[0]), Binding{})
	requireCheck(t, r, CheckFormat, StatusPassed)
}

func FuzzBlockcertsV2(f *testing.F) {
	f.Add([]byte(`{"type":"Assertion","issuedOn":"2020-01-01T00:00:00Z","badge":{"issuer":{"id":"x"}},"signature":{"type":"MerkleProof2017"}}`))
	f.Add([]byte(`{"signature":{"type":["MerkleProof2017","Extension"],"targetHash":"00","merkleRoot":"00","proof":[],"anchors":[]},"@context":[]}`))
	f.Add([]byte(`{"signature":null,"x":"MerkleProof2017"}`))
	v, err := New(WithOffline(), WithAllowTestAnchors(), WithoutTrustList())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := v.Verify(context.Background(), data, Binding{})
		if r == nil || r.Status == "" {
			t.Fatal("no report")
		}
		if r.Status == StatusVerified {
			t.Fatalf("arbitrary bytes verified: %q", data)
		}
	})
}
