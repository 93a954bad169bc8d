package issuer

import (
	"bytes"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/canon"
	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/internal/rdfc"
	"github.com/badgeproof/badgeproof/keys"
)

// Signer signs credentials and presentations with one key: a
// [keys.PrivateKey] held in memory, or any [crypto.Signer] whose public key
// [keys.PublicKeyFrom] accepts (an Ed25519, P-256, P-384 or secp256k1 key
// in a KMS or an HSM). It is safe for concurrent use when its crypto.Signer
// is.
type Signer struct {
	key crypto.Signer
	pub *keys.PublicKey
	// external: the key is not a keys.PrivateKey, so each signature it
	// returns is checked before it goes into a badge.
	external bool
	vm       string
	now      func() time.Time
	// suite is the cryptosuite chosen with WithCryptosuite ("": the JCS
	// suite of the key's type); contexts are the caller's JSON-LD contexts.
	suite    string
	contexts *rdfc.Contexts
	// terms checks the JSON-LD terms of what is signed, once per shape of
	// credential.
	terms *rdfc.TermCache
	// mandatory are the JSON pointers every ecdsa-sd-2023 disclosure
	// reveals (WithMandatoryPointers).
	mandatory []string
	// related is the content of related resources by id
	// (WithRelatedResources).
	related map[string][]byte
}

// SignerOption configures a Signer.
type SignerOption func(*Signer) error

// WithVerificationMethod names the key in proofs (default: its did:key
// verification method). Use it for did:web issuers and trust-list keys.
func WithVerificationMethod(id string) SignerOption {
	return func(s *Signer) error {
		if id == "" {
			return errors.New("issuer: empty verification method")
		}
		s.vm = id
		return nil
	}
}

// WithClock sets the clock used for proofs' created time.
func WithClock(now func() time.Time) SignerOption {
	return func(s *Signer) error {
		if now == nil {
			return errors.New("issuer: nil clock")
		}
		s.now = now
		return nil
	}
}

// NewSigner makes a Signer for key: a *keys.PrivateKey, or any
// crypto.Signer whose Public method returns an [ed25519.PublicKey], an
// [*ecdsa.PublicKey] on P-256, P-384 or secp256k1, or a [*keys.PublicKey].
//
// A key held in a KMS or an HSM is used through its crypto.Signer: Sign is
// called with crypto.Hash(0) and the message to sign for Ed25519, and with
// the SHA-256 (P-384: SHA-384) digest and that hash for ECDSA, and must
// return a raw Ed25519 signature or an ASN.1 DER ECDSA signature, as the
// standard library's keys do. Each signature an external signer returns is
// verified before it is used, so a misconfigured key cannot produce a badge
// that does not verify.
func NewSigner(key crypto.Signer, opts ...SignerOption) (*Signer, error) {
	if key == nil {
		return nil, errors.New("issuer: nil key")
	}
	pub, err := keys.PublicKeyFrom(key.Public())
	if err != nil {
		return nil, fmt.Errorf("issuer: signing key: %w", err)
	}
	_, internal := key.(*keys.PrivateKey)
	s := &Signer{key: key, pub: pub, external: !internal, vm: pub.VerificationMethod(), now: time.Now}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	if err := s.checkSuite(); err != nil {
		return nil, err
	}
	if s.terms, err = rdfc.NewTermCache(rdfc.Options{Contexts: s.contexts}, termCacheSize); err != nil {
		return nil, err
	}
	return s, nil
}

// termCacheSize bounds the shapes of credential a Signer remembers as
// checked; a national batch has a handful.
const termCacheSize = 1024

// DID is the signer's identifier: the controller part of its verification method.
func (s *Signer) DID() string {
	did, _, _ := strings.Cut(s.vm, "#")
	return did
}

// VerificationMethod is the id proofs name.
func (s *Signer) VerificationMethod() string { return s.vm }

// PublicKey is the key proofs verify with.
func (s *Signer) PublicKey() *keys.PublicKey { return s.pub }

// Cryptosuite is the suite this signer's proofs use.
func (s *Signer) Cryptosuite() string {
	if s.suite != "" {
		return s.suite
	}
	return dataintegrity.SuiteFor(s.pub.Type())
}

// SignCredential adds a DataIntegrityProof to the credential and returns the
// signed credential's bytes. An existing proof is kept and the new one is
// appended, making a proof set; the new proof signs the credential without
// any proof, as Data Integrity proof sets do. A credential that breaks a
// MUST of the Verifiable Credentials data model is refused (ErrDataModel).
func (s *Signer) SignCredential(c *badge.Credential) ([]byte, error) {
	m := c.Members()
	if err := injectDataIntegrityContext(m); err != nil {
		return nil, err
	}
	if err := s.checkDataModel(m); err != nil {
		return nil, err
	}
	return s.sign(m, dataintegrity.Options{})
}

// SignPresentation adds a proof bound to challenge and domain, with the
// authentication purpose.
func (s *Signer) SignPresentation(p *badge.Presentation, challenge, domain string) ([]byte, error) {
	if challenge == "" || domain == "" {
		return nil, errors.New("issuer: a presentation needs a challenge and a domain")
	}
	m := p.Members()
	if err := injectDataIntegrityContext(m); err != nil {
		return nil, err
	}
	if err := s.checkDataModel(m); err != nil {
		return nil, err
	}
	return s.sign(m, dataintegrity.Options{ProofPurpose: "authentication", Challenge: challenge, Domain: domain})
}

func (s *Signer) sign(members map[string]json.RawMessage, opt dataintegrity.Options) ([]byte, error) {
	existing := members["proof"]
	delete(members, "proof")
	pb, err := s.proofAt(members, opt, s.now().UTC().Truncate(time.Second))
	if err != nil {
		return nil, err
	}
	members["proof"], err = appendProof(existing, pb)
	if err != nil {
		return nil, err
	}
	return MarshalDocument(members)
}

// jcsSuite reports whether the signer signs with the JCS suite of its key
// (eddsa-jcs-2022 or ecdsa-jcs-2019), whose canonical document a batch
// leaf reuses.
func (s *Signer) jcsSuite() bool {
	return s.suite == "" || s.suite == dataintegrity.SuiteFor(s.pub.Type())
}

// proofAt signs members (a document without its proof member) with the
// given created time and returns the new proof.
func (s *Signer) proofAt(members map[string]json.RawMessage, opt dataintegrity.Options, created time.Time) (json.RawMessage, error) {
	if s.suite == ECDSASD2023 {
		return s.signSD(members, opt, created)
	}
	if !s.jcsSuite() {
		return s.signSuite(members, opt, created)
	}
	doc, err := canon.NewObject(members)
	if err != nil {
		return nil, fmt.Errorf("issuer: %w", err)
	}
	return s.proofObject(doc, members["@context"], opt, created)
}

// proofObject is proofAt for a document already canonicalized.
func (s *Signer) proofObject(doc *canon.Object, docContext json.RawMessage, opt dataintegrity.Options, created time.Time) (json.RawMessage, error) {
	opt.VerificationMethod = s.vm
	opt.Created = created
	opt.CheckSignature = s.external
	proof, err := dataintegrity.SignObject(s.key, s.pub, doc, docContext, opt)
	if err != nil {
		return nil, fmt.Errorf("issuer: signing: %w", err)
	}
	return json.Marshal(proof)
}

// appendProof adds a proof to an existing proof member (absent, an object or
// an array).
func appendProof(existing json.RawMessage, proof json.RawMessage) (json.RawMessage, error) {
	if len(existing) == 0 {
		return proof, nil
	}
	var list []json.RawMessage
	if t := bytes.TrimSpace(existing); len(t) > 0 && t[0] == '[' {
		if err := json.Unmarshal(t, &list); err != nil {
			return nil, err
		}
	} else {
		list = []json.RawMessage{existing}
	}
	return json.Marshal(append(list, proof))
}

// MarshalDocument writes a document's members as indented JSON with
// members in sorted order (which puts "@context" first). Each value is
// written as it is, indented, in one pass.
func MarshalDocument(members map[string]json.RawMessage) ([]byte, error) {
	names := make([]string, 0, len(members))
	size := 4
	for k, v := range members {
		names = append(names, k)
		size += len(k) + 2*len(v) + 8
	}
	slices.Sort(names)
	out := bytes.NewBuffer(make([]byte, 0, size))
	out.WriteByte('{')
	for i, k := range names {
		if i > 0 {
			out.WriteByte(',')
		}
		out.WriteString("\n  ")
		key, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		out.Write(key)
		out.WriteString(": ")
		if err := json.Indent(out, members[k], "  ", "  "); err != nil {
			return nil, fmt.Errorf("issuer: member %s: %w", k, err)
		}
	}
	if len(names) > 0 {
		out.WriteByte('\n')
	}
	out.WriteString("}\n")
	return out.Bytes(), nil
}
