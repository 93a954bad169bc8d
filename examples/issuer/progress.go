package main

import (
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressThreshold: smaller batches finish before a bar would help.
const progressThreshold = 1000

// progress is a bar on a terminal for large batches, else nothing.
type progress interface {
	Add(int) error
	Finish() error
}

type noProgress struct{}

func (noProgress) Add(int) error { return nil }
func (noProgress) Finish() error { return nil }

func newProgress(n int, what string, w io.Writer) progress {
	f, ok := w.(*os.File)
	if n < progressThreshold || !ok || !term.IsTerminal(int(f.Fd())) {
		return noProgress{}
	}
	return progressbar.NewOptions(n, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(100_000_000), progressbar.OptionClearOnFinish())
}
