package verify

import (
	"fmt"
	"strings"

	"github.com/badgeproof/badgeproof/badge"
)

// formatCheck reports what the credential parsed as.
func (v *Verifier) formatCheck(c *badge.Credential) Check {
	kind := "Verifiable Credential"
	switch {
	case c.IsCLR():
		kind = "CLR 2.0 ClrCredential"
	case c.IsOpenBadge():
		kind = "Open Badges 3.0 credential"
	}
	return Check{ID: CheckFormat, Status: StatusPassed, Message: fmt.Sprintf("well-formed %s (%s)", kind, strings.Join(c.Type, ", "))}
}
