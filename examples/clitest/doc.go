// Package clitest is a test helper for the SDK's command-line tools,
// examples/issuer and examples/verifier, and the end-to-end tests that use
// it. Tests that run the tools the way an operator or a script does use it
// to build them, run them and read their --json reports. It uses only the
// SDK's public packages, so code outside this module can test the tools,
// or its own command built on the SDK, the same way.
//
// [Build] compiles the commands once, usually from TestMain:
//
//	var issuerBin, verifierBin string
//
//	func TestMain(m *testing.M) {
//		bins, cleanup, err := clitest.Build(map[string]string{"issuer": "../issuer", "verifier": "../verifier"})
//		if err != nil {
//			fmt.Fprintln(os.Stderr, err)
//			os.Exit(1)
//		}
//		issuerBin, verifierBin = bins["issuer"], bins["verifier"]
//		code := m.Run()
//		cleanup()
//		os.Exit(code)
//	}
//
// [Run] runs one binary and returns its exit code and output as a [Result];
// a command that exits non-zero is a result, not a test failure, so the
// test decides which exit code it wants. [ParseReports] reads the JSON
// Lines a verifier prints with --json into [Report] values, which carry
// the fields the tests assert on: the file, the overall status, each check
// and each anchor.
//
// The package's own tests run the built issuer and verifier end to end:
// key generation, issuing with and without an anchor, verifying, and the
// exit codes of the command-line contract (0 verified, 1 failed, 2 usage or
// unreadable input, 3 indeterminate). They also check that no package under
// examples/ imports an internal package: what an example needs, outside
// code needs too.
//
// The package is for tests: import it from _test.go files only.
package clitest
