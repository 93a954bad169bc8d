//go:build !linux

package gethtest

import "os/exec"

func killWithParent(cmd *exec.Cmd) {}
