package anchor

import (
	"errors"
	"testing"
)

func TestParseRefMocknet(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Ref
	}{
		{"blink:mocknet:This has not been issued on a blockchain:", Ref{Chain: ChainMock, Network: "This has not been issued on a blockchain"}},
		{"blink:mocknet:-1:ce4c", Ref{Chain: ChainMock, Network: "-1", ID: "ce4c"}},
	} {
		got, err := ParseRef(tc.in)
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if got != tc.want {
			t.Fatalf("%q: got %+v, want %+v", tc.in, got, tc.want)
		}
		if got.String() != tc.in {
			t.Fatalf("String() = %q, want %q", got.String(), tc.in)
		}
	}
	for _, bad := range []string{"blink:mocknet::x", "blink:mocknet:a", "blink:mocknet:a:b:c"} {
		if _, err := ParseRef(bad); !errors.Is(err, ErrInvalidRef) {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}

func TestParseRefUnchanged(t *testing.T) {
	good := []string{
		"blink:eth:sepolia:0x" + "AB" + "00000000000000000000000000000000000000000000000000000000000000",
		"blink:btc:testnet:" + "1d0005700ece4a522bcf6e3ec1dc2821c1c304332b93d6148d8cec47f21ab89a",
		"blink:ledger:abc:0",
		"blink:ledger:abc:120",
	}
	for _, s := range good {
		if _, err := ParseRef(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	bad := []string{
		"blink:eth:sepolia:0x12",
		"blink:btc:signet:" + "1d0005700ece4a522bcf6e3ec1dc2821c1c304332b93d6148d8cec47f21ab89a",
		"blink:ledger:abc:01",
		"blink:ledger:abc:",
		"blink:doge:main:1",
	}
	for _, s := range bad {
		if _, err := ParseRef(s); !errors.Is(err, ErrInvalidRef) {
			t.Errorf("%q: err = %v", s, err)
		}
	}
}

// FuzzParseRef checks that ParseRef classifies every failure as
// ErrInvalidRef and that what it accepts formats back to a URI that parses
// to the same Ref.
func FuzzParseRef(f *testing.F) {
	for _, s := range []string{
		"blink:eth:sepolia:0xAB00000000000000000000000000000000000000000000000000000000000000",
		"blink:btc:testnet:1d0005700ece4a522bcf6e3ec1dc2821c1c304332b93d6148d8cec47f21ab89a",
		"blink:ledger:abc:120",
		"blink:mocknet:This has not been issued on a blockchain:",
		"blink:ledger:abc:01",
		"blink:eth::0x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRef(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidRef) {
				t.Fatalf("ParseRef(%q): unclassified error %v", s, err)
			}
			return
		}
		again, err := ParseRef(r.String())
		if err != nil || again != r {
			t.Fatalf("ParseRef(%q) = %+v, but its String %q parses to %+v, %v", s, r, r.String(), again, err)
		}
	})
}
