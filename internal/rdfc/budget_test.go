package rdfc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/internal/budget"
	"github.com/piprate/json-gold/ld"
)

// poisonGraph is the attack of issue 11: k blank nodes that each point at
// all the others, so RDFC-1.0's Hash N-Degree Quads tries every
// permutation at every level of its recursion.
func poisonGraph(k int) []byte {
	nodes := make([]map[string]any, k)
	for i := range nodes {
		var links []map[string]any
		for j := 0; j < k; j++ {
			if j != i {
				links = append(links, map[string]any{"@id": fmt.Sprintf("_:b%d", j)})
			}
		}
		nodes[i] = map[string]any{"@id": fmt.Sprintf("_:b%d", i), "p": links}
	}
	b, _ := json.Marshal(map[string]any{"@context": map[string]any{"@vocab": "urn:x:"}, "@graph": nodes})
	return b
}

// TestPoisonGraphStopsOnBudget: at K=9 the unbudgeted algorithm runs for
// about ten minutes; with the default budget it stops with ErrExhausted
// after at most the budget's work.
func TestPoisonGraphStopsOnBudget(t *testing.T) {
	for _, k := range []int{8, 9, 12} {
		b := budget.New(DefaultMaxWork)
		_, err := Options{Budget: b}.CanonicalizeContext(context.Background(), poisonGraph(k))
		if !errors.Is(err, budget.ErrExhausted) {
			t.Fatalf("K=%d: err %v, want budget.ErrExhausted", k, err)
		}
		// The step that overran pays at most a few hundred units more.
		if b.Spent() > DefaultMaxWork+1000 {
			t.Errorf("K=%d: spent %d units of a %d budget", k, b.Spent(), DefaultMaxWork)
		}
	}
}

// TestPoisonGraphStopsOnCancel: an unlimited budget still stops when the
// context ends.
func TestPoisonGraphStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Options{Budget: budget.New(0)}.CanonicalizeContext(ctx, poisonGraph(9))
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("canonicalization went on long after its context was canceled")
	}
}

// TestMatchesJSONGold cross-checks the budgeted RDFC-1.0 against
// json-gold's unbudgeted one on small random graphs with shared first-degree
// hashes (rings, stars, symmetric pairs), where Hash N-Degree Quads decides
// the labels.
func TestMatchesJSONGold(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for n := 0; n < 300; n++ {
		k := 2 + rng.Intn(5)
		nodes := make([]map[string]any, k)
		for i := range nodes {
			node := map[string]any{"@id": fmt.Sprintf("_:n%d", i)}
			for _, p := range []string{"p", "q"} {
				var links []any
				for j := 0; j < k; j++ {
					if rng.Intn(3) == 0 {
						links = append(links, map[string]any{"@id": fmt.Sprintf("_:n%d", j)})
					}
				}
				if len(links) > 0 {
					node[p] = links
				}
			}
			if rng.Intn(4) == 0 {
				node["v"] = "x\t\"y\"\n"
			}
			nodes[i] = node
		}
		doc := map[string]any{"@context": map[string]any{"@vocab": "urn:x:"}, "@graph": nodes}
		if rng.Intn(3) == 0 {
			doc = map[string]any{"@context": map[string]any{"@vocab": "urn:x:"}, "@id": "_:g", "@graph": nodes}
		}
		raw, _ := json.Marshal(doc)
		got, err := Options{Budget: budget.New(0)}.Canonicalize(raw)
		if err != nil {
			t.Fatalf("graph %d: %v\n%s", n, err, raw)
		}
		want := jsonGold(t, raw)
		if !bytes.Equal(got, want) {
			t.Fatalf("graph %d differs from json-gold:\n%s\n got:\n%s\nwant:\n%s", n, raw, got, want)
		}
	}
}

func jsonGold(t *testing.T, raw []byte) []byte {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	o := ld.NewJsonLdOptions("")
	o.Algorithm = ld.AlgorithmURDNA2015
	o.Format = "application/n-quads"
	out, err := ld.NewJsonLdProcessor().Normalize(v, o)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(out.(string))
}
