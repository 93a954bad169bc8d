// Package ecdsasd implements the W3C Data Integrity ECDSA selective
// disclosure cryptosuite ecdsa-sd-2023: verification of base proofs (the
// issuer's, held by the holder) and derived proofs (the holder's
// disclosure of some statements), derivation of a disclosure from a base
// proof and JSON pointers, and base proof creation.
//
// The issuer canonicalizes the credential (RDFC-1.0), replaces each blank
// node label by an HMAC of it, signs each statement that is not mandatory
// with a one-time P-256 key, and signs proofHash || that key ||
// mandatoryHash with its own key (P-256 with SHA-256, P-384 with
// SHA-384). A holder reveals the mandatory statements and those its
// pointers select, with their signatures and the label map that lets the
// verifier restore the HMAC labels.
package ecdsasd

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"regexp"
	"slices"
	"strings"

	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/internal/disuite"
	"github.com/badgeproof/badgeproof/internal/rdfc"
	"github.com/badgeproof/badgeproof/internal/rdfcsuite"
	"github.com/badgeproof/badgeproof/keys"
)

// Cryptosuite is the suite's name.
const Cryptosuite = "ecdsa-sd-2023"

// Errors for errors.Is; each also wraps the disuite sentinel it is.
var (
	ErrMalformed = fmt.Errorf("ecdsa-sd-2023: %w", disuite.ErrMalformed)
	ErrPointer   = fmt.Errorf("ecdsa-sd-2023: %w", disuite.ErrMalformed)
)

// Suite is ecdsa-sd-2023 as a disuite.Suite. A verifier accepts only
// derived proofs (a base proof carries the HMAC key that hides the
// undisclosed statements: it is the holder's, never shown to a verifier),
// as the specification and cert-verifier-js do; the holder checks the base
// proof it received with AcceptBase.
type Suite struct {
	AcceptBase bool
}

// ErrBaseProof: a base proof was presented to a verifier.
var ErrBaseProof = fmt.Errorf("ecdsa-sd-2023: a base proof is for the holder, a verifier accepts only derived proofs: %w", disuite.ErrBadSignature)

var _ disuite.Suite = Suite{}

// Name returns the cryptosuite.
func (Suite) Name() string { return Cryptosuite }

// CheckKey accepts the issuer's P-256 and P-384 keys, and secp256k1 keys
// (with SHA-256), which Blockcerts issuers sign base proofs with: this
// SDK's secp256k1 profile, as for ecdsa-jcs-2019. The one-time key is
// always P-256.
func (Suite) CheckKey(t keys.Type) error {
	if t == keys.P256 || t == keys.P384 || t == keys.Secp256k1 {
		return nil
	}
	return fmt.Errorf("%w: %s cannot be used with %s", disuite.ErrKeyMismatch, t, Cryptosuite)
}

func hasher(t keys.Type) hash.Hash {
	if t == keys.P384 {
		return sha512.New384()
	}
	return sha256.New()
}

func sum(t keys.Type, parts ...[]byte) []byte {
	h := hasher(t)
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

// Verify checks a base or a derived proof over document (without proof).
func (s Suite) Verify(ctx context.Context, env disuite.Env, pk *keys.PublicKey, document, proof map[string]json.RawMessage) error {
	if err := s.CheckKey(pk.Type()); err != nil {
		return err
	}
	if cs, err := disuite.String(proof, "cryptosuite"); err != nil || cs != Cryptosuite {
		return fmt.Errorf("%w: cryptosuite %q, want %s", ErrMalformed, cs, Cryptosuite)
	}
	pv, err := disuite.String(proof, "proofValue")
	if err != nil {
		return err
	}
	config, err := disuite.ProofConfig(document, proof)
	if err != nil {
		return err
	}
	if err := rdfcsuite.CheckTypes(ctx, env.Canon(), document); err != nil {
		return err
	}
	proofHash, err := canonHash(ctx, env, pk.Type(), config)
	if err != nil {
		return err
	}
	doc, err := decode(document)
	if err != nil {
		return err
	}
	if IsDerived(pv) {
		d, err := ParseDerivedProof(pv)
		if err != nil {
			return err
		}
		return verifyDerived(ctx, env, pk, doc, proofHash, d)
	}
	if !s.AcceptBase {
		return ErrBaseProof
	}
	b, err := ParseBaseProof(pv)
	if err != nil {
		return err
	}
	return verifyBase(ctx, env, pk, doc, proofHash, b)
}

func decode(members map[string]json.RawMessage) (map[string]any, error) {
	raw, err := json.Marshal(members)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return m, nil
}

func canonHash(ctx context.Context, env disuite.Env, t keys.Type, members map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(members)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	nq, err := env.Canon().CanonicalizeContext(ctx, b)
	if err != nil {
		return nil, err
	}
	return sum(t, nq), nil
}

// blankLabel matches a blank node label in an N-Quads line, as the
// reference implementation replaces them.
var blankLabel = regexp.MustCompile(`_:([^\s]+)`)

// relabel replaces each blank node label of the lines through label and
// sorts them.
func relabel(lines []string, label func(string) (string, error)) ([]string, error) {
	out := make([]string, len(lines))
	var err error
	for i, l := range lines {
		out[i] = blankLabel.ReplaceAllStringFunc(l, func(m string) string {
			nl, e := label(m[2:])
			if e != nil && err == nil {
				err = e
			}
			return "_:" + nl
		})
	}
	if err != nil {
		return nil, err
	}
	slices.Sort(out)
	return out, nil
}

// HMACLabel is the issuer's label for a canonical blank node label.
func HMACLabel(key []byte, canonical string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(canonical))
	return "u" + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// RelabelHMAC replaces the canonical labels of canonical N-Quads lines by
// their HMAC labels and sorts them (the issuer's statement list).
func RelabelHMAC(key []byte, canonical []string) ([]string, error) {
	return relabel(canonical, func(l string) (string, error) { return HMACLabel(key, l), nil })
}

// RelabelMap replaces canonical labels through labelMap and sorts; a label
// the map lacks fails.
func RelabelMap(labelMap map[string]string, canonical []string) ([]string, error) {
	return relabel(canonical, func(l string) (string, error) {
		nl, ok := labelMap[l]
		if !ok {
			return "", fmt.Errorf("%w: the label map has no label for blank node _:%s", ErrMalformed, l)
		}
		return nl, nil
	})
}

func canonLines(ctx context.Context, env disuite.Env, doc map[string]any) ([]string, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	nq, err := env.Canon().CanonicalizeContext(ctx, b)
	if err != nil {
		return nil, err
	}
	return rdfc.SplitLines(string(nq)), nil
}

// ephemeralKey parses the one-time P-256 key of a proof (Multikey bytes).
func ephemeralKey(b []byte) (*ecdsa.PublicKey, error) {
	pk, err := keys.ParseMultikey("z" + base58(b))
	if err != nil || pk.Type() != keys.P256 {
		return nil, fmt.Errorf("%w: the proof's one-time key is not a P-256 Multikey", ErrMalformed)
	}
	return pk.ECDSA(), nil
}

func verifyStatement(pub *ecdsa.PublicKey, statement string, sig []byte) bool {
	if len(sig) != 64 {
		return false
	}
	d := sha256.Sum256([]byte(statement))
	return ecdsa.Verify(pub, d[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
}

// check verifies the statement signatures and the base signature.
func check(pk *keys.PublicKey, proofHash, publicKey, baseSignature []byte, mandatory, nonMandatory []string, sigs [][]byte) error {
	if len(sigs) != len(nonMandatory) {
		return fmt.Errorf("%w: %d signatures for %d non-mandatory statements", disuite.ErrBadSignature, len(sigs), len(nonMandatory))
	}
	eph, err := ephemeralKey(publicKey)
	if err != nil {
		return err
	}
	for i, st := range nonMandatory {
		if !verifyStatement(eph, st, sigs[i]) {
			return fmt.Errorf("%w: the signature of statement %d does not verify", disuite.ErrBadSignature, i)
		}
	}
	mandatoryHash := sum(pk.Type(), []byte(strings.Join(mandatory, "")))
	toVerify := slices.Concat(proofHash, publicKey, mandatoryHash)
	if err := dataintegrity.VerifyHashData(pk, toVerify, baseSignature); err != nil {
		return fmt.Errorf("%w: the base signature does not verify", disuite.ErrBadSignature)
	}
	return nil
}

func verifyDerived(ctx context.Context, env disuite.Env, pk *keys.PublicKey, doc map[string]any, proofHash []byte, d *DerivedProof) error {
	canonical, err := canonLines(ctx, env, doc)
	if err != nil {
		return err
	}
	lines, err := RelabelMap(d.LabelMap, canonical)
	if err != nil {
		return err
	}
	var mandatory, nonMandatory []string
	next := 0
	for i, l := range lines {
		if next < len(d.MandatoryIndexes) && d.MandatoryIndexes[next] == i {
			mandatory = append(mandatory, l)
			next++
			continue
		}
		nonMandatory = append(nonMandatory, l)
	}
	if next != len(d.MandatoryIndexes) {
		return fmt.Errorf("%w: mandatory indexes %v are not increasing indexes of the %d statements", ErrMalformed, d.MandatoryIndexes, len(lines))
	}
	return check(pk, proofHash, d.PublicKey, d.BaseSignature, mandatory, nonMandatory, d.Signatures)
}

// groups is the issuer's statement list and which statements each set of
// pointers selects.
type groups struct {
	lines    []string       // HMAC-relabeled, sorted
	matching []map[int]bool // per pointer set: the indexes it selects
	// selected holds, per pointer set, the deskolemized N-Quads of its
	// selection (for the verifier's label map).
	selected [][]string
	// hmacOf maps a skolem blank node label (bN) to its HMAC label.
	hmacOf map[string]string
}

// group canonicalizes doc with HMAC labels and finds the statements each
// set of pointers selects.
func group(ctx context.Context, env disuite.Env, key []byte, doc map[string]any, sets ...[]string) (*groups, error) {
	sk := skolemize(doc)
	opt := env.Canon()
	opt.Strict = false
	full, err := opt.ToNQuads(ctx, sk)
	if err != nil {
		return nil, err
	}
	canonical, ids, err := opt.CanonicalizeNQuads(ctx, deskolemize(full))
	if err != nil {
		return nil, err
	}
	g := &groups{hmacOf: map[string]string{}}
	for in, c := range ids {
		g.hmacOf[in] = HMACLabel(key, c)
	}
	if g.lines, err = RelabelHMAC(key, canonical); err != nil {
		return nil, err
	}
	index := make(map[string]int, len(g.lines))
	for i, l := range g.lines {
		index[l] = i
	}
	for _, ptrs := range sets {
		m := map[int]bool{}
		var selLines []string
		if len(ptrs) > 0 {
			sel, err := selectJSONLD(sk, ptrs)
			if err != nil {
				return nil, err
			}
			q, err := opt.ToNQuads(ctx, sel)
			if err != nil {
				return nil, err
			}
			selLines = deskolemize(q)
			for _, l := range selLines {
				rl, err := relabel([]string{l}, func(b string) (string, error) {
					h, ok := g.hmacOf[b]
					if !ok {
						return "", fmt.Errorf("%w: a selected statement names blank node _:%s, which the document does not have", ErrPointer, b)
					}
					return h, nil
				})
				if err != nil {
					return nil, err
				}
				i, ok := index[rl[0]]
				if !ok {
					return nil, fmt.Errorf("%w: a selected statement is not one of the document's: %s", ErrPointer, strings.TrimSpace(rl[0]))
				}
				m[i] = true
			}
		}
		g.matching = append(g.matching, m)
		g.selected = append(g.selected, selLines)
	}
	return g, nil
}

func verifyBase(ctx context.Context, env disuite.Env, pk *keys.PublicKey, doc map[string]any, proofHash []byte, b *BaseProof) error {
	g, err := group(ctx, env, b.HMACKey, doc, b.MandatoryPointers)
	if err != nil {
		return err
	}
	var mandatory, nonMandatory []string
	for i, l := range g.lines {
		if g.matching[0][i] {
			mandatory = append(mandatory, l)
		} else {
			nonMandatory = append(nonMandatory, l)
		}
	}
	return check(pk, proofHash, b.PublicKey, b.BaseSignature, mandatory, nonMandatory, b.Signatures)
}

// Derive makes the holder's disclosure of a credential signed with a base
// proof: the statements the mandatory pointers and selective select, with
// a derived proof. document is the signed credential (with its proof).
// It returns the revealed credential with its derived proof.
func Derive(ctx context.Context, env disuite.Env, document map[string]json.RawMessage, selective []string) (map[string]any, error) {
	var proof map[string]json.RawMessage
	if err := json.Unmarshal(document["proof"], &proof); err != nil {
		return nil, fmt.Errorf("%w: the credential's proof is not one ecdsa-sd-2023 base proof object", ErrMalformed)
	}
	if cs, _ := disuite.String(proof, "cryptosuite"); cs != Cryptosuite {
		return nil, fmt.Errorf("%w: the proof is %q, not %s", ErrMalformed, cs, Cryptosuite)
	}
	pv, err := disuite.String(proof, "proofValue")
	if err != nil {
		return nil, err
	}
	b, err := ParseBaseProof(pv)
	if err != nil {
		return nil, err
	}
	unsigned := make(map[string]json.RawMessage, len(document))
	for k, v := range document {
		if k != "proof" {
			unsigned[k] = v
		}
	}
	doc, err := decode(unsigned)
	if err != nil {
		return nil, err
	}
	combinedPtrs := append(slices.Clone(b.MandatoryPointers), selective...)
	g, err := group(ctx, env, b.HMACKey, doc, b.MandatoryPointers, selective, combinedPtrs)
	if err != nil {
		return nil, err
	}
	mandatory, sel, combined := g.matching[0], g.matching[1], g.matching[2]
	combinedIdx := make([]int, 0, len(combined))
	for i := range combined {
		combinedIdx = append(combinedIdx, i)
	}
	slices.Sort(combinedIdx)
	var mandatoryIndexes []int
	for j, i := range combinedIdx {
		if mandatory[i] {
			mandatoryIndexes = append(mandatoryIndexes, j)
		}
	}
	var sigs [][]byte
	k := 0
	for i := range g.lines {
		if mandatory[i] {
			continue
		}
		if k >= len(b.Signatures) {
			return nil, fmt.Errorf("%w: the base proof has %d signatures, fewer than the non-mandatory statements", ErrMalformed, len(b.Signatures))
		}
		if sel[i] {
			sigs = append(sigs, b.Signatures[k])
		}
		k++
	}
	// The verifier's canonical labels of the revealed statements, mapped to
	// the issuer's HMAC labels.
	_, ids, err := env.Canon().CanonicalizeNQuads(ctx, g.selected[2])
	if err != nil {
		return nil, err
	}
	labelMap := make(map[string]string, len(ids))
	for in, c := range ids {
		labelMap[c] = g.hmacOf[in]
	}
	reveal, err := selectJSONLD(doc, combinedPtrs)
	if err != nil {
		return nil, err
	}
	if reveal == nil {
		return nil, fmt.Errorf("%w: nothing to disclose: no mandatory or selective pointer", ErrPointer)
	}
	d := &DerivedProof{BaseSignature: b.BaseSignature, PublicKey: b.PublicKey, Signatures: sigs, LabelMap: labelMap, MandatoryIndexes: mandatoryIndexes}
	dv, err := d.Encode()
	if err != nil {
		return nil, err
	}
	newProof := map[string]any{}
	for k, v := range proof {
		if k == "proofValue" {
			continue
		}
		var x any
		if err := json.Unmarshal(v, &x); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		newProof[k] = x
	}
	newProof["proofValue"] = dv
	reveal["proof"] = newProof
	return reveal, nil
}

// Sign creates a base proof over document (without proof) with signer
// (a P-256 or P-384 key whose public key is pub) under config (the proof
// without proofValue) and the mandatory pointers.
func Sign(ctx context.Context, env disuite.Env, signer crypto.Signer, pub *keys.PublicKey, document, config map[string]json.RawMessage, mandatoryPointers []string) (map[string]json.RawMessage, error) {
	if err := (Suite{}).CheckKey(pub.Type()); err != nil {
		return nil, err
	}
	proof := make(map[string]json.RawMessage, len(config)+3)
	for k, v := range config {
		proof[k] = v
	}
	proof["type"] = disuite.JSON(dataintegrity.ProofType)
	proof["cryptosuite"] = disuite.JSON(Cryptosuite)
	full, err := disuite.ProofConfig(document, proof)
	if err != nil {
		return nil, err
	}
	if err := rdfcsuite.CheckTypes(ctx, env.Canon(), document); err != nil {
		return nil, err
	}
	proofHash, err := canonHash(ctx, env, pub.Type(), full)
	if err != nil {
		return nil, err
	}
	doc, err := decode(document)
	if err != nil {
		return nil, err
	}
	hmacKey := make([]byte, 32)
	if _, err := rand.Read(hmacKey); err != nil {
		return nil, err
	}
	g, err := group(ctx, env, hmacKey, doc, mandatoryPointers)
	if err != nil {
		return nil, err
	}
	eph, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	ephPub, err := keys.PublicKeyFrom(&eph.PublicKey)
	if err != nil {
		return nil, err
	}
	ephBytes, err := multikeyBytes(ephPub)
	if err != nil {
		return nil, err
	}
	var mandatory []string
	var sigs [][]byte
	for i, l := range g.lines {
		if g.matching[0][i] {
			mandatory = append(mandatory, l)
			continue
		}
		d := sha256.Sum256([]byte(l))
		r, s, err := ecdsa.Sign(rand.Reader, eph, d[:])
		if err != nil {
			return nil, err
		}
		sig := make([]byte, 64)
		r.FillBytes(sig[:32])
		s.FillBytes(sig[32:])
		sigs = append(sigs, sig)
	}
	mandatoryHash := sum(pub.Type(), []byte(strings.Join(mandatory, "")))
	baseSig, err := dataintegrity.SignHashData(signer, pub.Type(), slices.Concat(proofHash, ephBytes, mandatoryHash))
	if err != nil {
		return nil, err
	}
	bp := &BaseProof{BaseSignature: baseSig, PublicKey: ephBytes, HMACKey: hmacKey, Signatures: sigs, MandatoryPointers: mandatoryPointers}
	pv, err := bp.Encode()
	if err != nil {
		return nil, err
	}
	proof["proofValue"] = disuite.JSON(pv)
	return proof, nil
}

// multikeyBytes is the Multikey encoding of a public key, as bytes.
func multikeyBytes(pk *keys.PublicKey) ([]byte, error) {
	mb := pk.Multibase()
	b, err := unbase58(mb[1:])
	if err != nil {
		return nil, errors.New("ecdsa-sd-2023: cannot encode the one-time key")
	}
	return b, nil
}
