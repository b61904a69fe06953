package session

import (
	"os"
	"testing"
)

// Every command applied in these tests is checked: one that says it
// changed nothing must have left the meetup exactly as it was.
func TestMain(m *testing.M) {
	checkNoChange = true
	os.Exit(m.Run())
}
