package main

import (
	"strings"
	"testing"
	"unicode"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/vote"
)

// printable reports whether s is safe to print to a terminal: what
// CleanText leaves, with no control or format character.
func printable(s string) bool {
	return session.CleanText(s) == s && !strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
	})
}

// FuzzGroupsReadNames checks the names file reader on any input: it never
// panics, and the names it accepts are printable, non-empty and distinct.
// The seeds in testdata/fuzz/FuzzGroupsReadNames run with every go test.
func FuzzGroupsReadNames(f *testing.F) {
	f.Add([]byte("Ann\nBob\nCy\n"))
	f.Add([]byte("\uFEFFAnn\r\n  Bob  \r\n\r\n"))
	f.Add([]byte("Ann\n\u202eBob\u202c\n\u200b\n"))
	f.Add([]byte("Ann\nBob\x1b[2J\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		names, err := groupsReadNames(data)
		if err != nil {
			if len(names) != 0 {
				t.Fatalf("an error and names: %v, %q", err, names)
			}
			return
		}
		if len(names) == 0 || len(names) > groupsMaxPeople {
			t.Fatalf("%d names accepted", len(names))
		}
		seen := map[string]bool{}
		for _, n := range names {
			if n == "" || !printable(n) {
				t.Fatalf("name %+q accepted from %+q: not printable", n, data)
			}
			if seen[n] {
				t.Fatalf("name %q accepted twice", n)
			}
			seen[n] = true
		}
	})
}

// FuzzTallyReadBallots checks the ballots file reader on any input: it
// never panics, every ballot it accepts keeps the rules, and every choice
// is printable.
func FuzzTallyReadBallots(f *testing.F) {
	f.Add([]byte("Housing,Transport\nTransport\n\n"), uint8(0))
	f.Add([]byte("\uFEFF\"Hou\"\"sing\",Parks\r\nParks,Parks\n"), uint8(1))
	f.Add([]byte("a\x1b]0;pwned\x07,b\n\u202ec\n"), uint8(2))
	f.Add([]byte("\"unterminated\n"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, m uint8) {
		rules := []vote.Rules{
			{Method: vote.Dots, Dots: 3, MaxPerTopic: 2},
			{Method: vote.Single},
			{Method: vote.Ranked},
		}[int(m)%3]
		ballots, problems, err := tallyReadBallots(data, rules)
		if err != nil {
			if ballots != nil || problems != nil {
				t.Fatalf("an error and results: %v", err)
			}
			return
		}
		for _, b := range ballots {
			if err := rules.Check(b, nil); err != nil {
				t.Fatalf("ballot %q accepted against the rules: %v", b, err)
			}
			for _, c := range b {
				if !printable(c) {
					t.Fatalf("choice %+q accepted from %+q: not printable", c, data)
				}
			}
		}
		for _, p := range problems {
			if !strings.HasPrefix(p, "line ") {
				t.Fatalf("problem %q does not name its line", p)
			}
		}
	})
}
