package main

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// findChromium finds headless Chromium, or skips the test (fails it when
// CI=true) with how to install it.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if p := "/usr/bin/chromium"; fileExists(p) {
		return p
	}
	msg := "headless Chromium not found: apt-get install chromium"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// dumpDOM loads url in headless Chromium, lets its scripts run and returns
// the resulting DOM.
func dumpDOM(t *testing.T, chromium, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--user-data-dir="+t.TempDir(), "--virtual-time-budget=10000", "--window-size=390,844", "--dump-dom", url)
	out, err := cmd.Output()
	require.NoError(t, err, "chromium: %s", out)
	return string(out)
}

var verdictRE = regexp.MustCompile(`<div id="verdict" class="s-(\w+)" data-status="(\w+)">([^<]*)`)

// TestBrowserVerifiesDemoBadges opens the page in headless Chromium on the
// running demo; ?demo=NAME makes the page fetch that demo badge, submit it
// to /v1/verify and render the verdict, as a click on the badge does.
func TestBrowserVerifiesDemoBadges(t *testing.T) {
	chromium := findChromium(t)
	base := startDemoServer(t)
	for _, tc := range []struct{ demo, status, label string }{
		{"qualification", "verified", "검증됨 · Verified"},
		{"tampered", "failed", "실패 · Failed"},
	} {
		dom := dumpDOM(t, chromium, base+"/?demo="+tc.demo)
		m := verdictRE.FindStringSubmatch(dom)
		require.NotNil(t, m, "%s: no verdict on the page:\n%s", tc.demo, dom)
		assert.Equal(t, tc.status, m[2], tc.demo)
		assert.Equal(t, tc.label, m[3], tc.demo)
		// Every check is listed, translated.
		assert.Regexp(t, `<tr data-check="signature" data-status="(passed|failed)"><td class="name"><span><strong>서명</strong>`, dom)
		assert.Contains(t, dom, `id="card"`, "the badge card is shown")
		assert.Contains(t, dom, "정보처리 기사", "the card names the achievement")
		if tc.status == "failed" {
			assert.Contains(t, dom, `data-check="signature" data-status="failed"`)
			assert.Contains(t, dom, "전자서명이 맞지 않습니다")
		} else {
			assert.Contains(t, dom, "한국산업인력공단")
			assert.Contains(t, dom, "blink:ledger:")
		}
	}
}
