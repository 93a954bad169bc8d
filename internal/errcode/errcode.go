// Package errcode maps errors to the stable snake_case codes a package
// documents for its sentinel errors, so that programs never parse messages.
package errcode

import "reflect"

// Lookup returns the code of the first error of table that err wraps,
// outermost first (as errors.Is walks the tree, single and joined
// wrappings alike), or "" when it wraps none. Errors of types that cannot
// be compared (a struct holding a slice, say) are walked, never used as
// map keys.
func Lookup(err error, table map[error]string) string {
	if err == nil {
		return ""
	}
	if reflect.TypeOf(err).Comparable() {
		if c, ok := table[err]; ok {
			return c
		}
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return Lookup(u.Unwrap(), table)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if c := Lookup(e, table); c != "" {
				return c
			}
		}
	}
	return ""
}
