package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/grouping"
)

const groupsSynopsis = "convene groups --people N --size A-B --rounds R [--seed S] [--names FILE] [--json]"

const groupsHelp = `Plan networking rounds offline, with the same algorithm as a live meetup:
each round splits everyone into groups, mixing them so that as few pairs
as possible share a group twice. The plan lists every round's groups and
the number of repeated pairs (a pair meeting k times counts k-1).

People are numbered 1..N, or named with --names FILE: one name per line,
surrounding spaces and blank lines ignored, no name twice. The same
arguments and --seed always give the same plan.

--size takes a range (3-4) or one size (4). When the people cannot be split
into groups of that size, the closest split is used and a note says so.

With --json the plan is printed as {"rounds": [[[1,2,3],[4,5,6]], ...],
"repeats": N}, with names instead of numbers when --names is given; the
note, if any, goes to standard error.

Bad usage exits with status 2.

Flags:
`

// Limits that keep a plan to a few seconds.
const (
	groupsMaxPeople = 100_000
	groupsMaxRounds = 1000
	// groupsMaxWork bounds people * rounds * (largest size - 1), twice the
	// pairs of people who meet, which the planner and the count keep.
	groupsMaxWork = 10_000_000
)

// groupsCommand plans networking rounds: `convene groups --help` and
// docs/grouping.md describe it. It returns the exit status: 0 when planned,
// 2 for bad usage or an unreadable names file.
func groupsCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("convene groups", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported below, on one line
	fs.Usage = func() {}
	people := fs.Int("people", 0, "how many people `N` (or use --names)")
	size := fs.String("size", "", "group size: a range `A-B` such as 3-4, or one size such as 4 (required)")
	rounds := fs.Int("rounds", 0, "how many rounds `R` to plan (required)")
	seed := fs.Int64("seed", 1, "seed `S`: the same seed gives the same plan, another seed another plan")
	namesFile := fs.String("names", "", "file of names, one per line, instead of --people")
	asJSON := fs.Bool("json", false, "print the plan as JSON")

	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "convene groups: "+format+" (see convene groups --help)\n", a...)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: %s\n\n%s", groupsSynopsis, groupsHelp)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		return usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	var names []string
	switch {
	case set["people"] && set["names"]:
		return usageErr("give --people or --names, not both")
	case set["names"]:
		data, err := os.ReadFile(*namesFile)
		if err != nil {
			fmt.Fprintf(stderr, "convene groups: cannot read names: %v\n", err)
			return 2
		}
		names, err = groupsReadNames(data)
		if err != nil {
			fmt.Fprintf(stderr, "convene groups: %s: %v\n", *namesFile, err)
			return 2
		}
		*people = len(names)
	case !set["people"]:
		return usageErr("missing --people N (or --names FILE)")
	}
	if *people < 1 {
		return usageErr("--people must be at least 1, not %d", *people)
	}
	if *people > groupsMaxPeople {
		return usageErr("%d people is too many: at most %d", *people, groupsMaxPeople)
	}

	if !set["size"] {
		return usageErr("missing --size A-B (such as 3-4) or --size A")
	}
	lo, hi, err := groupsParseSize(*size)
	if err != nil {
		return usageErr("--size %q: %v", *size, err)
	}

	if !set["rounds"] {
		return usageErr("missing --rounds R")
	}
	if *rounds < 1 {
		return usageErr("--rounds must be at least 1, not %d", *rounds)
	}
	if *rounds > groupsMaxRounds {
		return usageErr("%d rounds is too many: at most %d", *rounds, groupsMaxRounds)
	}
	largest := min(hi, *people)
	if work := int64(*people) * int64(*rounds) * int64(largest-1); work > groupsMaxWork {
		return usageErr("too large to plan: people x rounds x (largest group - 1) is %d x %d x %d, more than %d",
			*people, *rounds, largest-1, groupsMaxWork)
	}

	plan, note := grouping.Plan(*people, lo, hi, *rounds, nil, *seed)
	repeats := grouping.Repeats(plan)

	if *asJSON {
		if err := groupsWriteJSON(stdout, plan, names, repeats); err != nil {
			fmt.Fprintf(stderr, "convene groups: %v\n", err)
			return 1
		}
		if note != "" {
			fmt.Fprintf(stderr, "convene groups: note: %s\n", note)
		}
		return 0
	}
	groupsWriteText(stdout, plan, names, repeats, note)
	return 0
}

// groupsParseSize reads "A-B" or "A".
func groupsParseSize(s string) (lo, hi int, err error) {
	a, b, isRange := strings.Cut(strings.TrimSpace(s), "-")
	if !isRange {
		b = a
	}
	lo, errA := strconv.Atoi(strings.TrimSpace(a))
	hi, errB := strconv.Atoi(strings.TrimSpace(b))
	switch {
	case errA != nil || errB != nil:
		return 0, 0, errors.New("want A-B (such as 3-4) or A (such as 4)")
	case lo < 1:
		return 0, 0, fmt.Errorf("a group needs at least 1 person, not %d", lo)
	case hi < lo:
		return 0, 0, fmt.Errorf("the range is empty: %d is more than %d", lo, hi)
	case hi > groupsMaxPeople:
		return 0, 0, fmt.Errorf("groups of %d are too large: at most %d", hi, groupsMaxPeople)
	}
	return lo, hi, nil
}

// groupsReadNames reads one name per line: spaces around a name and blank
// lines are ignored; a name may not appear twice, nor hold control
// characters (which could drive the terminal it is printed on).
func groupsReadNames(data []byte) ([]string, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // spreadsheet byte-order mark
	if !utf8.Valid(data) {
		return nil, errors.New("not valid UTF-8 text")
	}
	var names []string
	firstLine := map[string]int{}
	for i, line := range strings.Split(string(data), "\n") {
		raw := strings.TrimSpace(line)
		if raw == "" {
			continue
		}
		// Names are printed to the operator's terminal: control
		// characters are refused; bidi overrides and invisible characters
		// are taken out, as from every name a meetup shows.
		if strings.ContainsFunc(raw, unicode.IsControl) {
			return nil, fmt.Errorf("line %d: the name holds control characters", i+1)
		}
		name := session.CleanText(raw)
		if name == "" {
			return nil, fmt.Errorf("line %d: the name has only invisible characters", i+1)
		}
		if first, dup := firstLine[name]; dup {
			return nil, fmt.Errorf("line %d: %q is already on line %d; names must differ", i+1, name, first)
		}
		firstLine[name] = i + 1
		names = append(names, name)
		if len(names) > groupsMaxPeople {
			return nil, fmt.Errorf("more than %d names", groupsMaxPeople)
		}
	}
	if len(names) == 0 {
		return nil, errors.New("no names in the file")
	}
	return names, nil
}

// groupsLabel names person x (numbered from 0): their name, or x+1.
func groupsLabel(x int, names []string) string {
	if names != nil {
		return names[x]
	}
	return strconv.Itoa(x + 1)
}

func groupsWriteText(w io.Writer, plan [][][]int, names []string, repeats int, note string) {
	var b strings.Builder
	for r, round := range plan {
		fmt.Fprintf(&b, "Round %d\n", r+1)
		for g, group := range round {
			labels := make([]string, len(group))
			for i, x := range group {
				labels[i] = groupsLabel(x, names)
			}
			fmt.Fprintf(&b, "  Group %d: %s\n", g+1, strings.Join(labels, ", "))
		}
	}
	fmt.Fprintf(&b, "Repeated pairs: %d\n", repeats)
	if note != "" {
		fmt.Fprintf(&b, "Note: %s\n", note)
	}
	io.WriteString(w, b.String())
}

// groupsWriteJSON prints {"rounds": ..., "repeats": N}: people numbered
// 1..N, or their names.
func groupsWriteJSON(w io.Writer, plan [][][]int, names []string, repeats int) error {
	rounds := make([][][]any, len(plan))
	for r, round := range plan {
		rounds[r] = make([][]any, len(round))
		for g, group := range round {
			out := make([]any, len(group))
			for i, x := range group {
				if names != nil {
					out[i] = names[x]
				} else {
					out[i] = x + 1
				}
			}
			rounds[r][g] = out
		}
	}
	return json.NewEncoder(w).Encode(struct {
		Rounds  [][][]any `json:"rounds"`
		Repeats int       `json:"repeats"`
	}{rounds, repeats})
}
