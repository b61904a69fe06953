package main

import (
	"fmt"
	"io"
)

// groupsCommand plans networking rounds offline. Placeholder until the
// grouping work lands.
func groupsCommand(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "convene groups: not built yet")
	return 2
}
