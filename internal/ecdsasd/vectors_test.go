package ecdsasd

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/internal/disuite"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

const sdDir = "../../testdata/vectors/w3c-di/ecdsa-sd-2023"

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sdDir, path))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v))
}

func hexes(t *testing.T, in []string) [][]byte {
	out := make([][]byte, len(in))
	for i, s := range in {
		b, err := hex.DecodeString(s)
		require.NoError(t, err)
		out[i] = b
	}
	return out
}

func mapValues(t *testing.T, m struct {
	DataType string               `json:"dataType"`
	Value    [][2]json.RawMessage `json:"value"`
}) (idx []int, lines []string) {
	for _, kv := range m.Value {
		var i int
		var l string
		require.NoError(t, json.Unmarshal(kv[0], &i))
		require.NoError(t, json.Unmarshal(kv[1], &l))
		idx = append(idx, i)
		lines = append(lines, l)
	}
	return
}

type sdVector struct {
	dir, unsigned, mandatory, selective string
}

var sdVectors = []sdVector{
	{"prc", "prCredUnsigned.json", "prCredMandatory.json", "prCredSelective.json"},
	{"employ", "employmentAuth.json", "employMandatory.json", "employSelective.json"},
}

// The W3C ecdsa-sd-2023 vectors, step by step from their canonical N-Quads
// (their citizenship context is not held locally, so the JSON-LD step is
// theirs): proof values decode and re-encode byte for byte, HMAC labels,
// proof and mandatory hashes, the selection of the revealed document, and
// every signature of the base and the derived proof verify; a changed
// statement does not.
func TestW3CVectors(t *testing.T) {
	var km struct {
		BaseKeyPair   struct{ PublicKeyMultibase string } `json:"baseKeyPair"`
		HMACKeyString string                              `json:"hmacKeyString"`
	}
	readJSON(t, "SDKeyMaterial.json", &km)
	issuerKey, err := keys.ParseMultikey(km.BaseKeyPair.PublicKeyMultibase)
	require.NoError(t, err)
	hmacKey, err := hex.DecodeString(km.HMACKeyString)
	require.NoError(t, err)

	for _, v := range sdVectors {
		t.Run(v.dir, func(t *testing.T) {
			d := func(name string) string { return filepath.Join(v.dir, name) }
			// Base proof value.
			var signed map[string]any
			readJSON(t, d("addSignedSDBase.json"), &signed)
			pv := signed["proof"].(map[string]any)["proofValue"].(string)
			base, err := ParseBaseProof(pv)
			require.NoError(t, err)
			var raw struct {
				BaseSignature     string
				PublicKey         string
				Signatures        []string
				MandatoryPointers []string
			}
			readJSON(t, d("addRawBaseSignatureInfo.json"), &raw)
			require.Equal(t, raw.BaseSignature, hex.EncodeToString(base.BaseSignature))
			require.Equal(t, raw.PublicKey, "z"+base58(base.PublicKey))
			require.Equal(t, hexes(t, raw.Signatures), base.Signatures)
			require.Equal(t, raw.MandatoryPointers, base.MandatoryPointers)
			require.Equal(t, hmacKey, base.HMACKey)
			again, err := base.Encode()
			require.NoError(t, err)
			require.Equal(t, pv, again, "base proofValue re-encodes byte for byte")

			// HMAC labels.
			var canon, hmacCanon []string
			readJSON(t, d("addBaseDocCanon.json"), &canon)
			readJSON(t, d("addBaseDocHMACCanon.json"), &hmacCanon)
			got, err := RelabelHMAC(hmacKey, canon)
			require.NoError(t, err)
			require.Equal(t, hmacCanon, got)

			// Hashes.
			var hd struct{ ProofHash, MandatoryHash string }
			readJSON(t, d("addHashData.json"), &hd)
			pc, err := os.ReadFile(filepath.Join(sdDir, d("addProofConfigCanon.txt")))
			require.NoError(t, err)
			ph := sha256.Sum256(pc)
			require.Equal(t, hd.ProofHash, hex.EncodeToString(ph[:]))
			var tr struct {
				MandatoryPointers []string
				Mandatory         struct {
					DataType string               `json:"dataType"`
					Value    [][2]json.RawMessage `json:"value"`
				}
				NonMandatory struct {
					DataType string               `json:"dataType"`
					Value    [][2]json.RawMessage `json:"value"`
				}
			}
			readJSON(t, d("addBaseTransform.json"), &tr)
			mIdx, mandatory := mapValues(t, tr.Mandatory)
			_, nonMandatory := mapValues(t, tr.NonMandatory)
			require.Equal(t, hd.MandatoryHash, hex.EncodeToString(sum(keys.P256, []byte(strings.Join(mandatory, "")))))
			for _, i := range mIdx {
				require.Contains(t, hmacCanon, hmacCanon[i])
			}
			// The whole base proof verifies over the issuer's statements.
			require.NoError(t, check(issuerKey, ph[:], base.PublicKey, base.BaseSignature, mandatory, nonMandatory, base.Signatures))
			changed := append([]string{}, nonMandatory...)
			changed[0] = strings.Replace(changed[0], "<", "<x", 1)
			require.ErrorIs(t, check(issuerKey, ph[:], base.PublicKey, base.BaseSignature, mandatory, changed, base.Signatures), disuite.ErrBadSignature)

			// Selection: the revealed document is what the mandatory and
			// selective pointers select from the unsigned credential.
			var unsigned map[string]any
			readJSON(t, v.unsigned, &unsigned)
			var mp, sp []string
			readJSON(t, v.mandatory, &mp)
			readJSON(t, v.selective, &sp)
			reveal, err := selectJSONLD(unsigned, append(append([]string{}, mp...), sp...))
			require.NoError(t, err)
			var wantReveal map[string]any
			readJSON(t, d("derivedUnsignedReveal.json"), &wantReveal)
			require.Equal(t, wantReveal, reveal)
			var pvals []struct {
				Pointer string
				Value   any
			}
			readJSON(t, d("addPointerValues.json"), &pvals)
			for _, p := range pvals {
				parts, err := parsePointer(p.Pointer)
				require.NoError(t, err)
				var x any = unsigned
				for _, s := range parts {
					x, _ = child(x, s)
				}
				require.Equal(t, p.Value, x, p.Pointer)
			}

			// Derived proof value.
			var derived map[string]any
			readJSON(t, d("derivedRevealDocument.json"), &derived)
			dpv := derived["proof"].(map[string]any)["proofValue"].(string)
			dp, err := ParseDerivedProof(dpv)
			require.NoError(t, err)
			var want struct {
				BaseSignature    string
				PublicKey        string
				Signatures       []string
				LabelMap         [][2]string
				MandatoryIndexes []int
			}
			readJSON(t, d("verifyDerivedProofValue.json"), &want)
			require.Equal(t, want.BaseSignature, hex.EncodeToString(dp.BaseSignature))
			require.Equal(t, want.PublicKey, "z"+base58(dp.PublicKey))
			require.Equal(t, hexes(t, want.Signatures), dp.Signatures)
			require.Equal(t, want.MandatoryIndexes, dp.MandatoryIndexes)
			require.Len(t, dp.LabelMap, len(want.LabelMap))
			for _, kv := range want.LabelMap {
				require.Equal(t, kv[1], dp.LabelMap[kv[0]])
			}
			again, err = dp.Encode()
			require.NoError(t, err)
			require.Equal(t, dpv, again, "derived proofValue re-encodes byte for byte")

			// The verifier's statements: mandatory by index, the rest signed.
			var nq []string
			readJSON(t, d("verifyNQuads.json"), &nq)
			var vd struct {
				ProofHash     string
				NonMandatory  []string
				MandatoryHash string
			}
			readJSON(t, d("verifyCreateVerifyData.json"), &vd)
			var dm, dn []string
			next := 0
			for i, l := range nq {
				if next < len(dp.MandatoryIndexes) && dp.MandatoryIndexes[next] == i {
					dm = append(dm, l)
					next++
				} else {
					dn = append(dn, l)
				}
			}
			require.Equal(t, vd.NonMandatory, dn)
			require.Equal(t, vd.MandatoryHash, hex.EncodeToString(sum(keys.P256, []byte(strings.Join(dm, "")))))
			require.NoError(t, check(issuerKey, ph[:], dp.PublicKey, dp.BaseSignature, dm, dn, dp.Signatures))
			// A disclosed statement changed, or one signature dropped, fails.
			dn2 := append([]string{}, dn...)
			dn2[len(dn2)-1] = "X" + dn2[len(dn2)-1]
			require.ErrorIs(t, check(issuerKey, ph[:], dp.PublicKey, dp.BaseSignature, dm, dn2, dp.Signatures), disuite.ErrBadSignature)
			require.ErrorIs(t, check(issuerKey, ph[:], dp.PublicKey, dp.BaseSignature, dm, dn, dp.Signatures[1:]), disuite.ErrBadSignature)
			swapped := append([][]byte{dp.Signatures[1], dp.Signatures[0]}, dp.Signatures[2:]...)
			require.ErrorIs(t, check(issuerKey, ph[:], dp.PublicKey, dp.BaseSignature, dm, dn, swapped), disuite.ErrBadSignature)
			// A mandatory statement moved among the selective ones changes
			// the mandatory hash: the base signature fails.
			require.ErrorIs(t, check(issuerKey, ph[:], dp.PublicKey, dp.BaseSignature, dm[1:], dn, dp.Signatures), disuite.ErrBadSignature)
			// Dropping a non-mandatory statement with its signature is a
			// narrower disclosure, which still verifies.
			require.NoError(t, check(issuerKey, ph[:], dp.PublicKey, dp.BaseSignature, dm, dn[1:], dp.Signatures[1:]))
		})
	}
}

func TestProofValueRejects(t *testing.T) {
	for _, s := range []string{"", "z123", "uAAAA", "u2V0C", strings.Repeat("u", 2<<20)} {
		_, err1 := ParseBaseProof(s)
		_, err2 := ParseDerivedProof(s)
		require.Error(t, err1, s)
		require.Error(t, err2, s)
	}
}

func FuzzParseProofValue(f *testing.F) {
	f.Add("u2V0AhVhA")
	f.Add("u2V0BhVhA")
	f.Fuzz(func(t *testing.T, s string) {
		if b, err := ParseBaseProof(s); err == nil {
			if _, err := b.Encode(); err != nil {
				t.Fatal(err)
			}
		}
		if d, err := ParseDerivedProof(s); err == nil {
			_, _ = d.Encode()
		}
	})
}
