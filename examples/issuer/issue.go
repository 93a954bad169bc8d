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
	name string // output file name
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
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	switch {
	case *keyFile == "" || *outDir == "" || *anchorSpec == "":
		return usageError{"issue needs --key, --anchor and --out"}
	case fs.NArg() == 0:
		return usageError{"issue needs at least one INPUT file"}
	case (*statusURL == "") != (*statusDir == ""):
		return usageError{"--status-url and --status-dir go together"}
	}
	anchorPlan, err := parseAnchor(*anchorSpec, *ethKey)
	if err != nil {
		return usageError{err.Error()}
	}
	signer, err := readSigner(*keyFile)
	if err != nil {
		return err
	}
	inputs, err := readInputs(fs.Args())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return err
	}
	creds := make([]*badge.Credential, len(inputs))
	for i, in := range inputs {
		if creds[i], err = prepare(in, signer.DID()); err != nil {
			return err
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
			return fmt.Errorf("%s: %w", inputs[i].name, err)
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
		if err := os.WriteFile(filepath.Join(*outDir, inputs[i].name), b, 0o644); err != nil {
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
	add := func(name string, data []byte) {
		base := strings.TrimSuffix(name, ".json")
		for i := 2; seen[name]; i++ {
			name = fmt.Sprintf("%s-%d.json", base, i)
		}
		seen[name] = true
		out = append(out, input{name: name, data: data})
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
				add(fmt.Sprintf("%s-%06d.json", base, line), append([]byte(nil), sc.Bytes()...))
			}
			if err := sc.Err(); err != nil {
				return nil, fmt.Errorf("%s line %d: %w", p, line+1, err)
			}
			continue
		}
		add(base+".json", data)
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

// prepare fills issuer with the signer's DID where absent and parses the
// credential strictly.
func prepare(in input, did string) (*badge.Credential, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(in.data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", in.name, err)
	}
	data := in.data
	if _, ok := m["issuer"]; !ok {
		m["issuer"], _ = json.Marshal(map[string]any{"id": did, "type": []string{"Profile"}})
		var err error
		if data, err = issuer.MarshalDocument(m); err != nil {
			return nil, err
		}
	}
	c, err := badge.ParseCredential(data, badge.Limits{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.name, err)
	}
	if c.Issuer.ID != did {
		return nil, fmt.Errorf("%s: issuer is %s, but the key is %s's", in.name, c.Issuer.ID, did)
	}
	return c, nil
}
