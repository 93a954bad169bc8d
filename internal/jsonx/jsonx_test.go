package jsonx

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCheck(t *testing.T) {
	ok := []string{`{}`, `[]`, `{"a":[1,2.5e-3,-0,"x\u00e9\ud83d\ude00",true,false,null]}`, " {\"k\" : \"한국\"} \n", `"s"`, `0`}
	for _, in := range ok {
		require.NoError(t, Check([]byte(in), Limits{}), in)
	}
	bad := map[string]string{
		`{"a":1,"a":2}`:        "duplicate key \"a\"",
		`{"a":{"b":1,"b":1}}`:  "$.a.b",
		`{"a":"\ud800"}`:       "lone high surrogate",
		`{"a":"\udc00x"}`:      "lone low surrogate",
		`{"a":"\ud800\u0041"}`: "not followed by a low surrogate",
		"{\"a\":\"\xff\"}":     "invalid UTF-8",
		`{"a":1} {}`:           "after the JSON value",
		`{"a":01}`:             "expected ',' or '}'",
		`{"a":}`:               "unexpected character",
		`{"a":"x`:              "unterminated string",
		`[1,]`:                 "unexpected character",
		`{"a":"\x"}`:           "invalid escape",
		"{\"a\":\"\x01\"}":     "control character",
		`{"a":tru}`:            "unexpected character",
		`{"a":"\u12"}`:         "invalid \\u escape",
		strings.Repeat("[", 65) + "1" + strings.Repeat("]", 65): "nesting deeper than 64",
	}
	for in, want := range bad {
		err := Check([]byte(in), Limits{})
		require.Error(t, err, in)
		require.ErrorIs(t, err, ErrInvalid, in)
		require.Contains(t, err.Error(), want, in)
	}
	err := Check([]byte(`{"a":"0123456789"}`), Limits{MaxBytes: 10})
	require.ErrorIs(t, err, ErrTooLarge)
	require.NoError(t, Check([]byte(`[[1]]`), Limits{MaxDepth: 2}))
	require.Error(t, Check([]byte(`[[[1]]]`), Limits{MaxDepth: 2}))
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":"c"}]}`, `{"a":"\ud83d\ude00"}`, `{"a":1,"a":2}`, `[1e5,-0.1,"x"]`, "\"\xff\"",
		// The attacks of issue 11.
		`{"n":12345678901234567890}`, `{"n":12345678901234567000}`, `{"n":1e400}`, `{"n":0.1e-400}`,
		`{"issuer":{"id":"a","ID":"b"}}`, `{"@context":{"ID":"urn:a","id":"@id"}}`, `{"k":1,"\u212a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		err := Check(data, Limits{})
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("one input took %v", d)
		}
		if err == nil && !json.Valid(data) {
			t.Fatalf("accepted JSON that encoding/json rejects: %q", data)
		}
		if err != nil && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("error without a category: %v", err)
		}
	})
}

// Numbers JCS cannot sign as written (issue 11: 12345678901234567890 and
// 12345678901234567000 signed alike) and keys differing only in case
// (issuer.id and issuer.ID: Go reads one, JSON-LD the other) are refused.
func TestStrictNumbersAndKeys(t *testing.T) {
	for _, bad := range []string{
		`{"n":12345678901234567890}`,
		`{"n":12345678901234567000}`,
		`{"n":9007199254740992}`,
		`{"n":-9007199254740993}`,
		`{"n":1.0000000000000001}`,
		`{"n":1e400}`,
		`{"n":-1e309}`,
		`{"n":1e-400}`,
		`{"issuer":{"id":"did:example:a","ID":"did:example:b"}}`,
		`{"Id":1,"iD":2}`,
		`{"assertionMethod":["#a"],"AssertionMethod":["#b"]}`,
		`{"k":1,"\u212a":2}`, // KELVIN SIGN folds to k
		`[{"a":{"Type":1,"type":2}}]`,
	} {
		if err := Check([]byte(bad), Limits{}); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", bad, err)
		}
	}
	for _, good := range []string{
		`{"n":9007199254740991}`,
		`{"n":-9007199254740991}`,
		`{"n":0.1}`,
		`{"n":1.5e300}`,
		`{"n":1E3}`,
		`{"n":-0}`,
		`{"n":0.000}`,
		`{"n":0e999999999}`,
		`{"n":1.25}`,
		`{"n":123456789012.5}`,
		`{"@context":[{"Achievement":"urn:a","achievement":"urn:b"}],"id":"x"}`,
		`{"@context":{"ID":"urn:a","id":"@id"},"type":"T"}`,
		`{"id":1,"identifier":2}`,
	} {
		if err := Check([]byte(good), Limits{}); err != nil {
			t.Errorf("%s: %v", good, err)
		}
	}
}
