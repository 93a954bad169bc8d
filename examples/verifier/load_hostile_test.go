package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

// TestLoadHostile measures genuine throughput of POST /v1/verify on the
// demo server twice, for the same time each: once clean, and once while
// the attacks of issue 11 arrive at the start of the phase: 16 RDF poison
// graphs (9 blank nodes each pointing at all others, eddsa-rdfc-2022), 16
// sets of 2,000 MerkleProof2019 proofs, 16 documents of 20,000 unknown
// proofs, 16 badges with 300 credentialStatus entries, 10,000 GET
// /v1/challenge and 64 slow 1 MiB uploads. It reports both figures and
// their ratio, and the same per CPU-second of the process (which does not
// depend on what else the machine runs); it asserts only that every
// genuine request was answered
// verified, and that every hostile request got its answer (never a 5xx).
// Run it with
//
//	BADGEPROOF_LOADTEST=1 go test -run TestLoadHostile -v ./examples/verifier
//
// LOADTEST_SECONDS (default 20) sets each phase's length and
// LOADTEST_CONCURRENCY (default 4×GOMAXPROCS) the genuine clients.
func TestLoadHostile(t *testing.T) {
	if os.Getenv("BADGEPROOF_LOADTEST") == "" {
		t.Skip("set BADGEPROOF_LOADTEST=1 to run the load test")
	}
	phase := time.Duration(envInt(t, "LOADTEST_SECONDS", 20)) * time.Second
	conc := envInt(t, "LOADTEST_CONCURRENCY", 4*runtime.GOMAXPROCS(0))
	base := startDemoServer(t)
	body := getBytes(t, base+"/v1/demo/badges/qualification")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc}, Timeout: 60 * time.Second}
	defer client.CloseIdleConnections()

	genuine := func(d time.Duration) (int64, int64) {
		var ok, errs atomic.Int64
		deadline := time.Now().Add(d)
		var wg sync.WaitGroup
		for w := 0; w < conc; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().Before(deadline) {
					if err := verifyOnce(client, base, body); err != nil {
						errs.Add(1)
						t.Logf("genuine request: %v", err)
					} else {
						ok.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		return ok.Load(), errs.Load()
	}

	// Warm up (connections, caches), then clean and attacked phases in
	// turn, so that a change in the machine's other load affects both.
	genuine(2 * time.Second)
	hostile := hostileRequests(t)
	var answered, fiveXX atomic.Int64
	codes := map[string]int{}
	var mu sync.Mutex
	hostileClient := &http.Client{Timeout: 2 * time.Minute}
	var lastHostile atomic.Int64
	var clean, under, cleanErrs, underErrs int64
	var cleanCPU, underCPU time.Duration
	rounds := envInt(t, "LOADTEST_ROUNDS", 2)
	for round := 0; round < rounds; round++ {
		c0 := processCPU()
		ok, errs := genuine(phase)
		c1 := processCPU()
		clean, cleanErrs, cleanCPU = clean+ok, cleanErrs+errs, cleanCPU+c1-c0
		ok, errs = attacked(t, base, phase, hostile, hostileClient, genuine, &answered, &fiveXX, &lastHostile, codes, &mu)
		under, underErrs, underCPU = under+ok, underErrs+errs, underCPU+processCPU()-c1
		t.Logf("round %d: clean %.0f requests/s, under attack %.0f requests/s", round+1, float64(clean)/phase.Seconds()/float64(round+1), float64(under)/phase.Seconds()/float64(round+1))
	}
	for k, n := range codes {
		t.Logf("hostile %s: %d", k, n)
	}
	secs := phase.Seconds() * float64(rounds)
	t.Logf("genuine POST /v1/verify, %d clients, %d rounds of %v clean and %v under attack on %d cores: clean %.0f requests/s, under attack %.0f requests/s (%.0f%% of clean); "+
		"%d hostile documents answered, the last %v after its burst began",
		conc, rounds, phase, phase, runtime.NumCPU(), float64(clean)/secs, float64(under)/secs, 100*float64(under)/float64(clean),
		answered.Load(), time.Duration(lastHostile.Load()).Round(time.Millisecond))
	if cleanCPU > 0 && underCPU > 0 {
		// Requests per CPU-second of this process (server and clients):
		// what a CPU-bound server would achieve, whatever else the machine
		// runs.
		perCleanCPU, perUnderCPU := float64(clean)/cleanCPU.Seconds(), float64(under)/underCPU.Seconds()
		t.Logf("genuine requests per CPU-second of the process: clean %.0f, under attack %.0f (%.0f%% of clean); CPU used: clean %v, under attack %v",
			perCleanCPU, perUnderCPU, 100*perUnderCPU/perCleanCPU, cleanCPU.Round(time.Millisecond), underCPU.Round(time.Millisecond))
	}
	require.Zero(t, cleanErrs+underErrs, "genuine requests not verified")
	require.EqualValues(t, rounds*len(hostile), answered.Load(), "hostile documents answered")
	require.Zero(t, fiveXX.Load(), "5xx answers")
}

// attacked runs one phase of genuine requests while the hostile burst
// arrives: every hostile document at once, the challenge flood and the
// slow uploads.
func attacked(t *testing.T, base string, phase time.Duration, hostile []hostileDoc, hostileClient *http.Client, genuine func(time.Duration) (int64, int64),
	answered, fiveXX, lastHostile *atomic.Int64, codes map[string]int, mu *sync.Mutex) (int64, int64) {
	var hw sync.WaitGroup
	started := time.Now()
	for _, h := range hostile {
		hw.Add(1)
		go func() {
			defer hw.Done()
			resp, err := hostileClient.Post(base+"/v1/verify", "application/json", bytes.NewReader(h.body))
			if err != nil {
				t.Errorf("%s: %v", h.name, err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			answered.Add(1)
			if resp.StatusCode >= 500 {
				fiveXX.Add(1)
			}
			var r verify.Report
			json.Unmarshal(b, &r)
			var cs []string
			for _, c := range r.Checks {
				if c.Code != "" {
					cs = append(cs, string(c.ID)+"="+c.Code)
				}
			}
			mu.Lock()
			codes[h.name+": "+strings.Join(cs, ",")]++
			mu.Unlock()
			lastHostile.Store(int64(time.Since(started)))
		}()
	}
	hw.Add(1)
	go func() { // the challenge flood
		defer hw.Done()
		for i := 0; i < 10000; i++ {
			resp, err := hostileClient.Get(base + "/v1/challenge")
			if err != nil {
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				fiveXX.Add(1)
			}
		}
	}()
	var slow []net.Conn
	addr := strings.TrimPrefix(base, "http://")
	for i := 0; i < 64; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			continue
		}
		fmt.Fprintf(c, "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{\"a\":", 1<<20)
		slow = append(slow, c)
	}
	ok, errs := genuine(phase)
	hw.Wait()
	for _, c := range slow {
		c.Close()
	}
	return ok, errs
}

type hostileDoc struct {
	name string
	body []byte
}

// hostileRequests builds the documents of issue 11's attacks.
func hostileRequests(t *testing.T) []hostileDoc {
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	did, vm := k.PublicKey().DID(), k.PublicKey().VerificationMethod()
	var subj []string
	for i := 0; i < 9; i++ {
		var links []string
		for j := 0; j < 9; j++ {
			if j != i {
				links = append(links, fmt.Sprintf(`{"id":"_:b%d"}`, j))
			}
		}
		subj = append(subj, fmt.Sprintf(`{"id":"_:b%d","knows":[%s]}`, i, strings.Join(links, ",")))
	}
	poison := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2",{"knows":"https://schema.org/knows"}],"type":["VerifiableCredential"],` +
		`"issuer":"` + did + `","validFrom":"2026-03-02T00:00:00Z","credentialSubject":[` + strings.Join(subj, ",") + `],` +
		`"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","proofPurpose":"assertionMethod","verificationMethod":"` + vm + `",` +
		`"proofValue":"z` + strings.Repeat("2", 87) + `"}}`)

	bc, err := os.ReadFile(filepath.Join("..", "..", "testdata", "vectors", "blockcerts", "v3", "mocknet-v3-valid.json"))
	require.NoError(t, err)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(bc, &m))
	proof := m["proof"]
	if bytes.HasPrefix(bytes.TrimSpace(proof), []byte("[")) {
		var ps []json.RawMessage
		require.NoError(t, json.Unmarshal(proof, &ps))
		proof = ps[0]
	}
	set := make([]json.RawMessage, 2000)
	for i := range set {
		set[i] = proof
	}
	m["proof"], _ = json.Marshal(set)
	merkleFlood, _ := json.Marshal(m)

	unknown := make([]json.RawMessage, 20000)
	for i := range unknown {
		unknown[i] = json.RawMessage(`{"type":"UnknownProof2099","proofValue":"x"}`)
	}
	u, _ := json.Marshal(unknown)
	unknownFlood := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"` + did +
		`","validFrom":"2026-03-02T00:00:00Z","credentialSubject":{"id":"did:example:s"},"proof":` + string(u) + `}`)

	var entries []string
	for i := 0; i < 300; i++ {
		entries = append(entries, fmt.Sprintf(`{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://status.invalid/%d"}`, i))
	}
	statusFlood := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"` + did +
		`","validFrom":"2026-03-02T00:00:00Z","credentialSubject":{"id":"did:example:s"},"credentialStatus":[` + strings.Join(entries, ",") + `]}`)

	var out []hostileDoc
	for i := 0; i < 16; i++ {
		out = append(out, hostileDoc{"poison graph", poison}, hostileDoc{"2,000 MerkleProof2019", merkleFlood},
			hostileDoc{"20,000 unknown proofs", unknownFlood}, hostileDoc{"300 status entries", statusFlood})
	}
	return out
}
