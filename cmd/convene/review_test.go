package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/convene/convene/session"
	"github.com/convene/convene/store"
)

// pastMeetup writes one ended meetup into a database in dir and returns
// its code.
func pastMeetup(t *testing.T, dir string) string {
	t.Helper()
	db, err := store.Open(filepath.Join(dir, "convene.db"))
	if err != nil {
		t.Fatal(err)
	}
	const fac session.PersonID = "SHA256:fac"
	hub, err := session.NewHub(session.HubConfig{Store: db, Facilitator: func(id session.PersonID) bool { return id == fac }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r, err := hub.CreateInSeries(ctx, fac, "Housing officers", "", "Officers")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := r.Enter(ctx, fac, "Hana")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Do(ctx, fac, session.End{}); err != nil {
		t.Fatal(err)
	}
	sub.Close()
	hub.Close()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return r.State().Code
}

func TestReviewCommands(t *testing.T) {
	dir := t.TempDir()
	code := pastMeetup(t, dir)
	run := func(args ...string) (int, string, string) {
		var out, errs bytes.Buffer
		st := run(args, &out, &errs)
		return st, out.String(), errs.String()
	}

	if st, out, errs := run("history", "--data", dir); st != 0 || !strings.Contains(out, "Housing officers") {
		t.Fatalf("history = %d %q %q", st, out, errs)
	}
	if st, out, errs := run("export", code, "--data="+dir, "--format", "md"); st != 0 || !strings.HasPrefix(out, "# Housing officers") {
		t.Fatalf("export = %d %q %q", st, out, errs)
	}
	dest := filepath.Join(t.TempDir(), "tables")
	if st, _, errs := run("export", code, "--data", dir, "--format", "csv", "-o", dest); st != 0 {
		t.Fatalf("export csv -o = %d %q", st, errs)
	}
	if _, err := os.Stat(filepath.Join(dest, "actions.csv")); err != nil {
		t.Fatal(err)
	}
	if st, _, errs := run("history", "--data", t.TempDir()); st != 1 || !strings.Contains(errs, "no database") {
		t.Fatalf("history of an empty folder = %d %q", st, errs)
	}

	// While a server holds the database: a clear refusal with the exact
	// command to run instead, and nothing on standard output.
	held, err := store.Open(filepath.Join(dir, "convene.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	st, out, errs := run("export", code, "--format", "md", "-o", "out.md", "--data", dir, "--addr", "127.0.0.1:2304")
	want := "ssh -p 2304 localhost export " + code + " --format md > out.md"
	if st != 1 || out != "" || !strings.Contains(errs, "holds the database") || !strings.Contains(errs, want) {
		t.Fatalf("export while held = %d %q %q; want 1 and %q", st, out, errs, want)
	}
	if _, err := os.Stat("out.md"); err == nil {
		t.Fatalf("a file was written while the database was held")
	}
}
