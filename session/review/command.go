package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/convene/convene/session"
)

// The review commands (history, attendance, export) are one
// implementation for two ways in: `convene history` on the machine, which
// reads the database while no server holds it, and
// `ssh -p 2222 host history`, which the running server answers for
// facilitators' keys.

// Source is the archive one reader may read.
type Source interface {
	// Archive returns the meetups the reader may see, as they may see
	// them (session.Hub.Archive).
	Archive() ([]*session.Meetup, error)
	// Events returns the log of one of them.
	Events(id string) ([]session.Event, error)
}

// Env is how a command talks to the person who ran it.
type Env struct {
	Stdout, Stderr io.Writer
	// Prog is how they run the commands, for the lines that show how:
	// "convene" or "ssh -p 2222 host".
	Prog string
	// Files allows -o PATH. Over SSH the output goes to standard output
	// only: the server's disk is not the reader's.
	Files bool
}

// IsCommand reports whether name is a review command.
func IsCommand(name string) bool {
	return name == "history" || name == "attendance" || name == "export"
}

// Usage says how to run the review commands.
func Usage(prog string) string {
	return fmt.Sprintf(`Review past meetups:
  %[1]s history [--json] [WORDS...]             list meetups (WORDS filter them)
  %[1]s attendance [--json] [SERIES]            who came to which meetup of a series
  %[1]s export ID --format md|json|csv [--table NAME] [-o PATH]
                                                 a meetup as a write-up, complete JSON or CSV tables
ID is a meetup's ID or its join code.
`, prog)
}

// Run runs one review command and returns its exit status: 0, or 1 with
// one line on Stderr saying what went wrong.
func Run(name string, args []string, src Source, env Env) int {
	err := run(name, args, src, env)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(env.Stdout, Usage(env.Prog))
		return 0
	}
	fmt.Fprintf(env.Stderr, "convene %s: %v\n", name, err)
	return 1
}

// parse reads flags anywhere among the arguments ("export ID --format md"
// as well as "export --format md ID").
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func run(name string, args []string, src Source, env Env) error {
	switch name {
	case "history":
		return history(args, src, env)
	case "attendance":
		return attendance(args, src, env)
	case "export":
		return export(args, src, env)
	}
	return fmt.Errorf("unknown command %q", name)
}

func history(args []string, src Source, env Env) error {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	words, err := parse(fs, args)
	if err != nil {
		return err
	}
	ms, err := src.Archive()
	if err != nil {
		return err
	}
	rows := Filter(Rows(ms), strings.Join(words, " "))
	if *asJSON {
		type row struct {
			ID      string `json:"id"`
			Code    string `json:"code"`
			Title   string `json:"title"`
			Series  string `json:"series,omitempty"`
			Date    string `json:"date"`
			Ended   string `json:"ended,omitempty"`
			People  int    `json:"people"`
			Chosen  string `json:"chosen_topic,omitempty"`
			Ideas   int    `json:"ideas"`
			Actions int    `json:"actions"`
			Open    int    `json:"open_actions"`
		}
		out := make([]row, len(rows))
		for i, r := range rows {
			out[i] = row{ID: r.ID, Code: session.FormatCode(r.Code), Title: r.Title, Series: r.Series, Date: r.Date.UTC().Format("2006-01-02T15:04:05Z"),
				People: r.People, Chosen: r.Chosen, Ideas: r.Ideas, Actions: r.Actions, Open: r.Open}
			if !r.Ended.IsZero() {
				out[i].Ended = r.Ended.UTC().Format("2006-01-02T15:04:05Z")
			}
		}
		return writeJSON(env.Stdout, out)
	}
	if len(rows) == 0 {
		if len(words) > 0 {
			_, err = fmt.Fprintf(env.Stdout, "No meetup matches %q.\n", strings.Join(words, " "))
		} else {
			_, err = fmt.Fprintln(env.Stdout, "No meetups yet.")
		}
		return err
	}
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tCODE\tTITLE\tSERIES\tPEOPLE\tCHOSEN TOPIC\tIDEAS\tACTIONS")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\n", Day(r.Date), session.FormatCode(r.Code), clip(r.Title, 40), dash(clip(r.Series, 24)),
			r.People, dash(clip(r.Chosen, 40)), r.Ideas, actionsText(r))
	}
	tw.Flush()
	fmt.Fprintf(&b, "\nExport one with: %s export CODE --format md > meetup.md\n", env.Prog)
	_, err = env.Stdout.Write(b.Bytes())
	return err
}

func actionsText(r Row) string {
	if r.Actions == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%d open)", r.Actions, r.Open)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func attendance(args []string, src Source, env Env) error {
	fs := flag.NewFlagSet("attendance", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	ms, err := src.Archive()
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		list := SeriesList(ms)
		if *asJSON {
			return writeJSON(env.Stdout, list)
		}
		if err := WriteSeriesList(env.Stdout, list); err != nil {
			return err
		}
		if len(list) > 0 {
			_, err = fmt.Fprintf(env.Stdout, "\nThe figures of one: %s attendance %s\n", env.Prog, shellWord(list[0].Name))
		}
		return err
	}
	a, err := SeriesAttendance(ms, strings.Join(pos, " "))
	if err != nil {
		return err
	}
	if *asJSON {
		type meetup struct {
			ID, Code, Title, Date string
			Came                  int
			FirstTime             []string `json:"first_time"`
		}
		out := struct {
			Series  string     `json:"series"`
			Meetups []meetup   `json:"meetups"`
			People  []Attendee `json:"people"`
			NotBack []string   `json:"not_back"`
		}{Series: a.Series, People: a.People, NotBack: []string{}}
		for i, m := range a.Meetups {
			mm := meetup{ID: m.ID, Code: session.FormatCode(m.Code), Title: m.Title, Date: m.Date.UTC().Format("2006-01-02"), Came: a.Came(i), FirstTime: []string{}}
			for _, p := range a.FirstTimers(i) {
				mm.FirstTime = append(mm.FirstTime, p.Name)
			}
			out.Meetups = append(out.Meetups, mm)
		}
		for _, p := range a.NotBack() {
			out.NotBack = append(out.NotBack, p.Name)
		}
		return writeJSON(env.Stdout, out)
	}
	return WriteAttendance(env.Stdout, a)
}

func export(args []string, src Source, env Env) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	format := fs.String("format", "md", "")
	table := fs.String("table", "", "")
	path := fs.String("o", "", "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return fmt.Errorf("which meetup? Give its ID or join code: %s export ID --format md (%s history lists them)", env.Prog, env.Prog)
	case len(pos) > 1:
		return fmt.Errorf("one meetup at a time, not %q", strings.Join(pos, " "))
	case *format != "md" && *format != "json" && *format != "csv":
		return fmt.Errorf("the format is md, json or csv, not %q", session.CleanText(*format))
	case *table != "" && *format != "csv":
		return fmt.Errorf("--table goes with --format csv")
	case *path != "" && !env.Files:
		return fmt.Errorf("-o writes files on the machine that runs convene; over SSH, send the output to a file of yours instead: %s export %s --format %s > FILE", env.Prog, pos[0], *format)
	}
	ms, err := src.Archive()
	if err != nil {
		return err
	}
	m, err := Find(ms, pos[0])
	if err != nil {
		return fmt.Errorf("%w (%s history lists them)", err, env.Prog)
	}
	o := m.Outcomes()
	switch *format {
	case "md":
		return output(env, *path, []byte(Markdown(m, o)))
	case "json":
		events, err := src.Events(m.ID)
		if err != nil {
			return err
		}
		b, err := JSON(m, o, events)
		if err != nil {
			return err
		}
		return output(env, *path, b)
	}
	tables := Tables(m, o)
	if *table != "" {
		t, err := TableOf(tables, *table)
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if err := WriteCSV(&b, t); err != nil {
			return err
		}
		return output(env, *path, b.Bytes())
	}
	if *path == "" {
		// One stream holds every table, each after a line naming it;
		// --table gives one table alone, -o a folder of files.
		var b bytes.Buffer
		for i, t := range tables {
			if i > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "# %s.csv\n", t.Name)
			if err := WriteCSV(&b, t); err != nil {
				return err
			}
		}
		_, err := env.Stdout.Write(b.Bytes())
		return err
	}
	if err := os.MkdirAll(*path, 0o700); err != nil {
		return fmt.Errorf("-o %s must be a folder for CSV (one file per table): %w", *path, err)
	}
	for _, t := range tables {
		var b bytes.Buffer
		if err := WriteCSV(&b, t); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(*path, t.Name+".csv"), b.Bytes(), 0o600); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintf(env.Stderr, "wrote %d tables to %s\n", len(tables), *path)
	return err
}

func output(env Env, path string, b []byte) error {
	if path == "" {
		_, err := env.Stdout.Write(b)
		return err
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return err
	}
	_, err := fmt.Fprintf(env.Stderr, "wrote %s\n", path)
	return err
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// shellWord quotes s for a shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:@,+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
