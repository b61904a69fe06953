package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/vote"
)

const tallySynopsis = "convene tally --method dots|single|ranked [--dots N] [--max-per-topic M] [--json] FILE"

const tallyHelp = `Count ballots offline, with the same rules as a live vote.

FILE is a CSV file with one ballot per line; names are separated by commas,
spaces around them are ignored, and a name containing a comma is quoted
("Parking, loading"). For ranked votes a line lists topics in order of
preference; for dots it lists one name per dot (a name may repeat); for
single it holds one name. Empty lines are allowed only at the end.
Names are cleaned as the live vote cleans them: control characters and
terminal escape sequences are dropped and runs of spaces become one; a name
that is left empty rejects its ballot.

If any ballot breaks the rules, every such ballot is reported with its line
number, nothing is counted, and the exit status is 1. Bad usage exits with 2.
Flags must come before FILE.

Flags:
  --method dots|single|ranked   the voting method (required)
  --dots N                      dots: how many dots each person has (default 3)
  --max-per-topic M             dots: most dots one person may put on one
                                topic (default 2)
  --json                        print the result as JSON
`

// tallyMaxBar is the widest bar of # drawn in the text output.
const tallyMaxBar = 40

// tallyMaxReported caps how many rejected lines are listed.
const tallyMaxReported = 20

// tallyCommand counts ballots from a CSV file: `convene tally --help` and
// docs/voting.md describe it. It returns the exit status: 0 when counted, 1
// when the file holds ballots that break the rules (nothing is printed on
// stdout then), 2 for bad usage or an unreadable file.
func tallyCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("convene tally", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported below, on one line
	fs.Usage = func() {}
	methodName := fs.String("method", "", "voting method: dots, single or ranked (required)")
	dots := fs.Int("dots", vote.DefaultDots, "dots: how many dots each person has")
	maxPerTopic := fs.Int("max-per-topic", vote.DefaultMaxPerTopic, "dots: most dots one person may put on one topic")
	asJSON := fs.Bool("json", false, "print the result as JSON")

	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "convene tally: "+format+" (see convene tally --help)\n", a...)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: %s\n\n%s", tallySynopsis, tallyHelp)
			return 0
		}
		return usageErr("%v", err)
	}

	if *methodName == "" {
		return usageErr("missing --method (dots, single or ranked)")
	}
	method, err := vote.ParseMethod(*methodName)
	if err != nil {
		return usageErr("%v", err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if method != vote.Dots {
		for _, name := range []string{"dots", "max-per-topic"} {
			if set[name] {
				return usageErr("--%s applies only to --method dots", name)
			}
		}
	}
	if *dots < 1 {
		return usageErr("--dots must be at least 1, not %d", *dots)
	}
	if *maxPerTopic < 1 {
		return usageErr("--max-per-topic must be at least 1, not %d", *maxPerTopic)
	}

	files := fs.Args()
	switch {
	case len(files) == 0:
		return usageErr("missing FILE: give the CSV file of ballots")
	case len(files) > 1:
		for _, a := range files[1:] {
			if strings.HasPrefix(a, "-") && a != "-" {
				return usageErr("flag %s after FILE: flags must come before FILE", a)
			}
		}
		return usageErr("more than one FILE (%s)", strings.Join(files, ", "))
	case files[0] == "-":
		return usageErr("reading ballots from standard input is not supported: give a file name")
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		fmt.Fprintf(stderr, "convene tally: cannot read ballots: %v\n", err)
		return 2
	}

	rules := vote.Rules{Method: method}
	if method == vote.Dots {
		rules.Dots, rules.MaxPerTopic = *dots, *maxPerTopic
	}
	ballots, problems, err := tallyReadBallots(data, rules)
	if err != nil {
		fmt.Fprintln(stderr, err)
		fmt.Fprintf(stderr, "convene tally: %s is not valid CSV; nothing was counted\n", files[0])
		return 1
	}
	if len(problems) > 0 {
		for i, p := range problems {
			if i == tallyMaxReported {
				fmt.Fprintf(stderr, "... and %d more\n", len(problems)-i)
				break
			}
			fmt.Fprintln(stderr, p)
		}
		fmt.Fprintf(stderr, "convene tally: %s rejected; nothing was counted\n", tallyPlural(len(problems), "line", "lines"))
		return 1
	}

	res := vote.Count(rules, nil, ballots)
	if *asJSON {
		if err := writeTallyJSON(stdout, res); err != nil {
			fmt.Fprintf(stderr, "convene tally: %v\n", err)
			return 1
		}
		return 0
	}
	writeTallyText(stdout, rules, len(ballots), res)
	return 0
}

// tallyReadBallots parses CSV ballots and checks each against rules. It
// returns the ballots and a message naming the line of each ballot that
// breaks the rules, or an error naming the line where the CSV is malformed.
func tallyReadBallots(data []byte, rules vote.Rules) ([]vote.Ballot, []string, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // spreadsheet byte-order mark
	type record struct {
		line    int
		ballot  vote.Ballot // nil for an empty line
		problem string      // why the ballot is rejected before its rules are checked
	}
	var records []record
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	consumed := 0 // lines used by the records read so far
	for {
		fields, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, fmt.Errorf("line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
			}
			return nil, nil, err
		}
		line, _ := r.FieldPos(0)
		// encoding/csv skips empty lines; find them from the line numbers.
		for l := consumed + 1; l < line; l++ {
			records = append(records, record{line: l})
		}
		consumed = bytes.Count(data[:r.InputOffset()], []byte("\n"))
		// Names are printed to the operator's terminal: a form export must
		// not be able to send it escape sequences.
		rec := record{line: line, ballot: make(vote.Ballot, len(fields))}
		for i, f := range fields {
			raw := strings.TrimSpace(f)
			rec.ballot[i] = session.CleanText(raw)
			if raw != "" && rec.ballot[i] == "" && rec.problem == "" {
				rec.problem = fmt.Sprintf("choice %d has only control characters or escape sequences, no topic name", i+1)
				if len(fields) == 1 {
					rec.problem = "the topic name has only control characters or escape sequences"
				}
			}
		}
		if len(fields) == 1 && strings.TrimSpace(fields[0]) == "" {
			rec.ballot = nil // a line of only spaces
		}
		records = append(records, rec)
	}
	for len(records) > 0 && records[len(records)-1].ballot == nil {
		records = records[:len(records)-1] // trailing empty lines are fine
	}

	var ballots []vote.Ballot
	var problems []string
	for _, rec := range records {
		if rec.ballot == nil {
			problems = append(problems, fmt.Sprintf("line %d: empty line; each line must hold a ballot (empty lines may only end the file)", rec.line))
			continue
		}
		if rec.problem != "" {
			problems = append(problems, fmt.Sprintf("line %d: %s", rec.line, rec.problem))
			continue
		}
		if err := rules.Check(rec.ballot, nil); err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %v", rec.line, err))
			continue
		}
		ballots = append(ballots, rec.ballot)
	}
	return ballots, problems, nil
}

type tallyJSON struct {
	Method string           `json:"method"`
	Winner *string          `json:"winner"`
	Tie    []string         `json:"tie"`
	Totals map[string]int   `json:"totals"`
	Rounds []tallyRoundJSON `json:"rounds,omitzero"` // ranked only
}

type tallyRoundJSON struct {
	Totals     map[string]int `json:"totals"`
	Eliminated *string        `json:"eliminated"`
	// TieBreak is null unless several topics were tied for fewest votes.
	TieBreak *tallyTieBreakJSON `json:"tie_break"`
}

type tallyTieBreakJSON struct {
	Tied  []string `json:"tied"`
	Among []string `json:"among"`
	By    string   `json:"by"`    // "earlier_round" or "topic_order"
	Round *int     `json:"round"` // the deciding round; null for topic order
}

func writeTallyJSON(w io.Writer, res vote.Result) error {
	out := tallyJSON{
		Method: string(res.Method),
		Tie:    []string{},
		Totals: map[string]int{},
	}
	if res.Winner != "" {
		out.Winner = &res.Winner
	}
	out.Tie = append(out.Tie, res.Tie...)
	for k, n := range res.Totals {
		out.Totals[k] = n
	}
	if res.Method == vote.Ranked {
		out.Rounds = []tallyRoundJSON{}
		for _, rd := range res.Rounds {
			jr := tallyRoundJSON{Totals: map[string]int{}}
			for k, n := range rd.Totals {
				jr.Totals[k] = n
			}
			if rd.Eliminated != "" {
				jr.Eliminated = &rd.Eliminated
			}
			if tb := rd.TieBreak; tb != nil {
				jt := &tallyTieBreakJSON{
					Tied:  append([]string{}, tb.Tied...),
					Among: append([]string{}, tb.Among...),
					By:    "earlier_round",
				}
				if tb.ByTopicOrder() {
					jt.By = "topic_order"
				} else {
					jt.Round = &tb.Round
				}
				jr.TieBreak = jt
			}
			out.Rounds = append(out.Rounds, jr)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeTallyText(w io.Writer, rules vote.Rules, nBallots int, res vote.Result) {
	switch res.Method {
	case vote.Dots:
		fmt.Fprintf(w, "Method: dots (%s each, at most %d on one topic)\n", tallyPlural(rules.Dots, "dot", "dots"), rules.MaxPerTopic)
	case vote.Single:
		fmt.Fprintln(w, "Method: single (one choice each)")
	case vote.Ranked:
		fmt.Fprintln(w, "Method: ranked (instant runoff)")
	}
	fmt.Fprintf(w, "Ballots: %d\n", nBallots)
	if nBallots == 0 {
		fmt.Fprintln(w, "\nNo winner: no votes were counted")
		return
	}

	width, most := 0, 0
	for k, n := range res.Totals {
		width = max(width, utf8.RuneCountInString(k))
		most = max(most, n)
	}
	for _, rd := range res.Rounds {
		for _, n := range rd.Totals {
			most = max(most, n)
		}
	}
	digits := len(fmt.Sprint(most))
	row := func(name string, n int, note string) {
		line := fmt.Sprintf("  %s%s  %*d", name, strings.Repeat(" ", width-utf8.RuneCountInString(name)), digits, n)
		for _, s := range []string{tallyBar(n, most), note} {
			if s != "" {
				line += "  " + s
			}
		}
		fmt.Fprintln(w, line)
	}

	eliminatedIn := map[string]int{}
	for i, rd := range res.Rounds {
		counted := 0
		for _, n := range rd.Totals {
			counted += n
		}
		fmt.Fprintf(w, "\nRound %d: %s counted", i+1, tallyPlural(counted, "ballot", "ballots"))
		if exhausted := nBallots - counted; exhausted > 0 {
			fmt.Fprintf(w, ", %d exhausted", exhausted)
		}
		fmt.Fprintln(w)
		for _, k := range rd.Ordered() {
			row(k, rd.Totals[k], "")
		}
		switch {
		case rd.TieBreak != nil:
			eliminatedIn[rd.Eliminated] = i + 1
			fmt.Fprintf(w, "  Eliminated: %s, by tie-break (%s)\n", rd.Eliminated, tallyTieBreakNote(rd.Eliminated, *rd.TieBreak, i+1))
		case rd.Eliminated != "":
			eliminatedIn[rd.Eliminated] = i + 1
			fmt.Fprintf(w, "  Eliminated: %s\n", rd.Eliminated)
		}
	}

	if res.Method == vote.Ranked {
		fmt.Fprintln(w, "\nFinal totals")
	} else {
		fmt.Fprintln(w, "\nTotals")
	}
	for _, k := range res.Ordered() {
		note := ""
		if r, ok := eliminatedIn[k]; ok {
			note = fmt.Sprintf("(eliminated in round %d)", r)
			if res.Rounds[r-1].TieBreak != nil {
				note = fmt.Sprintf("(eliminated in round %d, by tie-break)", r)
			}
		}
		row(k, res.Totals[k], note)
	}
	fmt.Fprintln(w)

	switch {
	case res.Winner != "" && res.Method == vote.Ranked:
		last := res.Rounds[len(res.Rounds)-1]
		counted := 0
		for _, n := range last.Totals {
			counted += n
		}
		fmt.Fprintf(w, "Winner: %s, with %d of %d votes in round %d\n", res.Winner, last.Totals[res.Winner], counted, len(res.Rounds))
	case res.Winner != "":
		fmt.Fprintf(w, "Winner: %s\n", res.Winner)
	case len(res.Tie) > 0:
		fmt.Fprintf(w, "Tie between %s\n", tallyJoinAnd(res.Tie))
	default:
		fmt.Fprintln(w, "No winner: no votes were counted")
	}
}

// tallyTieBreakNote says why out was eliminated in round n by tie-break tb,
// for example "B and C tied for fewest; B had fewer than C in round 2". The
// topics of a tally are in alphabetical order, so topic order is called that.
func tallyTieBreakNote(out string, tb vote.TieBreak, n int) string {
	note := tallyJoinAnd(tb.Tied) + " tied for fewest"
	if !tb.ByTopicOrder() {
		var others []string
		for _, k := range tb.Among {
			if k != out {
				others = append(others, k)
			}
		}
		return fmt.Sprintf("%s; %s had fewer than %s in round %d", note, out, tallyJoinAnd(others), tb.Round)
	}
	switch {
	case n == 1:
		note += ", with no earlier round to tell them apart"
	case len(tb.Among) == len(tb.Tied):
		note += ", with the same votes in every earlier round"
	default:
		note += "; " + tallyJoinAnd(tb.Among) + " had the same votes in every earlier round"
	}
	return fmt.Sprintf("%s; %s is last in alphabetical order", note, out)
}

// tallyBar draws n as #, scaled so that most fits in tallyMaxBar.
func tallyBar(n, most int) string {
	if n <= 0 {
		return ""
	}
	if most > tallyMaxBar {
		n = max(1, (n*tallyMaxBar+most/2)/most)
	}
	return strings.Repeat("#", n)
}

// tallyJoinAnd joins names as "A and B" or "A, B and C".
func tallyJoinAnd(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func tallyPlural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
