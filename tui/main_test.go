package tui

import (
	"flag"
	"os"
	"testing"
)

// TestMain turns on the render caches' check for the tests: every cache
// hit is drawn again and compared, so that a cache key which leaves out
// something a drawing depends on fails whichever test shows it. Not for
// benchmarks, which measure the caches.
func TestMain(m *testing.M) {
	flag.Parse()
	if b := flag.Lookup("test.bench"); b == nil || b.Value.String() == "" {
		verifyCaches = true
	}
	os.Exit(m.Run())
}
