package canon_test

import (
	"fmt"

	"github.com/badgeproof/badgeproof/internal/canon"
)

// JCS sorts keys by UTF-16 code units and writes numbers as ECMAScript does.
func ExampleJCS() {
	out, err := canon.JCS([]byte(`{"name": "배지", "b": [1.0, 2e3], "a": true}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(string(out))
	// Output:
	// {"a":true,"b":[1,2000],"name":"배지"}
}
