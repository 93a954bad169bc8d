// Package apicheck holds the tests that guard the SDK's public API as a
// whole: exported declarations name no internal type, and no exported
// variable other than a sentinel error exists for a caller to change.
package apicheck
