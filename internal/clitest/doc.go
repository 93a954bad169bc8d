// Package clitest is a test helper for the SDK's command-line tools,
// examples/issuer and examples/verifier. Tests that run the tools the way an
// operator or a script does use it to build them, run them and read their
// --json reports.
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
// The package is for tests only; nothing outside _test.go files imports it.
package clitest
