package issuer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/keys"
)

// Signer signs credentials and presentations with one key.
type Signer struct {
	key *keys.PrivateKey
	vm  string
	now func() time.Time
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

// NewSigner makes a Signer for key.
func NewSigner(key *keys.PrivateKey, opts ...SignerOption) (*Signer, error) {
	if key == nil {
		return nil, errors.New("issuer: nil key")
	}
	s := &Signer{key: key, vm: key.PublicKey().VerificationMethod(), now: time.Now}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// DID is the signer's identifier: the controller part of its verification method.
func (s *Signer) DID() string {
	did, _, _ := strings.Cut(s.vm, "#")
	return did
}

// VerificationMethod is the id proofs name.
func (s *Signer) VerificationMethod() string { return s.vm }

// Key returns the secret key.
func (s *Signer) Key() *keys.PrivateKey { return s.key }

// Cryptosuite is the suite this signer's proofs use.
func (s *Signer) Cryptosuite() string { return dataintegrity.SuiteFor(s.key.Type()) }

// SignCredential adds a DataIntegrityProof to the credential and returns the
// signed credential's bytes. An existing proof is kept and the new one is
// appended, making a proof set; the new proof signs the credential without
// any proof, as Data Integrity proof sets do.
func (s *Signer) SignCredential(c *badge.Credential) ([]byte, error) {
	return s.sign(c.Members(), dataintegrity.Options{})
}

// SignPresentation adds a proof bound to challenge and domain, with the
// authentication purpose.
func (s *Signer) SignPresentation(p *badge.Presentation, challenge, domain string) ([]byte, error) {
	if challenge == "" || domain == "" {
		return nil, errors.New("issuer: a presentation needs a challenge and a domain")
	}
	return s.sign(p.Members(), dataintegrity.Options{ProofPurpose: "authentication", Challenge: challenge, Domain: domain})
}

func (s *Signer) sign(members map[string]json.RawMessage, opt dataintegrity.Options) ([]byte, error) {
	existing := members["proof"]
	delete(members, "proof")
	opt.VerificationMethod = s.vm
	opt.Created = s.now().UTC().Truncate(time.Second)
	proof, err := dataintegrity.Sign(s.key, members, opt)
	if err != nil {
		return nil, err
	}
	pb, err := json.Marshal(proof)
	if err != nil {
		return nil, err
	}
	members["proof"], err = appendProof(existing, pb)
	if err != nil {
		return nil, err
	}
	return MarshalDocument(members)
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
// members in sorted order (which puts "@context" first).
func MarshalDocument(members map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(members)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// KeyFile is the on-disk form of a signing key.
type KeyFile struct {
	Type               keys.Type `json:"type"`
	ID                 string           `json:"id"`
	PublicKeyMultibase string           `json:"publicKeyMultibase"`
	SecretKeyMultibase string           `json:"secretKeyMultibase"`
}

// WriteKeyFile saves key to path with owner-only permissions; it refuses to
// overwrite an existing file.
func WriteKeyFile(path string, key *keys.PrivateKey) error {
	kf := KeyFile{Type: key.Type(), ID: key.PublicKey().DID(), PublicKeyMultibase: key.PublicKey().Multibase(), SecretKeyMultibase: key.Multibase()}
	b, err := json.MarshalIndent(kf, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadKeyFile loads a key written by WriteKeyFile and checks that its parts agree.
func ReadKeyFile(path string) (*keys.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var kf KeyFile
	if err := json.Unmarshal(b, &kf); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	key, err := keys.ParseSecretMultikey(kf.SecretKeyMultibase)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if kf.PublicKeyMultibase != "" && kf.PublicKeyMultibase != key.PublicKey().Multibase() {
		return nil, fmt.Errorf("key file %s: public key does not match the secret key", path)
	}
	return key, nil
}
