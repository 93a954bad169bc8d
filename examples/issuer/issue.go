package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// input is one unsigned credential read from a file.
type input struct {
	name string // output file name when the credential has no id
	src  string // where it was read: FILE, or FILE:LINE in JSON Lines
	data []byte
}

// readSigner reads the key file at path and returns a signer for its key.
func readSigner(path string) (*issuer.Signer, error) {
	key, err := keys.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return issuer.NewSigner(key)
}

func issueCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("issue", stderr)
	keyFile := fs.String("key", "", "the issuer's signing `KEYFILE`")
	anchorSpec := fs.String("anchor", "", "none, ledger:DIR or eth:URL")
	ethKey := fs.String("eth-key", "", "a funded secp256k1 `KEYFILE` that signs the anchoring transaction (default: the node's first account)")
	statusURL := fs.String("status-url", "", "`URL` where the status list credential will be published")
	statusDir := fs.String("status-dir", "", "`DIR` keeping the status list")
	outDir := fs.String("out", "", "write one badge file per input to `DIR`")
	anchorTimeout := fs.Duration("anchor-timeout", 10*time.Minute, "give up anchoring after `DURATION` (a transaction that is never mined, an unreachable node)")
	issuerName := fs.String("issuer-name", "", "the issuer's display `NAME` in English, put in each badge that names none")
	issuerNameKo := fs.String("issuer-name-ko", "", "the issuer's display `NAME` in Korean (shown first)")
	force := fs.Bool("force", false, "write into a non-empty --out, replacing badge files of the same name")
	skipExisting := fs.Bool("skip-existing", false, "write into a non-empty --out, leaving out every input whose badge file is already there")
	var sf streamFlags
	fs.IntVar(&sf.batchSize, "batch-size", 0, "anchor every `N` badges as one batch (default: one tree for the whole run); streams the run")
	fs.StringVar(&sf.outFormat, "out-format", "", "files (one per badge), sharded (one per badge in DIR/xx/yy/) or jsonl (one JSON Lines file per batch); streams the run")
	fs.StringVar(&sf.state, "state", "", "keep the run's journal and spool in `DIR` (default OUT/.issue-state), to resume it after a crash by running the same command; streams the run")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	switch {
	case *keyFile == "" || *outDir == "" || *anchorSpec == "":
		return usageError{"issue needs --key, --anchor and --out"}
	case fs.NArg() == 0:
		return usageError{"issue needs at least one INPUT file"}
	case (*statusURL == "") != (*statusDir == ""):
		return usageError{"--status-url and --status-dir go together"}
	case *force && *skipExisting:
		return usageError{"--force and --skip-existing exclude each other"}
	}
	anchorPlan, err := parseAnchor(*anchorSpec, *ethKey)
	if err != nil {
		return usageError{err.Error()}
	}
	signer, err := readSigner(*keyFile)
	if err != nil {
		return err
	}
	name := badge.NewText(*issuerNameKo, *issuerName)
	if *issuerNameKo == "" {
		name = badge.NewText(*issuerName, "")
	}
	if sf.wanted() {
		switch {
		case *statusURL != "":
			return usageError{"--status-url is not yet available with --batch-size, --out-format or --state"}
		case *skipExisting:
			return usageError{"a streamed run resumes from its journal: --skip-existing does not apply"}
		}
		if !sf.resuming(*outDir) {
			if err := checkOutDir(*outDir, *force); err != nil {
				return err
			}
		}
		return streamIssue(ctx, sf, signer, anchorPlan, name, *outDir, fs.Args(), stdout, stderr)
	}
	inputs, err := readInputs(fs.Args())
	if err != nil {
		return err
	}
	if err := checkOutDir(*outDir, *force || *skipExisting); err != nil {
		return err
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return err
	}
	creds := make([]*badge.Credential, len(inputs))
	for i, in := range inputs {
		if creds[i], err = prepare(in, signer.DID(), name); err != nil {
			return err
		}
	}
	names, err := outputNames(inputs, creds)
	if err != nil {
		return err
	}
	if *skipExisting {
		var keptIn []input
		var kept []*badge.Credential
		var keptNames []string
		for i := range creds {
			if _, err := os.Stat(filepath.Join(*outDir, names[i])); err == nil {
				fmt.Fprintf(stderr, "%s: %s exists, skipped\n", inputs[i].src, names[i])
				continue
			}
			keptIn, kept, keptNames = append(keptIn, inputs[i]), append(kept, creds[i]), append(keptNames, names[i])
		}
		inputs, creds, names = keptIn, kept, keptNames
		if len(creds) == 0 {
			fmt.Fprintf(stdout, "issued 0 badges: every one is already in %s\n", *outDir)
			return nil
		}
	}
	if *statusURL != "" {
		if creds, err = addStatus(creds, signer, *statusURL, *statusDir); err != nil {
			return err
		}
	}
	bar := newProgress(len(creds), "signing", stderr)
	signed := make([][]byte, len(creds))
	for i, c := range creds {
		if signed[i], err = signer.SignCredential(c); err != nil {
			return fmt.Errorf("%s: %w", inputs[i].src, err)
		}
		bar.Add(1)
	}
	bar.Finish()
	actx, cancel := context.WithTimeout(ctx, *anchorTimeout)
	defer cancel()
	if signed, err = anchorPlan.apply(actx, signer, signed, stderr); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("anchoring did not finish within %s (--anchor-timeout); nothing was written: %w", *anchorTimeout, err)
		}
		return err
	}
	for i, b := range signed {
		if err := os.WriteFile(filepath.Join(*outDir, names[i]), b, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "issued %d badge(s) to %s%s\n", len(signed), *outDir, anchorPlan.summary())
	return nil
}

// readInputs reads JSON files (one credential each) and JSON Lines files
// (one credential per line).
func readInputs(paths []string) ([]input, error) {
	var out []input
	seen := map[string]bool{}
	// add gives each badge its own output file: inputs from different
	// directories may share a base name.
	add := func(name, src string, data []byte) {
		base := strings.TrimSuffix(name, ".json")
		for i := 2; seen[name]; i++ {
			name = fmt.Sprintf("%s-%d.json", base, i)
		}
		seen[name] = true
		out = append(out, input{name: name, src: src, data: data})
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		base := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
		trimmed := bytes.TrimSpace(data)
		if strings.HasSuffix(p, ".jsonl") || (len(trimmed) > 0 && isJSONLines(trimmed)) {
			sc := bufio.NewScanner(bytes.NewReader(data))
			sc.Buffer(make([]byte, 1<<20), badge.DefaultMaxBytes+1)
			line := 0
			for sc.Scan() {
				line++
				if len(bytes.TrimSpace(sc.Bytes())) == 0 {
					continue
				}
				add(fmt.Sprintf("%s-%06d.json", base, line), fmt.Sprintf("%s:%d", p, line), append([]byte(nil), sc.Bytes()...))
			}
			if err := sc.Err(); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", p, line+1, err)
			}
			continue
		}
		add(base+".json", p, data)
	}
	return out, nil
}

// isJSONLines reports whether data holds more than one JSON value, one per line.
func isJSONLines(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	var v json.RawMessage
	n := 0
	for dec.More() {
		if dec.Decode(&v) != nil {
			return false
		}
		n++
	}
	return n > 1
}

// prepare fills issuer with the signer's DID where absent, and its name
// where the badge gives none and name is not zero, and parses the
// credential strictly.
func prepare(in input, did string, name badge.Text) (*badge.Credential, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(in.data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", in.src, err)
	}
	data := in.data
	changed, added := false, false
	if _, ok := m["issuer"]; !ok {
		profile := map[string]any{"id": did, "type": []string{"Profile"}}
		if !name.IsZero() {
			profile["name"] = name
		}
		m["issuer"], _ = json.Marshal(profile)
		changed, added = true, true
	} else if !name.IsZero() {
		var profile map[string]json.RawMessage
		if json.Unmarshal(m["issuer"], &profile) == nil && profile != nil {
			if _, named := profile["name"]; !named {
				profile["name"], _ = json.Marshal(name)
				m["issuer"], _ = json.Marshal(profile)
				changed = true
			}
		}
	}
	if changed {
		var err error
		if data, err = withIssuer(in.data, m, added); err != nil {
			return nil, err
		}
	}
	c, err := badge.ParseCredential(data, badge.Limits{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.src, err)
	}
	if c.Issuer.ID != did {
		return nil, fmt.Errorf("%s: issuer is %s, but the key is %s's", in.src, c.Issuer.ID, did)
	}
	return c, nil
}

// withIssuer returns data, a JSON object whose members are m, with the
// issuer member m now holds. An issuer added to data is put first without
// rewriting the other members; a replaced one rewrites the document.
func withIssuer(data []byte, m map[string]json.RawMessage, added bool) ([]byte, error) {
	body := bytes.TrimSpace(data)
	if !added || len(m) == 1 || len(body) < 2 || body[0] != '{' {
		// Rewrite the whole document: the issuer member is replaced, or it
		// is the only one.
		return issuer.MarshalDocument(m)
	}
	out := make([]byte, 0, len(body)+len(m["issuer"])+16)
	out = append(out, `{"issuer":`...)
	out = append(out, m["issuer"]...)
	out = append(out, ',')
	return append(out, body[1:]...), nil
}

// checkOutDir refuses an --out directory that holds files, unless told
// what to do with them (--force or --skip-existing).
func checkOutDir(dir string, told bool) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) || err == nil && len(entries) == 0 || told {
		return nil
	}
	if err != nil {
		return err
	}
	return usageError{fmt.Sprintf("--out %s is not empty (%d entries): pass --skip-existing to issue only the badges not yet there, or --force to replace them", dir, len(entries))}
}

// outputNames names each badge file after the badge's id
// (urn:uuid:5b0e... becomes 5b0e....json), or after its input when it has
// none. Two badges with one id are an error.
func outputNames(inputs []input, creds []*badge.Credential) ([]string, error) {
	names := make([]string, len(creds))
	byName := map[string]string{}
	for i, c := range creds {
		names[i] = inputs[i].name
		if c.ID != "" {
			names[i] = issuer.FileName(issuer.Issued{ID: c.ID})
		}
		if prev, dup := byName[names[i]]; dup {
			if c.ID != "" {
				return nil, fmt.Errorf("%s: badge id %s is also the id of %s", inputs[i].src, c.ID, prev)
			}
			return nil, fmt.Errorf("%s: its badge file %s would also be %s's", inputs[i].src, names[i], prev)
		}
		byName[names[i]] = inputs[i].src
	}
	return names, nil
}
