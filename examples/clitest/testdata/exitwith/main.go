// Command exitwith is what the package's tests run: it prints its second
// argument to standard output (or, for "@pwd", its working directory) and
// its third to standard error, and exits with the code in its first.
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: exitwith CODE STDOUT STDERR")
		os.Exit(2)
	}
	code, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := os.Args[2]
	if out == "@pwd" {
		if out, err = os.Getwd(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	fmt.Print(out)
	fmt.Fprint(os.Stderr, os.Args[3])
	os.Exit(code)
}
