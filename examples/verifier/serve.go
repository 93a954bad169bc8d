package main

import (
	"context"
	"fmt"
	"io"
)

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "serve: the HTTP verifier is not part of this build")
	return exitUsage
}

func serveDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return serveCmd(ctx, args, stdout, stderr)
}
