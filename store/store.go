package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Errors of a Store, for errors.Is.
var (
	// ErrNotFound: no entry under the key, or it has expired.
	ErrNotFound = errors.New("store: not found or expired")
	// ErrExists: Create found the key taken.
	ErrExists = errors.New("store: key exists")
	// ErrCompleted: Complete found the entry already completed.
	ErrCompleted = errors.New("store: already completed")
	// ErrFull: the store holds as many live entries as it may.
	ErrFull = errors.New("store: full")
)

// MaxKeyBytes and MaxValueBytes bound what a Store implementation of this
// module accepts, so that a caller's bug cannot fill memory or Redis.
const (
	MaxKeyBytes   = 256
	MaxValueBytes = 8 << 20
)

// Entry is what Load returns.
type Entry struct {
	// Value is what Create stored.
	Value []byte
	// Completed says whether Complete has succeeded; Result is what it stored.
	Completed bool
	Result    []byte
	// Expires is when the entry disappears.
	Expires time.Time
}

// Store keeps expiring, single-use entries. Implementations are safe for
// concurrent use, also across processes when they share a backend; see the
// package documentation for the contract.
type Store interface {
	// Create stores value under key for ttl, or fails with ErrExists when
	// the key is taken (ErrFull when the store is full).
	Create(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// Load returns the entry under key, or ErrNotFound.
	Load(ctx context.Context, key string) (Entry, error)
	// Complete marks the entry under key completed with result, exactly
	// once: ErrCompleted when it already was, ErrNotFound when there is none.
	Complete(ctx context.Context, key string, result []byte) error
}

// CheckArgs checks a key, value and ttl against the bounds every Store of
// this module enforces; implementations of one's own may use it too.
func CheckArgs(key string, value []byte, ttl time.Duration) error {
	switch {
	case key == "" || len(key) > MaxKeyBytes:
		return fmt.Errorf("store: key of %d bytes, want 1 to %d", len(key), MaxKeyBytes)
	case len(value) > MaxValueBytes:
		return fmt.Errorf("store: value of %d bytes, more than %d", len(value), MaxValueBytes)
	case ttl <= 0:
		return fmt.Errorf("store: ttl must be positive, got %v", ttl)
	}
	return nil
}

// DefaultMaxEntries bounds a memory store made by NewMemory with max 0.
const DefaultMaxEntries = 100_000

// Memory is a Store in this process's memory. Make it with NewMemory.
type Memory struct {
	mu      sync.Mutex
	max     int
	now     func() time.Time
	entries map[string]*Entry
}

var _ Store = (*Memory)(nil)

// NewMemory makes a memory store holding at most max live entries
// (DefaultMaxEntries when max is 0) on the clock now (time.Now when nil).
func NewMemory(max int, now func() time.Time) (*Memory, error) {
	if max < 0 {
		return nil, fmt.Errorf("store: negative maximum %d", max)
	}
	if max == 0 {
		max = DefaultMaxEntries
	}
	if now == nil {
		now = time.Now
	}
	return &Memory{max: max, now: now, entries: map[string]*Entry{}}, nil
}

// Create implements Store.
func (m *Memory) Create(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := CheckArgs(key, value, ttl); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if e, ok := m.entries[key]; ok {
		if now.Before(e.Expires) {
			return ErrExists
		}
		delete(m.entries, key)
	}
	if len(m.entries) >= m.max {
		for k, e := range m.entries {
			if !now.Before(e.Expires) {
				delete(m.entries, k)
			}
		}
		if len(m.entries) >= m.max {
			return ErrFull
		}
	}
	m.entries[key] = &Entry{Value: append([]byte(nil), value...), Expires: now.Add(ttl)}
	return nil
}

// Load implements Store.
func (m *Memory) Load(ctx context.Context, key string) (Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.live(key)
	if !ok {
		return Entry{}, ErrNotFound
	}
	out := *e
	out.Value = append([]byte(nil), e.Value...)
	out.Result = append([]byte(nil), e.Result...)
	return out, nil
}

// Complete implements Store.
func (m *Memory) Complete(ctx context.Context, key string, result []byte) error {
	if len(result) > MaxValueBytes {
		return fmt.Errorf("store: result of %d bytes, more than %d", len(result), MaxValueBytes)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.live(key)
	switch {
	case !ok:
		return ErrNotFound
	case e.Completed:
		return ErrCompleted
	}
	e.Completed, e.Result = true, append([]byte(nil), result...)
	return nil
}

func (m *Memory) live(key string) (*Entry, bool) {
	e, ok := m.entries[key]
	if !ok {
		return nil, false
	}
	if !m.now().Before(e.Expires) {
		delete(m.entries, key)
		return nil, false
	}
	return e, true
}

// Len returns how many entries are held, expired ones not yet dropped included.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}
