// Command verifier is the reference badge verifier.
//
//	verifier                      start the HTTP verifier with the embedded demo on 127.0.0.1:8080
//	verifier serve [flags]        start the HTTP verifier
//	verifier verify [flags] FILE  verify credential or presentation files
//
// verify exits 0 when every file verified, 1 when any failed, 3 when any was
// indeterminate and none failed, 2 on usage errors or unreadable input.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes of the verify command.
const (
	exitVerified      = 0
	exitFailed        = 1
	exitUsage         = 2
	exitIndeterminate = 3
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return serveDemo(ctx, nil, stdout, stderr)
	}
	switch args[0] {
	case "verify":
		return verifyCmd(ctx, args[1:], stdout, stderr)
	case "serve":
		return serveCmd(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		fmt.Fprintln(stdout)
		return serveDemo(ctx, []string{"--help"}, stdout, stderr) // the demo's flags and the server flags
	}
	if len(args[0]) > 0 && args[0][0] == '-' {
		return serveDemo(ctx, args, stdout, stderr)
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

const usage = `usage:
  verifier [--demo-dir DIR] [--fresh] [SERVER FLAGS]
                                 run the reference verifier with the embedded demo on 127.0.0.1:8080
  verifier serve [--trust FILE] [--trust-key KEY]... [--eth-rpc NETWORK=URL]... [--ledger DIR]
                 [--eth-confirmations N] [SERVER FLAGS]
  verifier verify [--json] [--summary] [--trust FILE] [--trust-key KEY]... [--eth-rpc NETWORK=URL]...
                  [--ledger DIR] [--eth-confirmations N] [--now RFC3339] [--challenge C --domain D]
                  [--offline] [--allow-loopback] [--allow-test-anchors] FILE...

SERVER FLAGS: [--addr ADDR] [--public-url URL] [--domain D] [--cors-origin ORIGIN]...
  [--frame-ancestor ORIGIN]... [--max-body BYTES] [--max-batch N] [--max-batch-body BYTES]
  [--verify-timeout D] [--challenge-ttl D] [--max-challenges N] [--read-header-timeout D]
  [--read-timeout D] [--write-timeout D] [--idle-timeout D] [--shutdown-grace D] [--drain-delay D]
  [--metrics=false] [--log-format text|json]

"verifier COMMAND --help" lists a command's flags with their defaults.
`
