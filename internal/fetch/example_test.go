package fetch_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/badgeproof/badgeproof/internal/fetch"
)

func ExampleFetcher_Get() {
	f, err := fetch.New(fetch.Options{})
	if err != nil {
		panic(err)
	}
	// A badge naming the cloud metadata address as its status list is
	// refused before any connection is made.
	_, err = f.Get(context.Background(), "https://169.254.169.254/latest/meta-data/", "application/json")
	fmt.Println(errors.Is(err, fetch.ErrRefused), fetch.Unavailable(err))
	// Output: true false
}
