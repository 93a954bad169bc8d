package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/internal/disuite"
	"github.com/badgeproof/badgeproof/internal/ecdsasd"
	"github.com/badgeproof/badgeproof/internal/rdfc"
	"github.com/badgeproof/badgeproof/keys"
)

// ECDSASD2023 is the W3C Data Integrity ECDSA selective disclosure
// cryptosuite: the issuer signs a base proof (WithCryptosuite, with
// WithMandatoryPointers naming what every disclosure must reveal), and the
// holder derives disclosures from it (DeriveDisclosure). Keys: P-256 or
// P-384 (and secp256k1, this SDK's profile, as Blockcerts issuers use).
const ECDSASD2023 = ecdsasd.Cryptosuite

// WithMandatoryPointers names, as JSON pointers (RFC 6901, e.g. "/issuer",
// "/credentialSubject/licenceNumber"), the parts of a credential every
// disclosure of an ecdsa-sd-2023 base proof must reveal.
func WithMandatoryPointers(pointers ...string) SignerOption {
	return func(s *Signer) error {
		for _, p := range pointers {
			if p != "" && p[0] != '/' {
				return fmt.Errorf("issuer: %q is not a JSON pointer", p)
			}
		}
		s.mandatory = append(s.mandatory, pointers...)
		return nil
	}
}

// signSD signs an ecdsa-sd-2023 base proof.
func (s *Signer) signSD(members map[string]json.RawMessage, opt dataintegrity.Options, created time.Time) (json.RawMessage, error) {
	purpose := opt.ProofPurpose
	if purpose == "" {
		purpose = "assertionMethod"
	}
	config := disuite.Config(dataintegrity.ProofType, ECDSASD2023, s.vm, purpose, created, opt.Challenge, opt.Domain)
	env := disuite.Env{Contexts: s.contexts}
	proof, err := ecdsasd.Sign(context.Background(), env, s.key, s.pub, members, config, s.mandatory)
	if err != nil {
		if isCanonInput(err) || errors.Is(err, disuite.ErrMalformed) {
			return nil, fmt.Errorf("%w: %w", ErrDataModel, err)
		}
		return nil, fmt.Errorf("issuer: signing: %w", err)
	}
	if s.external {
		if err := (ecdsasd.Suite{}).Verify(context.Background(), env, s.pub, members, proof); err != nil {
			return nil, fmt.Errorf("issuer: the signer's signature does not verify: %w", err)
		}
	}
	return json.Marshal(proof)
}

// isCanonInput reports whether err says the document is not JSON-LD that
// can be canonicalized: the caller's input, not a signing failure.
func isCanonInput(err error) bool {
	for _, e := range []error{rdfc.ErrCanonicalize, rdfc.ErrUndefinedTerm, rdfc.ErrUnknownContext, rdfc.ErrInvalidJSON, rdfc.ErrTooLarge, rdfc.ErrTooDeep} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// ErrPointer is returned (wrapped) by DeriveDisclosure when a JSON pointer
// does not select anything in the credential.
var ErrPointer = errors.New("issuer: JSON pointer does not match the credential")

// DeriveDisclosure is the holder's side of ecdsa-sd-2023: from a credential
// signed with a base proof, it makes a credential that reveals only the
// issuer's mandatory parts and the parts the JSON pointers select (e.g.
// "/credentialSubject/grade"), with a derived proof any verifier checks
// against the issuer's key. contexts adds JSON-LD contexts the SDK does
// not hold (nil for none).
func DeriveDisclosure(signed []byte, pointers []string, contexts map[string][]byte) ([]byte, error) {
	c, err := badge.ParseCredential(signed, badge.Limits{MaxBytes: max(badge.DefaultMaxBytes, len(signed))})
	if err != nil {
		return nil, fmt.Errorf("issuer: %w", err)
	}
	var cs *rdfc.Contexts
	if len(contexts) > 0 {
		if cs, err = rdfc.ParseContexts(contexts); err != nil {
			return nil, fmt.Errorf("issuer: %w", err)
		}
	}
	reveal, err := ecdsasd.Derive(context.Background(), disuite.Env{Contexts: cs}, c.Members(), pointers)
	switch {
	case errors.Is(err, ecdsasd.ErrPointer):
		return nil, fmt.Errorf("%w: %w", ErrPointer, err)
	case err != nil:
		return nil, fmt.Errorf("issuer: deriving a disclosure: %w", err)
	}
	b, err := json.Marshal(reveal)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return MarshalDocument(m)
}

// VerifyBaseProof is the holder's check of a credential it received with an
// ecdsa-sd-2023 base proof: every statement's signature and the issuer's
// base signature, with the issuer's key pub. (A verifier never sees a base
// proof: it accepts only disclosures.) contexts adds JSON-LD contexts the
// SDK does not hold (nil for none).
func VerifyBaseProof(signed []byte, pub *keys.PublicKey, contexts map[string][]byte) error {
	c, err := badge.ParseCredential(signed, badge.Limits{MaxBytes: max(badge.DefaultMaxBytes, len(signed))})
	if err != nil {
		return fmt.Errorf("issuer: %w", err)
	}
	if len(c.Proofs) != 1 {
		return fmt.Errorf("issuer: want one ecdsa-sd-2023 base proof, the credential has %d proofs", len(c.Proofs))
	}
	var cs *rdfc.Contexts
	if len(contexts) > 0 {
		if cs, err = rdfc.ParseContexts(contexts); err != nil {
			return fmt.Errorf("issuer: %w", err)
		}
	}
	if err := (ecdsasd.Suite{AcceptBase: true}).Verify(context.Background(), disuite.Env{Contexts: cs}, pub, c.Unsigned(), c.Proofs[0].Members()); err != nil {
		return fmt.Errorf("issuer: the base proof does not verify: %w", err)
	}
	return nil
}
