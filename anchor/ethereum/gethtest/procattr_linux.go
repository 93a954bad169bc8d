package gethtest

import (
	"os/exec"
	"syscall"
)

// killWithParent makes the kernel kill geth if the test binary dies
// without running its cleanups (a panic, a test timeout).
func killWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
