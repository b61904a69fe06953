// Command convene runs live meetups and solution circles over SSH.
//
//	convene serve              start the server (see --help)
//	convene groups ...         plan networking rounds offline
//	convene tally ...          count paper ballots offline
//	convene history|attendance|export ...   review past meetups
//	convene version            print the version
package main

import (
	"fmt"
	"io"
	"os"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `convene runs live meetups and solution circles over SSH.

Usage:
  convene serve [flags]      start the server; participants join with ssh
  convene groups [flags]     plan networking groups offline
  convene tally [flags] FILE count paper or form ballots offline
  convene history [--json]   list past meetups
  convene attendance [SERIES]
                             who came to which meetup of a series
  convene export ID --format md|json|csv [-o PATH]
                             a meetup as a write-up, JSON or CSV tables
  convene version            print the version

Run "convene <command> --help" for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return serveCommand(args[1:], stdout, stderr)
	case "groups":
		return groupsCommand(args[1:], stdout, stderr)
	case "tally":
		return tallyCommand(args[1:], stdout, stderr)
	case "history", "attendance", "export":
		return reviewCommand(args[0], args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "convene", version)
		return 0
	case "help", "--help", "-h", "-help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "convene: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}
