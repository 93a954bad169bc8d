package verify

import (
	"encoding/json"
	"errors"
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

// AllChecks lists every check in report order.
var AllChecks = []CheckID{CheckFormat, CheckSignature, CheckMerkle, CheckAnchor, CheckIssuer, CheckStatus, CheckValidity, CheckHolder}

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
var (
	ErrMalformed         = errors.New("malformed credential")
	ErrNoProof           = errors.New("credential has no proof")
	ErrBadSignature      = errors.New("bad signature")
	ErrUnsupportedProof  = errors.New("unsupported proof")
	ErrKeyMismatch       = errors.New("key type does not match cryptosuite")
	ErrUnknownKey        = errors.New("verification key not found")
	ErrHashMismatch      = errors.New("target hash mismatch")
	ErrRootMismatch      = errors.New("merkle root mismatch")
	ErrAnchorUnavailable = errors.New("anchor unavailable")
	ErrAnchorMismatch    = errors.New("anchor does not match")
	ErrNotAnchored       = errors.New("not anchored")
	ErrWrongSender       = errors.New("anchor sender is not the issuer")
	ErrUntrustedIssuer   = errors.New("untrusted issuer")
	ErrNotAuthorized     = errors.New("issuer not authorized for this achievement")
	ErrKeyRetired        = errors.New("issuer key retired")
	ErrRevoked           = errors.New("revoked")
	ErrSuspended         = errors.New("suspended")
	ErrStatusUnavailable = errors.New("status list unavailable")
	ErrBadStatusList     = errors.New("status list invalid")
	ErrExpired           = errors.New("expired")
	ErrNotYetValid       = errors.New("not yet valid")
	ErrChallenge         = errors.New("presentation challenge or domain mismatch")
	ErrNotHolder         = errors.New("holder is not the subject")
	ErrFetchRefused      = errors.New("fetch refused")
)

// Check is the outcome of one step.
type Check struct {
	ID      CheckID `json:"id"`
	Status  Status  `json:"status"`
	Message string  `json:"message"`
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
	// Credentials holds one report per credential of a presentation.
	Credentials []*Report `json:"credentials,omitempty"`
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
	for i := range r.Checks {
		if r.Checks[i].ID == c.ID {
			if rank(c.Status) > rank(r.Checks[i].Status) {
				r.Checks[i] = c
			} else if rank(c.Status) == rank(r.Checks[i].Status) && c.Status != StatusSkipped && c.Message != "" {
				r.Checks[i].Message += "; " + c.Message
			}
			return
		}
	}
	r.Checks = append(r.Checks, c)
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
	ordered := make([]Check, 0, len(r.Checks))
	for _, id := range AllChecks {
		if c := r.Check(id); c != nil {
			ordered = append(ordered, *c)
		}
	}
	r.Checks = ordered
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
