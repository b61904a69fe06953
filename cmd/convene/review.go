package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"slices"
	"strings"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/review"
	"github.com/convene/convene/store"
)

// reviewCommand runs history, attendance or export on this machine's
// database. While a server holds the database (bbolt lets one process
// open it), it says exactly which SSH command to run instead.
func reviewCommand(name string, args []string, stdout, stderr io.Writer) int {
	data := envOr("CONVENE_DATA", defaultDataDir())
	addr := envOr("CONVENE_ADDR", ":2222")
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--data" || a == "-data" || a == "--addr" || a == "-addr":
			if i+1 >= len(args) {
				fmt.Fprintf(stderr, "convene %s: %s needs a value\n", name, a)
				return 1
			}
			if strings.HasSuffix(a, "data") {
				data = args[i+1]
			} else {
				addr = args[i+1]
			}
			i++
		case strings.HasPrefix(a, "--data=") || strings.HasPrefix(a, "-data="):
			data = a[strings.Index(a, "=")+1:]
		case strings.HasPrefix(a, "--addr=") || strings.HasPrefix(a, "-addr="):
			addr = a[strings.Index(a, "=")+1:]
		case a == "--help" || a == "-h" || a == "-help":
			fmt.Fprint(stdout, review.Usage("convene"))
			fmt.Fprint(stdout, reviewFlags)
			return 0
		default:
			rest = append(rest, a)
		}
	}
	db, err := store.OpenReadOnly(filepath.Join(data, "convene.db"))
	switch {
	case errors.Is(err, store.ErrLocked):
		fmt.Fprintf(stderr, "convene %s: the server running on %s holds the database, so ask it over SSH with a facilitator's key:\n  %s\n",
			name, data, sshForm(addr, name, rest))
		return 1
	case errors.Is(err, store.ErrNoDatabase):
		fmt.Fprintf(stderr, "convene %s: there is no database in %s yet (set --data or CONVENE_DATA to the server's data folder)\n", name, data)
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "convene %s: %v\n", name, err)
		return 1
	}
	defer db.Close()
	return review.Run(name, rest, localArchive{db}, review.Env{Stdout: stdout, Stderr: stderr, Prog: "convene", Files: true})
}

const reviewFlags = `
Flags of these commands:
  --data DIR    the server's data folder (env CONVENE_DATA)
  --addr ADDR   where the server listens, for the SSH command shown while it
                runs (env CONVENE_ADDR, default :2222)

They read the database while no server holds it. While "convene serve"
runs, run them over SSH with a facilitator's key instead (no -o there:
redirect the output), e.g.
  ssh -p 2222 localhost export K7P-M4Q --format md > meetup.md
`

// localArchive is the whole database, read by the person who runs convene
// on this machine: they may read every meetup, as a facilitator sees it.
type localArchive struct{ db *store.Store }

func (a localArchive) Archive() ([]*session.Meetup, error) {
	ms, err := a.db.Meetups()
	if err != nil {
		return nil, err
	}
	out := make([]*session.Meetup, len(ms))
	for i, m := range ms {
		out[i] = session.Redact(m, session.RoleFacilitator)
	}
	return out, nil
}

func (a localArchive) Events(id string) ([]session.Event, error) { return a.db.Events(id) }

// sshForm is the command that asks the running server the same thing.
// -o is left out: over SSH the output is redirected instead.
func sshForm(addr, name string, args []string) string {
	port := "2222"
	if _, p, err := net.SplitHostPort(addr); err == nil && p != "" {
		port = p
	}
	var kept []string
	out := ""
	for i := 0; i < len(args); i++ {
		if args[i] == "-o" || args[i] == "--o" {
			if i+1 < len(args) {
				out = args[i+1]
			}
			i++
			continue
		}
		if v, ok := strings.CutPrefix(args[i], "-o="); ok {
			out = v
			continue
		}
		kept = append(kept, shellQuote(args[i]))
	}
	cmd := "ssh -p " + port + " localhost " + strings.Join(slices.Insert(kept, 0, name), " ")
	if out != "" {
		if name == "export" && slices.Contains(args, "csv") && !strings.HasSuffix(out, ".csv") {
			// Over SSH every table comes in one stream (--table NAME for one).
			cmd += " > " + shellQuote(strings.TrimRight(out, "/")+".csv")
		} else {
			cmd += " > " + shellQuote(out)
		}
	}
	return cmd
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:@,+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
