package tui

import (
	"os"
	"testing"
)

// TestMain turns on the render caches' check: every cache hit is drawn
// again and compared, so that a cache key which leaves out something a
// drawing depends on fails whichever test shows it.
func TestMain(m *testing.M) {
	verifyCaches = true
	os.Exit(m.Run())
}
