// Package clitest runs the reference command-line tools, examples/issuer
// and examples/verifier, as built binaries, the way an operator or a
// script uses them: key generation, issuing with and without an anchor,
// verifying, and the exit codes of the command-line contract (0 verified,
// 1 failed, 2 usage or unreadable input, 3 indeterminate). It has tests
// only.
package clitest
