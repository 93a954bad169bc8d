package clitest

import (
	"regexp"
	"slices"
	"strings"
)

// ReadmeFlags returns, per subcommand of tool ("verifier", "issuer"), the
// flags the README's code blocks (fenced or indented) use with it, so a
// test can check each one against the command's --help. commands are the
// tool's subcommands; a line naming none counts under "" (the tool's own
// flags). Synopsis lines that continue a command on the next line ("[...")
// and shell lines continued with "\" count under their command.
func ReadmeFlags(readme, tool string, commands []string) map[string][]string {
	var code []string
	inFence := false
	for _, line := range strings.Split(readme, "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			inFence = !inFence
			continue
		case inFence, strings.HasPrefix(line, "    "):
			if n := len(code); n > 0 && strings.HasSuffix(code[n-1], "\\") {
				code[n-1] = strings.TrimSuffix(code[n-1], "\\") + " " + strings.TrimSpace(line)
				continue
			}
			code = append(code, strings.TrimSpace(line))
		}
	}
	// Longer names first, so that issue-jwt is not read as issue.
	names := append([]string(nil), commands...)
	for i := range names {
		names[i] = regexp.QuoteMeta(names[i])
	}
	slices.SortFunc(names, func(a, b string) int { return len(b) - len(a) })
	cmdRE := regexp.MustCompile(`^\s+(?:(` + strings.Join(names, "|") + `)\b)?`)
	flagRE := regexp.MustCompile(`(?:^|[\s\[(|])--([a-z][a-z0-9-]*)`)
	out := map[string][]string{}
	prev := ""
	for _, line := range code {
		var cmd string
		switch {
		case strings.HasPrefix(line, tool+" ") || line == tool || strings.Contains(line, "go run ./examples/"+tool):
			if m := cmdRE.FindStringSubmatch(line[strings.Index(line, tool)+len(tool):]); m != nil {
				cmd = m[1]
			}
			prev = cmd
		case strings.HasPrefix(line, "[") && prev != "" && !strings.Contains(line, "go run"):
			cmd = prev // a continuation line of a synopsis
		default:
			prev = ""
			continue
		}
		if strings.Contains(line, "go run ./examples/") && !strings.Contains(line, "go run ./examples/"+tool) {
			continue
		}
		for _, m := range flagRE.FindAllStringSubmatch(line, -1) {
			out[cmd] = append(out[cmd], m[1])
		}
	}
	return out
}
