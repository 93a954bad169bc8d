package verify

import (
	"context"
	"fmt"
)

// statusChecker reads credentialStatus entries.
type statusChecker struct{ v *Verifier }

func newStatusChecker(v *Verifier) (*statusChecker, error) { return &statusChecker{v: v}, nil }

func (s *statusChecker) check(_ context.Context, st *credState) {
	if len(st.cred.CredentialStatus) == 0 {
		st.report.set(Check{ID: CheckStatus, Status: StatusSkipped, Message: "no credentialStatus: the issuer publishes no revocation for this badge"})
		return
	}
	st.report.set(Check{ID: CheckStatus, Status: StatusIndeterminate, Err: ErrStatusUnavailable,
		Message: fmt.Sprintf("status list %s not checked", st.cred.CredentialStatus[0].StatusListCredential)})
}
