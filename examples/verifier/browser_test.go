package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
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

// chromiumArgs are the flags of every headless run: no sandbox (CI runs as
// root), nothing fetched but the page, and virtual time long enough for the
// page's requests and rendering.
func chromiumArgs(t *testing.T, width, height int) []string {
	return chromiumArgsIn(t.TempDir(), width, height)
}

// chromiumArgsIn is chromiumArgs with the browser profile (cookies, local
// storage) kept in profile.
func chromiumArgsIn(profile string, width, height int) []string {
	return []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--user-data-dir=" + profile, "--virtual-time-budget=10000", fmt.Sprintf("--window-size=%d,%d", width, height)}
}

// dumpDOM loads url in headless Chromium, lets its scripts run and returns
// the resulting DOM.
func dumpDOM(t *testing.T, chromium, url string) string {
	t.Helper()
	return dumpDOMIn(t, chromium, t.TempDir(), url)
}

// dumpDOMIn is dumpDOM with the browser profile kept in profile.
func dumpDOMIn(t *testing.T, chromium, profile, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, append(chromiumArgsIn(profile, 1280, 900), "--dump-dom", url)...)
	out, err := cmd.Output()
	require.NoError(t, err, "chromium: %s", out)
	// Only what the page shows: its script holds every text it could show.
	dom, _, _ := strings.Cut(string(out), "<script>")
	return dom
}

// screenshot saves what Chromium shows of url at width×height to path.
func screenshot(t *testing.T, chromium, url, path string, width, height int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, append(chromiumArgs(t, width, height), "--screenshot="+path, url)...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "chromium: %s", out)
	info, err := os.Stat(path)
	require.NoError(t, err, "chromium wrote no screenshot: %s", out)
	png, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(png), "\x89PNG"), "%s is not a PNG", path)
	require.Greater(t, info.Size(), int64(10_000), "%s is too small to show the page", path)
}

// screenshotDir is where the browser test leaves its screenshots:
// $BADGEPROOF_SCREENSHOTS, else badgeproof-screenshots in the temporary
// directory. They are kept after the test, to look at.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("BADGEPROOF_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "badgeproof-screenshots")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}

// pageTexts are the page's Korean and English texts (page_i18n.json).
type pageTexts struct {
	Banners map[string][2]string                       `json:"banners"`
	Explain map[string]map[string]map[string][2]string `json:"explain"`
	Present map[string]map[string]map[string][2]string `json:"presentation"`
	Checks  map[string][2]string                       `json:"checks"`
	Status  map[string][2]string                       `json:"status"`
	UI      map[string][2]string                       `json:"ui"`
}

func loadPageTexts(t *testing.T) *pageTexts {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "verify", "verifyhttp", "page_i18n.json"))
	require.NoError(t, err)
	var p pageTexts
	require.NoError(t, json.Unmarshal(b, &p))
	return &p
}

// escape spells s as Chromium's DOM dump does in text.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// both asserts that dom shows a text in Korean and in English.
func both(t *testing.T, dom string, pair [2]string, what string) {
	t.Helper()
	require.NotEmpty(t, pair[0], what)
	assert.Contains(t, dom, escape(pair[0]), "%s in Korean", what)
	assert.Contains(t, dom, escape(pair[1]), "%s in English", what)
}

// checkRow returns the list item of check id within the part of dom after
// marker (the first report when marker is "").
func checkRow(t *testing.T, dom, marker, id string) string {
	t.Helper()
	if marker != "" {
		i := strings.Index(dom, marker)
		require.GreaterOrEqual(t, i, 0, "no %q in the page", marker)
		dom = dom[i:]
	}
	m := regexp.MustCompile(`<li data-check="` + id + `"[^>]*>.*?</li>`).FindString(dom)
	require.NotEmpty(t, m, "no row for check %s", id)
	return m
}

var verdictRE = regexp.MustCompile(`<div id="verdict" class="verdict s-(\w+)" data-status="(\w+)" data-banner="(\w+)">`)

// TestBrowserDemoCases opens the page in headless Chromium on the running
// demo for each demo case; ?demo=NAME makes the page fetch that sample,
// submit it to /v1/verify and render the verdict, as a click on it does.
// It asserts the banner, the explanations in Korean and English and the
// marks on the card, and saves screenshots at 1280×900 and 390×844.
func TestBrowserDemoCases(t *testing.T) {
	chromium := findChromium(t)
	base := startDemoServer(t)
	texts := loadPageTexts(t)
	shots := screenshotDir(t)
	ex := func(check, status, code string) [2]string { return texts.Explain[check][status][code] }

	cases := []struct {
		demo, status, banner string
		assert               func(t *testing.T, dom string)
	}{
		{"qualification", "verified", "verified", func(t *testing.T, dom string) {
			both(t, dom, ex("signature", "passed", ""), "signature passed")
			both(t, dom, ex("anchor", "passed", ""), "anchor passed")
			both(t, dom, ex("issuer", "passed", ""), "issuer passed")
			assert.Contains(t, dom, `data-unverified="false"`)
			assert.Contains(t, dom, "한국산업인력공단")
			assert.Contains(t, dom, "blink:ledger:")
			assert.NotContains(t, dom, escape(texts.UI["unverified"][1]))
		}},
		{"tampered", "failed", "tampered", func(t *testing.T, dom string) {
			assert.Contains(t, checkRow(t, dom, "", "signature"), `data-status="failed" data-code="bad_signature"`)
			both(t, dom, ex("signature", "failed", "bad_signature"), "signature failed")
			both(t, dom, ex("merkle", "failed", "hash_mismatch"), "merkle failed")
			// The issuer is in the trust list: nothing ties the badge to it.
			issuer := checkRow(t, dom, "", "issuer")
			assert.Contains(t, issuer, escape(ex("issuer", "failed", "untrusted_issuer+listed")[0]))
			assert.Contains(t, issuer, escape(ex("issuer", "failed", "untrusted_issuer+listed")[1]))
			assert.NotContains(t, issuer, escape(ex("issuer", "failed", "untrusted_issuer")[0]))
			// The anchor was not looked up, which is not "no record".
			anchor := checkRow(t, dom, "", "anchor")
			assert.Contains(t, anchor, escape(ex("anchor", "skipped", "not_looked_up")[0]))
			assert.Contains(t, anchor, escape(ex("anchor", "skipped", "not_looked_up")[1]))
			assert.NotContains(t, anchor, escape(ex("anchor", "skipped", "")[0]))
			// The forged name is shown as an unverified claim.
			assert.Contains(t, dom, `data-unverified="true"`)
			both(t, dom, texts.UI["unverified"], "unverified claims")
			assert.Contains(t, dom, "이민호")
		}},
		{"revoked", "failed", "revoked", func(t *testing.T, dom string) {
			assert.Contains(t, checkRow(t, dom, "", "status"), `data-status="failed" data-code="revoked"`)
			both(t, dom, ex("status", "failed", "revoked"), "revoked")
			both(t, dom, ex("signature", "passed", ""), "signature passed")
			assert.Contains(t, dom, `data-unverified="false"`)
		}},
		{"expired", "failed", "expired", func(t *testing.T, dom string) {
			assert.Contains(t, checkRow(t, dom, "", "validity"), `data-status="failed" data-code="expired"`)
			both(t, dom, ex("validity", "failed", "expired"), "expired")
			assert.Contains(t, dom, "2025-06-28")
		}},
		{"presentation", "verified", "presentation_verified", func(t *testing.T, dom string) {
			// The presentation's own rows speak of the holder, not the issuer.
			sig := checkRow(t, dom, "", "signature")
			assert.Contains(t, sig, escape(texts.Present["signature"]["passed"][""][0]))
			assert.Contains(t, sig, escape(texts.Present["signature"]["passed"][""][1]))
			assert.NotContains(t, sig, escape(ex("signature", "passed", "")[0]))
			both(t, checkRow(t, dom, "", "format"), texts.Present["format"]["passed"][""], "presentation format")
			assert.Equal(t, 2, strings.Count(dom, `data-banner="verified"`), "both badges verified")
		}},
		{"replayed", "failed", "presentation_binding", func(t *testing.T, dom string) {
			assert.Contains(t, checkRow(t, dom, "", "holder"), `data-status="failed" data-code="challenge_mismatch"`)
			both(t, dom, ex("holder", "failed", "challenge_mismatch"), "challenge mismatch")
			// Only the binding failed: the badges inside keep their verdicts.
			assert.Equal(t, 2, strings.Count(dom, `data-banner="verified"`), "both badges verified")
			assert.NotContains(t, dom, `data-banner="failed"`)
			assert.NotContains(t, dom, escape(texts.Banners["failed"][1]))
		}},
		{"presentation-forged", "failed", "presentation_signature", func(t *testing.T, dom string) {
			sig := checkRow(t, dom, "", "signature")
			assert.Contains(t, sig, `data-status="failed" data-code="bad_signature"`)
			both(t, sig, texts.Present["signature"]["failed"]["bad_signature"], "holder signature")
			// The badges inside are genuine: their issuers' signatures hold, none is called tampered.
			assert.Equal(t, 2, strings.Count(dom, `data-check="signature" data-status="passed"`), "the badges' signatures")
			assert.NotContains(t, dom, `data-banner="tampered"`)
		}},
		{"presentation-foreign", "failed", "presentation_holder", func(t *testing.T, dom string) {
			assert.Contains(t, checkRow(t, dom, "", "holder"), `data-status="failed" data-code="not_holder"`)
			both(t, dom, ex("holder", "failed", "not_holder"), "not the holder")
			both(t, checkRow(t, dom, "", "signature"), texts.Present["signature"]["passed"][""], "the stranger's own signature holds")
			// The badges are genuine, only not the presenter's.
			assert.Equal(t, 3, strings.Count(dom, `data-check="signature" data-status="passed"`), "the presentation's and the badges' signatures")
			assert.NotContains(t, dom, `data-banner="tampered"`)
		}},
		{"presentation-tampered", "failed", "presentation_badge", func(t *testing.T, dom string) {
			assert.Contains(t, checkRow(t, dom, "", "holder"), `data-status="passed"`)
			assert.Equal(t, 1, strings.Count(dom, `data-banner="verified"`), "the qualification verified")
			assert.Equal(t, 1, strings.Count(dom, `data-banner="tampered"`), "the tampered badge says tampered")
			both(t, dom, texts.Banners["tampered"], "the tampered badge's banner")
			assert.Contains(t, dom, `data-unverified="true"`, "its claims are marked unverified")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.demo, func(t *testing.T) {
			t.Parallel()
			url := base + "/?demo=" + tc.demo
			dom := dumpDOM(t, chromium, url)
			m := verdictRE.FindStringSubmatch(dom)
			require.NotNil(t, m, "%s: no verdict on the page", tc.demo)
			assert.Equal(t, tc.status, m[2])
			assert.Equal(t, tc.banner, m[3])
			// The verdict and its banner, in both languages.
			both(t, dom, texts.Status[tc.status], "verdict")
			both(t, dom, texts.Banners[tc.banner], "banner "+tc.banner)
			// Every check is listed with its name in both languages.
			for _, id := range []string{"format", "signature", "merkle", "anchor", "issuer", "status", "validity", "holder"} {
				if !strings.Contains(dom, `data-check="`+id+`"`) {
					continue // a presentation lists the checks it has
				}
				both(t, dom, texts.Checks[id], "check "+id)
			}
			assert.Contains(t, dom, `class="lang-both"`, "Korean and English side by side by default")
			// After the verification, the sample's button shows the verdict.
			assert.Regexp(t, `data-demo="`+tc.demo+`".*?<span class="result"><span class="pill s-`+tc.status+`"`, dom)
			tc.assert(t, dom)
			for _, size := range [][2]int{{1280, 900}, {390, 844}} {
				path := filepath.Join(shots, fmt.Sprintf("%s-%dx%d.png", tc.demo, size[0], size[1]))
				screenshot(t, chromium, url, path, size[0], size[1])
				t.Logf("screenshot: %s", path)
			}
		})
	}
}

// TestBrowserPageBeforeVerifying: before anything is verified, no sample
// carries a verdict pill; the language switch shows English only, and says so.
func TestBrowserPageBeforeVerifying(t *testing.T) {
	chromium := findChromium(t)
	base := startDemoServer(t)
	dom := dumpDOM(t, chromium, base+"/?lang=en")
	require.Contains(t, dom, `data-demo="qualification"`, "the samples are listed")
	assert.NotContains(t, dom, `class="pill`, "no pill before a verification")
	assert.Contains(t, dom, "Expected: Verified", "the expected verdict is said in words")
	assert.Contains(t, dom, `class="lang-en"`)
	assert.Regexp(t, `data-lang="en" lang="en" aria-pressed="true"`, dom)
	assert.Contains(t, dom, `<link rel="icon" href="/favicon.svg"`)
	shots := screenshotDir(t)
	for _, size := range [][2]int{{1280, 900}, {390, 844}} {
		path := filepath.Join(shots, fmt.Sprintf("start-en-%dx%d.png", size[0], size[1]))
		screenshot(t, chromium, base+"/?lang=en", path, size[0], size[1])
		t.Logf("screenshot: %s", path)
	}
}

// TestBrowserLanguageRemembered: the language chosen (here by ?lang=en, as
// by a click on "English") is what the page shows on the next visit.
func TestBrowserLanguageRemembered(t *testing.T) {
	chromium := findChromium(t)
	base := startDemoServer(t)
	profile := t.TempDir()
	assert.Contains(t, dumpDOMIn(t, chromium, profile, base+"/?lang=en"), `<body class="lang-en">`)
	dom := dumpDOMIn(t, chromium, profile, base+"/")
	assert.Contains(t, dom, `<body class="lang-en">`, "remembered")
	assert.Contains(t, dom, `<html lang="en">`)
	// Another browser starts with both languages side by side.
	assert.Contains(t, dumpDOM(t, chromium, base+"/"), `<body class="lang-both">`)
}
