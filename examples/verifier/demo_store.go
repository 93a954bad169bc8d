package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/badgeproof/badgeproof/verify/verifyhttp"
)

// The demo keeps its state in a directory so that badges saved from one run
// still verify in the next: the ledger they are anchored on, HRD Korea's
// status list, and the badges themselves. Its keys need no storing: they
// follow from fixed seeds.
//
//	DIR/demo.json         what the demo was built for (demoState)
//	DIR/ledger/           the embedded ledger
//	DIR/status/           HRD Korea's status list
//	DIR/badges/NAME.json  the demo badges
//	DIR/trust-list.json   the trust list credential the ministry signed
const demoStateFile = "demo.json"

// demoStateFormat changes when a demo directory of an earlier format must
// be rebuilt.
const demoStateFormat = 1

// demoState is DIR/demo.json.
type demoState struct {
	Format int `json:"format"`
	// StatusBase is the URL the revoked badge's status list is fetched
	// from: a demo on another port must be rebuilt.
	StatusBase string                 `json:"statusBase"`
	Created    time.Time              `json:"created"`
	Badges     []verifyhttp.DemoBadge `json:"badges"`
}

// defaultDemoDir is the demo directory unless --demo-dir names one: in the
// user's cache directory (~/.cache/badgeproof/demo on Linux,
// ~/Library/Caches/badgeproof/demo on macOS, %LocalAppData%\badgeproof\demo
// on Windows).
func defaultDemoDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "badgeproof", "demo"), nil
}

// demoEntries are the names a demo directory holds; --fresh removes exactly
// these.
var demoEntries = []string{demoStateFile, "ledger", "status", "badges", "trust-list.json"}

// openDemo opens the demo kept in dir, or builds it there when dir holds
// none, holds one built for another status base, or fresh is set. It says
// on notes what it did.
func openDemo(ctx context.Context, dir, statusBase string, fresh bool, notes io.Writer) (*demo, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	st, err := readDemoState(dir)
	switch {
	case fresh:
		fmt.Fprintf(notes, "demo: starting over in %s (--fresh)\n", dir)
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(notes, "demo: building the demo in %s\n", dir)
	case err != nil:
		fmt.Fprintf(notes, "demo: %s is unreadable (%v); building the demo anew\n", filepath.Join(dir, demoStateFile), err)
	case st.Format != demoStateFormat:
		fmt.Fprintf(notes, "demo: %s is of an earlier format; building the demo anew\n", dir)
	case st.StatusBase != statusBase:
		fmt.Fprintf(notes, "demo: %s was built for %s, this server is %s; building the demo anew (badges saved from it will no longer verify)\n",
			dir, st.StatusBase, statusBase)
	default:
		d, err := loadDemo(dir, statusBase, st)
		if err != nil {
			return nil, fmt.Errorf("reopening the demo in %s: %w (start over with --fresh)", dir, err)
		}
		fmt.Fprintf(notes, "demo: reusing the demo built in %s on %s\n", dir, st.Created.Format(time.DateOnly))
		return d, nil
	}
	for _, name := range demoEntries {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return nil, err
		}
	}
	d, err := newDemo(ctx, dir, statusBase)
	if err != nil {
		return nil, err
	}
	if err := d.save(dir, statusBase); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func readDemoState(dir string) (*demoState, error) {
	b, err := os.ReadFile(filepath.Join(dir, demoStateFile))
	if err != nil {
		return nil, err
	}
	var st demoState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// save writes the badges, the trust list and, last, demo.json: a directory
// without demo.json is rebuilt.
func (d *demo) save(dir, statusBase string) error {
	if err := os.MkdirAll(filepath.Join(dir, "badges"), 0o755); err != nil {
		return err
	}
	for _, b := range d.badges {
		if err := os.WriteFile(filepath.Join(dir, "badges", b.Name+".json"), b.Data, 0o644); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "trust-list.json"), d.trustDoc, 0o644); err != nil {
		return err
	}
	st, err := json.MarshalIndent(demoState{Format: demoStateFormat, StatusBase: statusBase, Created: time.Now().UTC(), Badges: d.badges}, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, demoStateFile+".tmp")
	if err := os.WriteFile(tmp, st, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, demoStateFile))
}

// loadDemo reopens a demo saved in dir.
func loadDemo(dir, statusBase string, st *demoState) (d *demo, err error) {
	if d, err = newDemoWorld(); err != nil {
		return nil, err
	}
	if d.ledger, err = ledger.Open(filepath.Join(dir, "ledger"), ledger.WithClock(func() time.Time { return demoEpoch })); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	if d.revocation, err = newDemoRevocation(filepath.Join(dir, "status"), statusBase+demoStatusPath, d.hrd.signer); err != nil {
		return nil, err
	}
	if err := d.revocation.publish(); err != nil {
		return nil, err
	}
	for _, b := range st.Badges {
		if !validDemoName(b.Name) {
			return nil, fmt.Errorf("demo badge name %q", b.Name)
		}
		if b.Data, err = os.ReadFile(filepath.Join(dir, "badges", b.Name+".json")); err != nil {
			return nil, err
		}
		d.badges = append(d.badges, b)
	}
	return d, nil
}

func validDemoName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// demoReplayChallenge is the challenge of the replayed sample: this server
// never issued it.
const demoReplayChallenge = "a-challenge-from-another-verifier"

// presentations are the demo's presentation samples, made from its badges:
// one the holder signs on request for a fresh challenge of the server, and
// one bound to a challenge this server never issued (replayed).
func (d *demo) presentations() ([]verifyhttp.DemoBadge, error) {
	var creds []*badge.Credential
	for _, b := range d.badges {
		if b.Name != "qualification" && b.Name != "degree" {
			continue
		}
		c, err := badge.ParseCredential(b.Data, badge.Limits{})
		if err != nil {
			return nil, fmt.Errorf("demo badge %s: %w", b.Name, err)
		}
		creds = append(creds, c)
	}
	if len(creds) != 2 {
		return nil, errors.New("demo: the presentation's badges are missing")
	}
	var tampered *badge.Credential
	for _, b := range d.badges {
		if b.Name == "tampered" {
			c, err := badge.ParseCredential(b.Data, badge.Limits{})
			if err != nil {
				return nil, fmt.Errorf("demo badge %s: %w", b.Name, err)
			}
			tampered = c
		}
	}
	if tampered == nil {
		return nil, errors.New("demo: the tampered badge is missing")
	}
	// Someone other than Kim: a key made for this run, never a demo party.
	k, err := keys.Generate(keys.Ed25519)
	if err != nil {
		return nil, err
	}
	stranger, err := issuer.NewSigner(k)
	if err != nil {
		return nil, err
	}
	signAs := func(holder *issuer.Signer, creds []*badge.Credential) func(challenge, domain string) ([]byte, error) {
		return func(challenge, domain string) ([]byte, error) {
			p, err := issuer.NewPresentation(holder.DID(), creds...)
			if err != nil {
				return nil, err
			}
			return holder.SignPresentation(p, challenge, domain)
		}
	}
	sign := signAs(d.holder.signer, creds)
	return []verifyhttp.DemoBadge{
		{Name: "presentation", Title: "프레젠테이션 · Presentation", Expect: "verified", Present: sign,
			Description: "지원자 김지원이 자격증과 학위를 이 검증기의 새 챌린지에 서명해 제출 · The applicant signs two badges for a fresh challenge of this verifier"},
		{Name: "replayed", Title: "재사용된 프레젠테이션 · Replayed presentation", Expect: "failed",
			Present:     func(_, domain string) ([]byte, error) { return sign(demoReplayChallenge, domain) },
			Description: "다른 검증기의 챌린지에 서명된 것 · Signed for another verifier's challenge: the badges inside stay valid"},
		{Name: "presentation-forged", Title: "서명이 깨진 프레젠테이션 · Forged holder signature", Expect: "failed",
			Present: func(challenge, domain string) ([]byte, error) {
				b, err := sign(challenge, domain)
				if err != nil {
					return nil, err
				}
				return breakProofValue(b)
			},
			Description: "김지원의 서명 값이 바뀐 프레젠테이션 · Kim's presentation with its signature value changed"},
		{Name: "presentation-foreign", Title: "남의 배지 제출 · Someone else's badges", Expect: "failed", Present: signAs(stranger, creds),
			Description: "다른 사람이 김지원의 배지를 자기 키로 서명해 제출 · Another person signs Kim's badges with their own key"},
		{Name: "presentation-tampered", Title: "변조된 배지를 포함한 프레젠테이션 · With a tampered badge", Expect: "failed",
			Present:     signAs(d.holder.signer, []*badge.Credential{creds[0], tampered}),
			Description: "김지원이 자격증과 변조된 배지를 제출 · Kim presents the qualification and the tampered badge"},
	}, nil
}

// breakProofValue changes one character in the middle of the holder's
// proofValue, keeping it valid base58: a signature that does not verify.
func breakProofValue(vp []byte) ([]byte, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(vp, &doc); err != nil {
		return nil, err
	}
	var proof map[string]any
	if err := json.Unmarshal(doc["proof"], &proof); err != nil {
		return nil, fmt.Errorf("demo: the presentation's proof: %w", err)
	}
	v, _ := proof["proofValue"].(string)
	if len(v) < 40 {
		return nil, errors.New("demo: the presentation has no proofValue")
	}
	c := byte('A')
	if v[20] == 'A' {
		c = 'B'
	}
	proof["proofValue"] = v[:20] + string(c) + v[21:]
	b, err := json.Marshal(proof)
	if err != nil {
		return nil, err
	}
	doc["proof"] = b
	return json.Marshal(doc)
}

// demoFlags are the demo's own flags.
type demoFlags struct {
	dir   string
	fresh bool
}

func (f *demoFlags) register(fs *flag.FlagSet, def string) {
	fs.StringVar(&f.dir, "demo-dir", def, "keep the demo's ledger, status list and badges in `DIR`, so saved badges verify after a restart")
	fs.BoolVar(&f.fresh, "fresh", false, "start the demo over: rebuild its ledger, status list and badges")
}

// serveDemo runs the verifier with the embedded demo: a trust list signed
// by a demo ministry key, demo badges anchored on a ledger in the demo
// directory and a revocation list served by this same server.
func serveDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verifier", flag.ContinueOnError)
	var sf serverFlags
	sf.register(fs)
	def, defErr := defaultDemoDir()
	var df demoFlags
	df.register(fs, def)
	if code, ok := parseFlags(fs, "verifier [flags]   (the embedded demo)", args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "verifier: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if df.dir == "" {
		fmt.Fprintf(stderr, "verifier: no user cache directory (%v): name one with --demo-dir\n", defErr)
		return exitUsage
	}
	l, err := sf.listen()
	if err != nil {
		fmt.Fprintln(stderr, "verifier:", err)
		return exitUsage
	}
	var m *serverMetrics
	if sf.metrics {
		m = newServerMetrics()
	}
	d, v, err := startDemo(ctx, df.dir, l.local, df.fresh, stdout, m)
	if err != nil {
		l.ln.Close()
		fmt.Fprintln(stderr, "verifier: building the demo:", err)
		return exitUsage
	}
	defer d.Close()
	samples, err := d.presentations()
	if err != nil {
		l.ln.Close()
		fmt.Fprintln(stderr, "verifier:", err)
		return exitUsage
	}
	extra := http.NewServeMux()
	extra.Handle("GET "+demoStatusPath, d.revocation)
	extra.HandleFunc("GET /demo/trust-list.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(d.trustDoc)
	})
	fmt.Fprintf(stdout, "demo trust list signed by the ministry root key %s\n", d.ministry.did())
	// Receiving badges from a wallet (OpenID4VP): wallet.go.
	if wd, err := newWalletDemo(d, v, strings.TrimSuffix(l.public.String(), "/")); err != nil {
		fmt.Fprintln(stderr, "verifier: the wallet demo is off:", err)
	} else {
		wd.register(extra)
		fmt.Fprintf(stdout, "employer page (request badges from a wallet): %s/employer; the job seeker's wallet: %s/wallet\n", l.public, l.public)
	}
	return serveOn(ctx, l, v, &sf, m, append(append([]verifyhttp.DemoBadge(nil), d.badges...), samples...), stdout, stderr, extra)
}

// startDemo opens (or builds) the demo in dir and a Verifier that trusts
// it and may fetch its status list from base (a loopback URL). m, when
// given, counts the anchor look-ups.
func startDemo(ctx context.Context, dir, base string, fresh bool, notes io.Writer, m *serverMetrics) (*demo, *verify.Verifier, error) {
	d, err := openDemo(ctx, dir, base, fresh, notes)
	if err != nil {
		return nil, nil, err
	}
	opts := []verify.Option{verify.WithTrustList(d.trust), verify.WithAllowLoopback(), verify.WithStatusCacheTTL(10 * time.Second)}
	if m != nil {
		r, err := m.wrapAnchors(d.ledger)
		if err != nil {
			d.Close()
			return nil, nil, err
		}
		opts = append(opts, verify.WithAnchorResolver(r))
	} else {
		opts = append(opts, verify.WithAnchorResolver(d.ledger))
	}
	v, err := verify.New(opts...)
	if err != nil {
		d.Close()
		return nil, nil, err
	}
	return d, v, nil
}
