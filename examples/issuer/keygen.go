package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/badgeproof/badgeproof/keys"
)

// errUsage reports a usage error already printed by the flag package.
var errUsage = errors.New("usage")

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func isUsage(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func keygenCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("keygen", stderr)
	typ := fs.String("type", "ed25519", "key type: ed25519, p256, p384 or secp256k1")
	out := fs.String("out", "", "write the key to `KEYFILE` (must not exist)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return usageError{"keygen needs --out KEYFILE and no arguments"}
	}
	kt, err := keys.ParseType(*typ)
	if err != nil {
		return usageError{err.Error()}
	}
	key, err := keys.Generate(kt)
	if err != nil {
		return err
	}
	if err := keys.WriteFile(*out, key); err != nil {
		return err
	}
	fmt.Fprintln(stdout, key.PublicKey().DID())
	if addr, err := key.PublicKey().EthereumAddress(); err == nil {
		// The address to fund when this key also signs anchoring transactions (--eth-key).
		fmt.Fprintln(stderr, "ethereum address:", addr)
	}
	return nil
}
