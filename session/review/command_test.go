package review

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/convene/convene/session"
)

// hubSource is the archive of one person, as the SSH commands read it.
type hubSource struct {
	a   *archive
	who session.PersonID
}

func (s hubSource) Archive() ([]*session.Meetup, error) { return s.a.hub.Archive(s.who) }
func (s hubSource) Events(id string) ([]session.Event, error) {
	return s.a.hub.Events(s.who, id)
}

func TestRun(t *testing.T) {
	a := newArchive(t)
	r := a.fullMeetup("Housing officers, November", "Officers", ana, ben, cy)
	code := session.FormatCode(r.State().Code)
	src := hubSource{a, host}
	run := func(files bool, name string, args ...string) (int, string, string) {
		var out, errs bytes.Buffer
		st := Run(name, args, src, Env{Stdout: &out, Stderr: &errs, Prog: "convene", Files: files})
		return st, out.String(), errs.String()
	}

	st, out, _ := run(false, "history")
	if st != 0 || !strings.Contains(out, code) || !strings.Contains(out, "Damp and mould in flats") || !strings.Contains(out, "4 (2 open)") {
		t.Fatalf("history = %d:\n%s", st, out)
	}
	if st, out, _ := run(false, "history", "--json", "tenants"); st != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("history --json tenants = %d %q; want an empty list", st, out)
	}
	if st, out, _ := run(false, "attendance"); st != 0 || !strings.Contains(out, "Officers") {
		t.Fatalf("attendance = %d:\n%s", st, out)
	}
	if st, out, _ := run(false, "attendance", "officers"); st != 0 || !strings.Contains(out, "4 people") {
		t.Fatalf("attendance officers = %d:\n%s", st, out)
	}

	// Flags before or after the ID; the code as typed or the ID.
	for _, args := range [][]string{{code, "--format", "md"}, {"--format=md", strings.ToLower(r.State().Code)}, {r.State().ID}} {
		if st, out, errs := run(false, "export", args...); st != 0 || !strings.HasPrefix(out, "# Housing officers, November") {
			t.Fatalf("export %q = %d %q %q", args, st, out, errs)
		}
	}
	if st, out, _ := run(false, "export", code, "--format", "csv", "--table", "actions"); st != 0 || !strings.HasPrefix(out, "id,action,owner") {
		t.Fatalf("export --table actions = %d %q", st, out)
	}

	// Mistakes get one line that says what to do, and status 1.
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "which meetup?"},
		{[]string{"NOPE99"}, "no meetup has that ID or code"},
		{[]string{code, "--format", "pdf"}, "md, json or csv"},
		{[]string{code, "--table", "actions"}, "--table goes with --format csv"},
		{[]string{code, "--format", "csv", "--table", "nope"}, "there is no table"},
		{[]string{code, "-o", "x.md"}, "over SSH, send the output to a file"},
		{[]string{code, "--bogus"}, "flag provided but not defined"},
	} {
		st, out, errs := run(false, "export", c.args...)
		if st != 1 || out != "" || !strings.Contains(errs, c.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("export %q = %d %q %q; want 1 and one line saying %q", c.args, st, out, errs, c.want)
		}
	}

	// On the machine, -o writes a file, or a folder of tables for CSV.
	dir := t.TempDir()
	if st, _, errs := run(true, "export", code, "--format", "json", "-o", filepath.Join(dir, "m.json")); st != 0 {
		t.Fatalf("export -o = %d %q", st, errs)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "m.json")); err != nil || !bytes.Contains(b, []byte(`"format": "convene-meetup/1"`)) {
		t.Fatalf("m.json = %.80q, %v", b, err)
	}
	if st, _, errs := run(true, "export", code, "--format", "csv", "-o", filepath.Join(dir, "tables")); st != 0 {
		t.Fatalf("export csv -o = %d %q", st, errs)
	}
	for _, name := range TableNames {
		if _, err := os.Stat(filepath.Join(dir, "tables", name+".csv")); err != nil {
			t.Errorf("table %s: %v", name, err)
		}
	}

	// A participant reads only the meetups they came to.
	src = hubSource{a, eve}
	if st, _, errs := run(false, "export", code); st != 1 || !strings.Contains(errs, "no meetup has that ID or code") {
		t.Fatalf("export by someone who was not there = %d %q", st, errs)
	}
}
