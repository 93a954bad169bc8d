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
	"github.com/badgeproof/badgeproof/internal/rdfcsuite"
	"github.com/badgeproof/badgeproof/internal/urlmap"
)

// The Data Integrity cryptosuites a Signer signs with (WithCryptosuite).
const (
	// EdDSAJCS2022 (Ed25519 keys) and ECDSAJCS2019 (P-256, P-384 and this
	// SDK's secp256k1 profile) canonicalize with JCS: the default.
	EdDSAJCS2022 = dataintegrity.EdDSAJCS2022
	ECDSAJCS2019 = dataintegrity.ECDSAJCS2019
	// EdDSARDFC2022 (Ed25519) and ECDSARDFC2019 (P-256, P-384)
	// canonicalize the JSON-LD document with RDFC-1.0, as Open Badges 3.0
	// conformance and many other verifiers expect.
	EdDSARDFC2022 = rdfcsuite.EdDSARDFC2022
	ECDSARDFC2019 = rdfcsuite.ECDSARDFC2019
)

// signerSuites are the suites a Signer may be asked for.
var signerSuites = map[string]disuite.Signer{
	EdDSAJCS2022:  dataintegrity.EdDSAJCS,
	ECDSAJCS2019:  dataintegrity.ECDSAJCS,
	EdDSARDFC2022: rdfcsuite.EdDSA,
	ECDSARDFC2019: rdfcsuite.ECDSA,
}

// Cryptosuites lists the suites WithCryptosuite accepts.
func Cryptosuites() []string {
	return []string{ECDSAJCS2019, ECDSARDFC2019, ECDSASD2023, EdDSAJCS2022, EdDSARDFC2022}
}

// WithCryptosuite chooses the Data Integrity cryptosuite of the signer's
// proofs (default: eddsa-jcs-2022 for Ed25519 keys, ecdsa-jcs-2019 for
// the others). NewSigner fails for an unknown suite or one the key's type
// cannot sign (eddsa-* needs Ed25519; ecdsa-rdfc-2019 needs P-256 or
// P-384). With an RDFC suite every context the document names must be
// held locally (see WithContexts).
func WithCryptosuite(name string) SignerOption {
	return func(s *Signer) error {
		if _, ok := signerSuites[name]; !ok && name != ECDSASD2023 {
			return fmt.Errorf("issuer: unknown cryptosuite %q (known: %v)", name, Cryptosuites())
		}
		s.suite = name
		return nil
	}
}

// WithContexts adds JSON-LD context documents, by URL, for documents that
// name contexts the SDK does not hold (contexts are never fetched). An
// embedded URL cannot be replaced.
func WithContexts(docs map[string][]byte) SignerOption {
	return func(s *Signer) error {
		cs, err := rdfc.ParseContexts(docs)
		if err != nil {
			return fmt.Errorf("issuer: %w", err)
		}
		if s.contexts, err = s.contexts.Merge(cs); err != nil {
			return fmt.Errorf("issuer: %w", err)
		}
		return nil
	}
}

// checkSuite checks the chosen suite against the key, after the options.
func (s *Signer) checkSuite() error {
	if len(s.mandatory) > 0 && s.suite != ECDSASD2023 {
		return fmt.Errorf("issuer: mandatory pointers are for %s, not %s", ECDSASD2023, s.Cryptosuite())
	}
	if s.suite == ECDSASD2023 {
		if err := (ecdsasd.Suite{}).CheckKey(s.pub.Type()); err != nil {
			return fmt.Errorf("issuer: %w", err)
		}
		return nil
	}
	if s.suite == "" {
		return nil
	}
	if err := signerSuites[s.suite].CheckKey(s.pub.Type()); err != nil {
		return fmt.Errorf("issuer: %w", err)
	}
	return nil
}

// ErrDataModel is returned (wrapped) when a credential or presentation
// breaks the Verifiable Credentials data model: the signer refuses to sign
// it. errors.As with *badge.DataModelError lists the violations.
var ErrDataModel = errors.New("issuer: not a valid verifiable credential or presentation")

// checkDataModel refuses a document that breaks a MUST of the VC data
// model (badge.CheckDataModel) or of its JSON-LD terms (a redefined
// protected term, an undefined type, an unknown context).
func (s *Signer) checkDataModel(members map[string]json.RawMessage) error {
	raw, err := s.checkStructure(members)
	if err != nil {
		return err
	}
	return s.checkTerms(raw)
}

// checkStructure is the data model check without the JSON-LD terms; it
// returns the document's bytes for checkTerms.
func (s *Signer) checkStructure(members map[string]json.RawMessage) ([]byte, error) {
	raw, err := json.Marshal(members)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDataModel, err)
	}
	if err := badge.CheckDataModel(raw); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDataModel, err)
	}
	if err := badge.CheckRelatedResources(raw, s.related); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDataModel, err)
	}
	return raw, nil
}

// checkDecoded is checkStructure and checkTerms for a credential given as
// its bytes and their decoding (by encoding/json or jsonx.Decode into an
// any), which it reads without changing: a Stream checks each badge so,
// without serializing or decoding it again. Keep it in step with
// checkStructure.
func (s *Signer) checkDecoded(raw []byte, doc any) error {
	if err := badge.CheckDataModelDecoded(doc); err != nil {
		return fmt.Errorf("%w: %w", ErrDataModel, err)
	}
	if err := badge.CheckRelatedResourcesDecoded(doc, s.related); err != nil {
		return fmt.Errorf("%w: %w", ErrDataModel, err)
	}
	if err := s.terms.CheckCredentialTermsDecoded(context.Background(), raw, doc); err != nil {
		return fmt.Errorf("%w: %w", ErrDataModel, err)
	}
	return nil
}

// WithRelatedResources gives the content of resources a credential may
// pin in relatedResource, by id: the signer refuses (ErrDataModel) a
// credential whose digestSRI or digestMultibase for one of them does not
// match. Resources not given are never fetched, and their digests are
// checked for syntax only. Given more than once, the maps are merged; an
// id given twice is an error.
func WithRelatedResources(content map[string][]byte) SignerOption {
	return func(s *Signer) error {
		var err error
		if s.related, err = urlmap.Merge(s.related, content); err != nil {
			return fmt.Errorf("issuer: WithRelatedResources: %w", err)
		}
		return nil
	}
}

// checkTerms checks the document's JSON-LD terms against its contexts.
func (s *Signer) checkTerms(raw []byte) error {
	if err := s.terms.CheckCredentialTerms(context.Background(), raw); err != nil {
		return fmt.Errorf("%w: %w", ErrDataModel, err)
	}
	return nil
}

// signSuite signs members (without proof) with the chosen suite.
func (s *Signer) signSuite(members map[string]json.RawMessage, opt dataintegrity.Options, created time.Time) (json.RawMessage, error) {
	purpose := opt.ProofPurpose
	if purpose == "" {
		purpose = "assertionMethod"
	}
	config := disuite.Config(dataintegrity.ProofType, s.suite, s.vm, purpose, created, opt.Challenge, opt.Domain)
	proof, err := signerSuites[s.suite].Sign(context.Background(), disuite.Env{Contexts: s.contexts}, s.key, s.pub, members, config)
	if err != nil {
		for _, e := range []error{rdfc.ErrCanonicalize, rdfc.ErrUndefinedTerm, rdfc.ErrUnknownContext, rdfc.ErrInvalidJSON, rdfc.ErrTooLarge, rdfc.ErrTooDeep} {
			if errors.Is(err, e) {
				// The document is not JSON-LD the suite can canonicalize:
				// the caller's input, not a signing failure.
				return nil, fmt.Errorf("%w: %w", ErrDataModel, err)
			}
		}
		return nil, fmt.Errorf("issuer: signing: %w", err)
	}
	if s.external {
		// A KMS or HSM key: check what it returned before it goes into a badge.
		if err := signerSuites[s.suite].Verify(context.Background(), disuite.Env{Contexts: s.contexts}, s.pub, members, proof); err != nil {
			return nil, fmt.Errorf("issuer: the signer's signature does not verify: %w", err)
		}
	}
	return json.Marshal(proof)
}
