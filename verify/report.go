package verify

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/badgeproof/badgeproof/internal/errcode"
)

// ReportVersion is the version of the Report's JSON form.
const ReportVersion = "1"

// CheckID names one step of a verification.
type CheckID string

// The checks, in the order a Report lists them.
const (
	CheckFormat    CheckID = "format"
	CheckSignature CheckID = "signature"
	CheckMerkle    CheckID = "merkle"
	CheckAnchor    CheckID = "anchor"
	CheckIssuer    CheckID = "issuer"
	CheckStatus    CheckID = "status"
	CheckValidity  CheckID = "validity"
	CheckHolder    CheckID = "holder"
)

// checkOrder lists every check in report order.
var checkOrder = [...]CheckID{CheckFormat, CheckSignature, CheckMerkle, CheckAnchor, CheckIssuer, CheckStatus, CheckValidity, CheckHolder}

// Checks lists every check in the order a Report lists them.
func Checks() []CheckID { return append([]CheckID(nil), checkOrder[:]...) }

// Status is the outcome of one check or of the whole verification.
type Status string

// Check outcomes. Overall is StatusVerified, StatusFailed or StatusIndeterminate.
const (
	StatusPassed        Status = "passed"
	StatusFailed        Status = "failed"
	StatusSkipped       Status = "skipped"
	StatusIndeterminate Status = "indeterminate"
	StatusVerified      Status = "verified"
)

// Sentinel errors carried by failed or indeterminate checks, for errors.Is.
// Each has a stable snake_case code, the Check's Code in Go and "code" in
// JSON, so that programs never parse messages:
//
//	code                 error                  check status   meaning
//	malformed            ErrMalformed           failed         not a well-formed credential or presentation (size, JSON, data model, schema)
//	no_proof             ErrNoProof             failed         the credential or presentation carries no proof
//	bad_signature        ErrBadSignature        failed         the signature is cryptographically invalid, or the proof is not the kind the check needs
//	key_not_issuer       ErrKeyNotIssuer        failed         the signature is valid, but by a key of someone other than the issuer (or holder)
//	unknown_key          ErrUnknownKey          failed         no key resolver knows the verification method, or its document does not list it
//	key_unavailable      ErrKeyUnavailable      indeterminate  the key could not be resolved now (offline, a server down or slow)
//	key_mismatch         ErrKeyMismatch         failed         the key's type does not match the proof's cryptosuite
//	unsupported_proof    ErrUnsupportedProof    indeterminate  a proof of a kind this verifier cannot check
//	suite_not_accepted   ErrSuiteNotAccepted    failed         a proof in a cryptosuite the caller did not accept (WithCryptosuites)
//	hash_mismatch        ErrHashMismatch        failed         the badge's hash is not the one the batch proof names: it changed
//	root_mismatch        ErrRootMismatch        failed         the Merkle path does not reach the proof's root
//	anchor_unavailable   ErrAnchorUnavailable   indeterminate  the chain or ledger could not be asked
//	anchor_mismatch      ErrAnchorMismatch      failed         the anchor does not exist or holds another root
//	not_anchored         ErrNotAnchored         failed         the batch proof names no anchor, or only a test anchor
//	wrong_sender         ErrWrongSender         failed         the anchor was written by an address that is not the issuer's
//	no_trust_list        ErrNoTrustList         indeterminate  the verifier was built without trusted issuers (WithoutTrustList)
//	untrusted_issuer     ErrUntrustedIssuer     failed         the issuer is not in the trust list, or not at the badge's date, or nothing ties the badge to it
//	not_authorized       ErrNotAuthorized       failed         the issuer may not issue this kind of achievement
//	key_retired          ErrKeyRetired          failed         the issuer's key was retired before the badge provably existed
//	revoked              ErrRevoked             failed         the status list says revoked
//	suspended            ErrSuspended           failed         the status list says suspended
//	status_unavailable   ErrStatusUnavailable   indeterminate  the status list could not be fetched
//	bad_status_list      ErrBadStatusList       failed         the status list is malformed, unsigned or signed by someone else
//	fetch_refused        ErrFetchRefused        failed         a URL the badge names was refused (plain http, a private address, too large)
//	expired              ErrExpired             failed         validUntil has passed
//	not_yet_valid        ErrNotYetValid         failed         validFrom is in the future
//	challenge_mismatch   ErrChallenge           failed         the presentation is not bound to this verifier's challenge and domain
//	not_holder           ErrNotHolder           failed         the presenter is not the badge's subject
//	canceled             ErrCanceled            indeterminate  the caller's context ended before the document was verified
//	alg_none             ErrAlgNone             failed         a JWT, SD-JWT or status list token with alg none: unsigned, never accepted
//	alg_hmac             ErrAlgHMAC             failed         a token with an HMAC alg (HS256...): a shared secret, never accepted for credentials
//	disclosure_mismatch  ErrDisclosure          failed         an SD-JWT disclosure whose digest the issuer did not sign (changed, added, repeated)
//	key_binding_failed   ErrKeyBinding          failed         an SD-JWT key binding JWT missing, not by the cnf key, not over the presented disclosures, or stale
//	budget_exceeded      ErrBudgetExceeded      failed         the document asks for more work than the verifier allows (WithWorkBudget): abusive input
//	too_many_proofs      ErrTooManyProofs       failed         more proofs in one document than the verifier allows (WithMaxProofs)
//	too_many_status_entries ErrTooManyStatusEntries failed     more credentialStatus entries than the verifier allows (WithMaxStatusEntries)
//	proof_expired        ErrProofExpired        failed         a proof's expires has passed
//	proof_not_yet_valid  ErrProofNotYetValid    failed         a proof's created is later than now plus the allowed clock skew
//
// A check whose error wraps several sentinels takes the code of the first
// one found (wrapping order, outermost first).
var (
	ErrMalformed         = errors.New("malformed credential")
	ErrNoProof           = errors.New("credential has no proof")
	ErrBadSignature      = errors.New("bad signature")
	ErrKeyNotIssuer      = errors.New("signing key is not the issuer's")
	ErrUnknownKey        = errors.New("verification key not found")
	ErrKeyUnavailable    = errors.New("verification key could not be resolved")
	ErrKeyMismatch       = errors.New("key type does not match cryptosuite")
	ErrUnsupportedProof  = errors.New("unsupported proof")
	ErrSuiteNotAccepted  = errors.New("cryptosuite not accepted")
	ErrHashMismatch      = errors.New("target hash mismatch")
	ErrRootMismatch      = errors.New("merkle root mismatch")
	ErrAnchorUnavailable = errors.New("anchor unavailable")
	ErrAnchorMismatch    = errors.New("anchor does not match")
	ErrNotAnchored       = errors.New("not anchored")
	ErrWrongSender       = errors.New("anchor sender is not the issuer")
	ErrNoTrustList       = errors.New("no trust list configured")
	ErrUntrustedIssuer   = errors.New("untrusted issuer")
	ErrNotAuthorized     = errors.New("issuer not authorized for this achievement")
	ErrKeyRetired        = errors.New("issuer key retired")
	ErrRevoked           = errors.New("revoked")
	ErrSuspended         = errors.New("suspended")
	ErrStatusUnavailable = errors.New("status list unavailable")
	ErrBadStatusList     = errors.New("status list invalid")
	ErrFetchRefused      = errors.New("fetch refused")
	ErrExpired           = errors.New("expired")
	ErrNotYetValid       = errors.New("not yet valid")
	ErrChallenge         = errors.New("presentation challenge or domain mismatch")
	ErrNotHolder         = errors.New("holder is not the subject")
	ErrCanceled          = errors.New("verification canceled")
)

// Sentinels of hostile input: abusive documents and proofs outside their
// own validity window (codes in the table at ErrMalformed).
var (
	ErrBudgetExceeded       = errors.New("work budget exceeded")
	ErrTooManyProofs        = errors.New("too many proofs")
	ErrTooManyStatusEntries = errors.New("too many status entries")
	ErrProofExpired         = errors.New("proof expired")
	ErrProofNotYetValid     = errors.New("proof created in the future")
)

// Sentinels of the JOSE family: JWT-secured credentials, SD-JWT VCs and
// status list tokens (codes in the table at ErrMalformed). A wrong key
// binding nonce or audience is ErrChallenge, like a presentation's.
var (
	ErrAlgNone    = errors.New("unsigned token (alg none)")
	ErrAlgHMAC    = errors.New("symmetric (HMAC) algorithm")
	ErrDisclosure = errors.New("disclosure does not match the signed digests")
	ErrKeyBinding = errors.New("key binding invalid")
)

// errorCodes is the one table of codes; the documentation above lists it.
var errorCodes = map[error]string{
	ErrAlgNone: "alg_none", ErrAlgHMAC: "alg_hmac", ErrDisclosure: "disclosure_mismatch", ErrKeyBinding: "key_binding_failed",
	ErrMalformed: "malformed", ErrNoProof: "no_proof", ErrBadSignature: "bad_signature",
	ErrKeyNotIssuer: "key_not_issuer", ErrUnknownKey: "unknown_key", ErrKeyUnavailable: "key_unavailable",
	ErrKeyMismatch: "key_mismatch", ErrUnsupportedProof: "unsupported_proof", ErrSuiteNotAccepted: "suite_not_accepted",
	ErrHashMismatch: "hash_mismatch", ErrRootMismatch: "root_mismatch", ErrAnchorUnavailable: "anchor_unavailable",
	ErrAnchorMismatch: "anchor_mismatch", ErrNotAnchored: "not_anchored", ErrWrongSender: "wrong_sender",
	ErrNoTrustList: "no_trust_list", ErrUntrustedIssuer: "untrusted_issuer", ErrNotAuthorized: "not_authorized",
	ErrKeyRetired: "key_retired", ErrRevoked: "revoked", ErrSuspended: "suspended",
	ErrStatusUnavailable: "status_unavailable", ErrBadStatusList: "bad_status_list", ErrFetchRefused: "fetch_refused",
	ErrExpired: "expired", ErrNotYetValid: "not_yet_valid", ErrChallenge: "challenge_mismatch", ErrNotHolder: "not_holder",
	ErrCanceled: "canceled", ErrBudgetExceeded: "budget_exceeded", ErrTooManyProofs: "too_many_proofs",
	ErrTooManyStatusEntries: "too_many_status_entries", ErrProofExpired: "proof_expired", ErrProofNotYetValid: "proof_not_yet_valid",
}

// Code returns the stable code of the first of this package's sentinel
// errors that err wraps (outermost first), or "" when it wraps none.
func Code(err error) string { return errcode.Lookup(err, errorCodes) }

// Reasons a check was skipped. A skipped check has no Code (it neither
// failed nor stayed undecided) but a stable snake_case Reason, "reason" in
// JSON, so that programs and pages can say why without parsing messages:
//
//	reason                check              meaning
//	no_signature_proof    signature          no signature proof: integrity and origin rest on the Merkle batch proof (and a Blockcerts certificate's receipt)
//	no_batch_proof        merkle, anchor     no Merkle batch proof (the badge was not issued in an anchored batch, or it is JOSE-secured)
//	not_looked_up         anchor             the anchor was not looked up because the Merkle proof was not established (failed, not accepted, not checked)
//	test_anchor           anchor             the Merkle proof reaches a test anchor, accepted for testing (WithAllowTestAnchors): no chain holds it
//	trust_not_checked     issuer             issuer trust was switched off (WithoutIssuerTrustUnsafe)
//	no_status             status             the issuer publishes no revocation for the badge (no credentialStatus, status claim or revocation list)
//	other_status_purpose  status             every status entry has a purpose other than revocation or suspension
//	not_presented         holder             the credential was not presented (or an SD-JWT VC carries no key binding): no holder to check
const (
	ReasonNoSignatureProof   = "no_signature_proof"
	ReasonNoBatchProof       = "no_batch_proof"
	ReasonNotLookedUp        = "not_looked_up"
	ReasonTestAnchor         = "test_anchor"
	ReasonTrustNotChecked    = "trust_not_checked"
	ReasonNoStatus           = "no_status"
	ReasonOtherStatusPurpose = "other_status_purpose"
	ReasonNotPresented       = "not_presented"
)

// skipReasons is the table above: each reason and the checks it is given on.
var skipReasons = map[string][]CheckID{
	ReasonNoSignatureProof: {CheckSignature}, ReasonNoBatchProof: {CheckMerkle, CheckAnchor},
	ReasonNotLookedUp: {CheckAnchor}, ReasonTestAnchor: {CheckAnchor}, ReasonTrustNotChecked: {CheckIssuer},
	ReasonNoStatus: {CheckStatus}, ReasonOtherStatusPurpose: {CheckStatus}, ReasonNotPresented: {CheckHolder},
}

// Check is the outcome of one step.
type Check struct {
	ID     CheckID `json:"id"`
	Status Status  `json:"status"`
	// Code names the reason of a failed or indeterminate check (see the
	// table at ErrMalformed); empty otherwise.
	Code string `json:"code,omitempty"`
	// Reason says why a skipped check was skipped (see the table at
	// ReasonNoSignatureProof); empty otherwise.
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message"`
	// Err is set on failed and indeterminate checks and wraps one of the
	// sentinel errors of this package.
	Err error `json:"-"`
}

// CredentialSummary says what was verified.
type CredentialSummary struct {
	ID          string   `json:"id,omitempty"`
	Type        []string `json:"type,omitempty"`
	Name        string   `json:"name,omitempty"`
	Issuer      string   `json:"issuer,omitempty"`
	Subject     string   `json:"subject,omitempty"`
	Achievement string   `json:"achievement,omitempty"`
	ValidFrom   string   `json:"validFrom,omitempty"`
	ValidUntil  string   `json:"validUntil,omitempty"`
}

// IssuerSummary names the issuer as the trust list knows it.
type IssuerSummary struct {
	ID     string `json:"id"`
	Name   string `json:"name,omitempty"`
	NameKo string `json:"nameKo,omitempty"`
}

// AnchorSummary says what the chain holds for one anchor.
type AnchorSummary struct {
	URI           string `json:"uri"`
	Root          string `json:"root,omitempty"`
	Time          string `json:"time,omitempty"`
	Confirmations uint64 `json:"confirmations,omitempty"`
	Sender        string `json:"sender,omitempty"`
}

// Report is the verdict on one credential or presentation. It is returned for
// every input, also for bad input.
type Report struct {
	Version    string             `json:"version"`
	Verified   bool               `json:"verified"`
	Status     Status             `json:"status"`
	Checks     []Check            `json:"checks"`
	Credential *CredentialSummary `json:"credential,omitempty"`
	Issuer     *IssuerSummary     `json:"issuer,omitempty"`
	Anchors    []AnchorSummary    `json:"anchors,omitempty"`
	// Format names how the credential was secured: FormatLDP, FormatVCJWT,
	// FormatVCJOSE or FormatSDJWTVC (empty when it could not be told).
	Format string `json:"format,omitempty"`
	// Container is "png" or "svg" for a credential baked into an image.
	Container string `json:"container,omitempty"`
	// Signers names who made each verified signature proof: the issuer,
	// or another party (an endorser or witness).
	Signers []SignerSummary `json:"signers,omitempty"`
	// Credentials holds one report per credential of a presentation.
	Credentials []*Report `json:"credentials,omitempty"`

	// parts counts the messages merged into each check, and omitted those
	// left out past maxMessageParts, so a message does not grow with the
	// number of proofs or entries that say the same thing.
	parts, omitted map[CheckID]int
}

// maxMessageParts is how many outcomes of equal rank one check's message
// lists; the rest are counted ("and N more").
const maxMessageParts = 8

// NewReport builds a Report from checks, as the Verifier does: each failed
// or indeterminate check gets the code of its Err, the checks are put in
// report order and the overall status follows from them. It is for code
// that decides something about an input before or beside the Verifier (a
// web service refusing a body it cannot read, say) and answers with a
// Report of the same shape.
func NewReport(checks ...Check) *Report {
	r := &Report{}
	for _, c := range checks {
		r.set(c)
	}
	r.finish()
	return r
}

// Check returns the check with the given id, or nil.
func (r *Report) Check(id CheckID) *Check {
	for i := range r.Checks {
		if r.Checks[i].ID == id {
			return &r.Checks[i]
		}
	}
	return nil
}

// Err joins the errors of the failed and indeterminate checks (nil when verified).
func (r *Report) Err() error {
	var errs []error
	for _, c := range r.Checks {
		if c.Err != nil {
			errs = append(errs, c.Err)
		}
	}
	for _, sub := range r.Credentials {
		if err := sub.Err(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// set records the outcome of a check, replacing an earlier outcome of the
// same id only when the new one is worse (failed > indeterminate > passed > skipped).
func (r *Report) set(c Check) {
	if c.Code == "" {
		c.Code = Code(c.Err)
	}
	for i := range r.Checks {
		if r.Checks[i].ID == c.ID {
			if rank(c.Status) > rank(r.Checks[i].Status) {
				r.Checks[i] = c
				delete(r.parts, c.ID)
				delete(r.omitted, c.ID)
			} else if rank(c.Status) == rank(r.Checks[i].Status) && c.Status != StatusSkipped && c.Message != "" {
				r.merge(i, c.Message)
			}
			return
		}
	}
	if r.Checks == nil {
		r.Checks = make([]Check, 0, len(checkOrder))
	}
	r.Checks = append(r.Checks, c)
}

// merge adds msg to check i's message, up to maxMessageParts parts; the
// rest are only counted, and an identical part is not repeated.
func (r *Report) merge(i int, msg string) {
	id := r.Checks[i].ID
	if r.parts == nil {
		r.parts, r.omitted = map[CheckID]int{}, map[CheckID]int{}
	}
	if r.parts[id] == 0 {
		r.parts[id] = 1
	}
	if r.parts[id] >= maxMessageParts {
		r.omitted[id]++
		return
	}
	cur := r.Checks[i].Message
	if cur == msg || strings.HasPrefix(cur, msg+"; ") || strings.HasSuffix(cur, "; "+msg) || strings.Contains(cur, "; "+msg+"; ") {
		return
	}
	r.Checks[i].Message = cur + "; " + msg
	r.parts[id]++
}

func rank(s Status) int {
	switch s {
	case StatusFailed:
		return 3
	case StatusIndeterminate:
		return 2
	case StatusPassed:
		return 1
	}
	return 0
}

// finish sorts the checks in report order and computes the overall status.
func (r *Report) finish() {
	r.Version = ReportVersion
	// In report order, in place (set keeps one check per id; an id
	// outside checkOrder is left out).
	n := 0
	for _, c := range r.Checks {
		if slices.Contains(checkOrder[:], c.ID) {
			r.Checks[n] = c
			n++
		}
	}
	clear(r.Checks[n:])
	r.Checks = r.Checks[:n]
	slices.SortFunc(r.Checks, func(a, b Check) int {
		return slices.Index(checkOrder[:], a.ID) - slices.Index(checkOrder[:], b.ID)
	})
	for i := range r.Checks {
		if n := r.omitted[r.Checks[i].ID]; n > 0 {
			r.Checks[i].Message += fmt.Sprintf("; and %d more", n)
			delete(r.omitted, r.Checks[i].ID)
		}
	}
	worst := StatusPassed
	for _, c := range r.Checks {
		if rank(c.Status) > rank(worst) {
			worst = c.Status
		}
	}
	for _, sub := range r.Credentials {
		switch sub.Status {
		case StatusFailed:
			worst = StatusFailed
		case StatusIndeterminate:
			if worst != StatusFailed {
				worst = StatusIndeterminate
			}
		}
	}
	switch worst {
	case StatusFailed:
		r.Status = StatusFailed
	case StatusIndeterminate:
		r.Status = StatusIndeterminate
	default:
		r.Status = StatusVerified
	}
	r.Verified = r.Status == StatusVerified
}

// MarshalJSON keeps Checks a list even when empty.
func (r *Report) MarshalJSON() ([]byte, error) {
	type plain Report
	p := plain(*r)
	if p.Checks == nil {
		p.Checks = []Check{}
	}
	return json.Marshal(p)
}
