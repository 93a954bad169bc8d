package main

import (
	"context"
	"fmt"
	"io"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
)

func addStatus(creds []*badge.Credential, signer *issuer.Signer, url, dir string) ([]*badge.Credential, error) {
	return nil, fmt.Errorf("status lists are not available in this build")
}

func revokeCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	return fmt.Errorf("revoke is not available in this build")
}

func presentCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	return fmt.Errorf("present is not available in this build")
}
