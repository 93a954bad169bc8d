package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/badgeproof/badgeproof/store/redisstore"
	"github.com/badgeproof/badgeproof/verify/verifyhttp"
	"github.com/redis/go-redis/v9"
)

// fleetFlags let several verifier instances behind a load balancer share
// the challenges of GET /v1/challenge through Redis.
type fleetFlags struct {
	redis   string
	keyFile string
}

func (f *fleetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.redis, "redis", "", "share challenges with other instances through the Redis server at `ADDR` (host:port); needs --challenge-key-file")
	fs.StringVar(&f.keyFile, "challenge-key-file", "", "`FILE` holding the secret (32 bytes or more) every instance of the fleet authenticates challenges with")
}

// options are the verifyhttp options for the fleet, none without --redis.
// The Redis client lives as long as the process.
func (f *fleetFlags) options() ([]verifyhttp.Option, error) {
	if f.redis == "" {
		if f.keyFile != "" {
			return nil, errors.New("--challenge-key-file is for a fleet: give --redis too")
		}
		return nil, nil
	}
	if f.keyFile == "" {
		return nil, errors.New("--redis needs --challenge-key-file: every instance must share the challenge key")
	}
	key, err := os.ReadFile(f.keyFile)
	if err != nil {
		return nil, err
	}
	if len(key) < verifyhttp.MinChallengeKeyBytes {
		return nil, fmt.Errorf("--challenge-key-file %s holds %d bytes, want at least %d", f.keyFile, len(key), verifyhttp.MinChallengeKeyBytes)
	}
	rdb := redis.NewClient(&redis.Options{Addr: f.redis, DialTimeout: 3 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("--redis %s: %w", f.redis, err)
	}
	st, err := redisstore.New(rdb, redisstore.WithPrefix("badgeproof:verifier:"))
	if err != nil {
		return nil, err
	}
	return []verifyhttp.Option{verifyhttp.WithChallengeStore(st, key)}, nil
}
