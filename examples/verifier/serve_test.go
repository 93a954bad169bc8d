package main

import (
	"runtime/debug"
	"testing"
)

// The server raises the GC target and sets a soft memory limit, except
// where the environment sets them; serving applies them to the process.
func TestServerGCSettings(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	for _, c := range []struct {
		vars    map[string]string
		percent int
		limit   int64
	}{
		{nil, serverGCPercent, serverMemoryLimit},
		{map[string]string{"GOGC": "100"}, -1, serverMemoryLimit},
		{map[string]string{"GOMEMLIMIT": "1GiB"}, serverGCPercent, -1},
		{map[string]string{"GOGC": "off", "GOMEMLIMIT": "1GiB"}, -1, -1},
	} {
		p, l := gcSettings(env(c.vars))
		if p != c.percent || l != c.limit {
			t.Errorf("%v: GC %d, limit %d; want %d, %d", c.vars, p, l, c.percent, c.limit)
		}
	}

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	oldPercent := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(oldPercent); debug.SetMemoryLimit(oldLimit) })
	tuneGC()
	if p := debug.SetGCPercent(serverGCPercent); p != serverGCPercent {
		t.Errorf("GC target %d after tuneGC, want %d", p, serverGCPercent)
	}
	if l := debug.SetMemoryLimit(-1); l != serverMemoryLimit {
		t.Errorf("memory limit %d after tuneGC, want %d", l, serverMemoryLimit)
	}
}
