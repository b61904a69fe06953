package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBallots writes content to a file in a temporary directory and returns
// its path.
func writeBallots(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ballots.csv")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runTally(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = tallyCommand(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestTallyJSON(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		ballots string
		want    string
	}{
		{
			name:    "ranked",
			args:    []string{"--method", "ranked", "--json"},
			ballots: "Parking, Repairs\n\"Damp, mould\",Parking\nRepairs,Parking\n Parking \nRepairs\n\n\n",
			want: `{
  "method": "ranked",
  "winner": "Parking",
  "tie": [],
  "totals": {
    "Damp, mould": 0,
    "Parking": 3,
    "Repairs": 2
  },
  "rounds": [
    {
      "totals": {
        "Damp, mould": 1,
        "Parking": 2,
        "Repairs": 2
      },
      "eliminated": "Damp, mould",
      "tie_break": null
    },
    {
      "totals": {
        "Parking": 3,
        "Repairs": 2
      },
      "eliminated": null,
      "tie_break": null
    }
  ]
}
`,
		},
		{
			name:    "ranked tie",
			args:    []string{"--json", "--method=ranked"},
			ballots: "A,B\nB,A\n",
			want: `{
  "method": "ranked",
  "winner": null,
  "tie": [
    "A",
    "B"
  ],
  "totals": {
    "A": 1,
    "B": 1
  },
  "rounds": [
    {
      "totals": {
        "A": 1,
        "B": 1
      },
      "eliminated": null,
      "tie_break": null
    }
  ]
}
`,
		},
		{
			// Round 2: B and C tie for fewest (3 each); round 1 decides, B
			// having had 2 to C's 3.
			name:    "ranked tie-break by an earlier round",
			args:    []string{"--method", "ranked", "--json"},
			ballots: "A\nA\nA\nA\nB\nB\nC\nC\nC\nD,B\n",
			want: `{
  "method": "ranked",
  "winner": "A",
  "tie": [],
  "totals": {
    "A": 4,
    "B": 0,
    "C": 3,
    "D": 0
  },
  "rounds": [
    {
      "totals": {
        "A": 4,
        "B": 2,
        "C": 3,
        "D": 1
      },
      "eliminated": "D",
      "tie_break": null
    },
    {
      "totals": {
        "A": 4,
        "B": 3,
        "C": 3
      },
      "eliminated": "B",
      "tie_break": {
        "tied": [
          "B",
          "C"
        ],
        "among": [
          "B",
          "C"
        ],
        "by": "earlier_round",
        "round": 1
      }
    },
    {
      "totals": {
        "A": 4,
        "C": 3
      },
      "eliminated": null,
      "tie_break": null
    }
  ]
}
`,
		},
		{
			// Round 1: B, C and D tie for fewest with no earlier round; D,
			// last in alphabetical order, goes.
			name:    "ranked tie-break by topic order",
			args:    []string{"--method", "ranked", "--json"},
			ballots: "A\nA\nA\nB,A\nC,B\nD,C\n",
			want: `{
  "method": "ranked",
  "winner": "A",
  "tie": [],
  "totals": {
    "A": 4,
    "B": 0,
    "C": 2,
    "D": 0
  },
  "rounds": [
    {
      "totals": {
        "A": 3,
        "B": 1,
        "C": 1,
        "D": 1
      },
      "eliminated": "D",
      "tie_break": {
        "tied": [
          "B",
          "C",
          "D"
        ],
        "among": [
          "B",
          "C",
          "D"
        ],
        "by": "topic_order",
        "round": null
      }
    },
    {
      "totals": {
        "A": 3,
        "B": 1,
        "C": 2
      },
      "eliminated": "B",
      "tie_break": null
    },
    {
      "totals": {
        "A": 4,
        "C": 2
      },
      "eliminated": null,
      "tie_break": null
    }
  ]
}
`,
		},
		{
			name:    "dots tie",
			args:    []string{"--method", "dots", "--json"},
			ballots: "A,A,B\nB,C\nC,C,A\nB\n",
			want: `{
  "method": "dots",
  "winner": null,
  "tie": [
    "A",
    "B",
    "C"
  ],
  "totals": {
    "A": 3,
    "B": 3,
    "C": 3
  }
}
`,
		},
		{
			name:    "dots custom rules",
			args:    []string{"--method", "dots", "--dots", "5", "--max-per-topic", "3", "--json"},
			ballots: "A,A,A,B,B\nC\n",
			want: `{
  "method": "dots",
  "winner": "A",
  "tie": [],
  "totals": {
    "A": 3,
    "B": 2,
    "C": 1
  }
}
`,
		},
		{
			name:    "single",
			args:    []string{"--method", "single", "--json"},
			ballots: "A & B\nC\nA & B\n",
			want: `{
  "method": "single",
  "winner": "A & B",
  "tie": [],
  "totals": {
    "A & B": 2,
    "C": 1
  }
}
`,
		},
		{
			name:    "no ballots",
			args:    []string{"--method", "single", "--json"},
			ballots: "\n\n",
			want: `{
  "method": "single",
  "winner": null,
  "tie": [],
  "totals": {}
}
`,
		},
		{
			name:    "ranked no ballots",
			args:    []string{"--method", "ranked", "--json"},
			ballots: "",
			want: `{
  "method": "ranked",
  "winner": null,
  "tie": [],
  "totals": {},
  "rounds": [
    {
      "totals": {},
      "eliminated": null,
      "tie_break": null
    }
  ]
}
`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runTally(append(tc.args, writeBallots(t, tc.ballots))...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q; want 0 and no stderr", code, stderr)
			}
			if stdout != tc.want {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, tc.want)
			}
			var v map[string]any
			if err := json.Unmarshal([]byte(stdout), &v); err != nil {
				t.Errorf("output is not JSON: %v", err)
			}
		})
	}
}

func TestTallyText(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		ballots string
		want    []string // lines expected in stdout, in this order
	}{
		{
			name:    "dots",
			args:    []string{"--method", "dots"},
			ballots: "Parking,Parking,Damp\nRepairs,Parking\nDamp\n",
			want: []string{
				"Method: dots (3 dots each, at most 2 on one topic)",
				"Ballots: 3",
				"Totals",
				"  Parking  3  ###",
				"  Damp     2  ##",
				"  Repairs  1  #",
				"Winner: Parking",
			},
		},
		{
			name:    "single tie",
			args:    []string{"--method", "single"},
			ballots: "B\nA\nC\nA\nB\n",
			want: []string{
				"Method: single (one choice each)",
				"  A  2  ##",
				"  B  2  ##",
				"  C  1  #",
				"Tie between A and B",
			},
		},
		{
			name:    "ranked rounds",
			args:    []string{"--method", "ranked"},
			ballots: "A\nA\nA\nA\nB,A\nB,A\nB,A\nC\nC\n",
			want: []string{
				"Method: ranked (instant runoff)",
				"Ballots: 9",
				"Round 1: 9 ballots counted",
				"  A  4  ####",
				"  B  3  ###",
				"  C  2  ##",
				"  Eliminated: C",
				"Round 2: 7 ballots counted, 2 exhausted",
				"  A  4  ####",
				"  B  3  ###",
				"Final totals",
				"  C  0  (eliminated in round 1)",
				"Winner: A, with 4 of 7 votes in round 2",
			},
		},
		{
			name:    "ranked tie-break by an earlier round",
			args:    []string{"--method", "ranked"},
			ballots: "A\nA\nA\nA\nB\nB\nC\nC\nC\nD,B\n",
			want: []string{
				"Round 1: 10 ballots counted",
				"  Eliminated: D",
				"Round 2: 10 ballots counted",
				"  Eliminated: B, by tie-break (B and C tied for fewest; B had fewer than C in round 1)",
				"Final totals",
				"  B  0  (eliminated in round 2, by tie-break)",
				"  D  0  (eliminated in round 1)",
				"Winner: A, with 4 of 7 votes in round 3",
			},
		},
		{
			name:    "ranked tie-break narrowed then decided by an earlier round",
			args:    []string{"--method", "ranked"},
			ballots: strings.Repeat("X\n", 15) + strings.Repeat("B\n", 3) + strings.Repeat("C\n", 4) + strings.Repeat("D\n", 5) + "E,B\nE,C\nF,B\n",
			want: []string{
				"  Eliminated: F",
				"  Eliminated: E",
				"  Eliminated: B, by tie-break (B, C and D tied for fewest; B had fewer than C in round 1)",
			},
		},
		{
			name:    "ranked tie-break by topic order in the first round",
			args:    []string{"--method", "ranked"},
			ballots: "A\nA\nA\nB,A\nC,B\nD,C\n",
			want: []string{
				"  Eliminated: D, by tie-break (B, C and D tied for fewest, with no earlier round to tell them apart; D is last in alphabetical order)",
				"  Eliminated: B",
				"  D  0  (eliminated in round 1, by tie-break)",
			},
		},
		{
			name:    "ranked tie-break by topic order after equal rounds",
			args:    []string{"--method", "ranked"},
			ballots: "A\nA\nA\nB\nB\nC\nC\nD\n",
			want: []string{
				"  Eliminated: D",
				"  Eliminated: C, by tie-break (B and C tied for fewest, with the same votes in every earlier round; C is last in alphabetical order)",
			},
		},
		{
			name:    "ranked tie-break narrowed then by topic order",
			args:    []string{"--method", "ranked"},
			ballots: strings.Repeat("A\n", 8) + "B\nB\nC\nC\nD\nD\nD\nE,B\nE,C\n",
			want: []string{
				"  Eliminated: E, by tie-break (B, C and E tied for fewest, with no earlier round to tell them apart; E is last in alphabetical order)",
				"  Eliminated: C, by tie-break (B, C and D tied for fewest; B and C had the same votes in every earlier round; C is last in alphabetical order)",
			},
		},
		{
			name:    "long bars are scaled",
			args:    []string{"--method", "single"},
			ballots: strings.Repeat("A\n", 80) + strings.Repeat("B\n", 20),
			want: []string{
				"  A  80  " + strings.Repeat("#", 40),
				"  B  20  " + strings.Repeat("#", 10),
			},
		},
		{
			name:    "no ballots",
			args:    []string{"--method", "dots"},
			ballots: "",
			want:    []string{"Ballots: 0", "No winner: no votes were counted"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runTally(append(tc.args, writeBallots(t, tc.ballots))...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q; want 0 and no stderr", code, stderr)
			}
			rest := stdout
			for _, line := range tc.want {
				i := strings.Index(rest, line+"\n")
				if i < 0 {
					t.Fatalf("stdout lacks line %q (after the lines before it):\n%s", line, stdout)
				}
				rest = rest[i+len(line):]
			}
		})
	}
}

func TestTallyRejects(t *testing.T) {
	for _, tc := range []struct {
		name    string
		method  string
		ballots string
		want    []string // stderr lines before the summary line
	}{
		{"too many dots", "dots", "A,B\nB\nA,A,B\nA,B,C,D\n", []string{"line 4: 4 dots, but each person has 3"}},
		{"over the per-topic limit", "dots", "A,A,A\n", []string{`line 1: 3 dots on "A", but at most 2 may go on one topic`}},
		{"empty line in the middle", "dots", "A\n\nB\n\n", []string{"line 2: empty line; each line must hold a ballot (empty lines may only end the file)"}},
		{"line of spaces in the middle", "ranked", "A\n   \nB\n", []string{"line 2: empty line; each line must hold a ballot (empty lines may only end the file)"}},
		{"empty name", "ranked", "A,B\nA, ,B\n", []string{"line 2: choice 2 has no topic name"}},
		{"repeated name in a ranking", "ranked", "A,B\nB, A ,A\n", []string{`line 2: "A" is ranked more than once`}},
		{"two names for single", "single", "A\nA,B\n", []string{"line 2: 2 topics chosen, but this vote takes exactly one"}},
		{"every bad line", "single", "A,B\nC\n\nD,E\n", []string{
			"line 1: 2 topics chosen, but this vote takes exactly one",
			"line 3: empty line; each line must hold a ballot (empty lines may only end the file)",
			"line 4: 2 topics chosen, but this vote takes exactly one",
		}},
		{"line numbers after a quoted line break", "dots", "\"A\nB\",C\nA,A,A\n", []string{`line 3: 3 dots on "A", but at most 2 may go on one topic`}},
		{"malformed CSV", "dots", "A\nB,\"C\n", []string{`line 2, column 6: extraneous or missing " in quoted-field`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeBallots(t, tc.ballots)
			code, stdout, stderr := runTally("--method", tc.method, "--json", path)
			if code != 1 {
				t.Errorf("exit %d, want 1; stderr:\n%s", code, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if len(lines) != len(tc.want)+1 {
				t.Fatalf("stderr:\n%s\nwant these lines and a summary:\n%s", stderr, strings.Join(tc.want, "\n"))
			}
			for i, want := range tc.want {
				if lines[i] != want {
					t.Errorf("stderr line %d = %q, want %q", i+1, lines[i], want)
				}
			}
			if last := lines[len(lines)-1]; !strings.Contains(last, "nothing was counted") {
				t.Errorf("last stderr line = %q, want a summary saying nothing was counted", last)
			}
		})
	}
}

func TestTallyTrailingEmptyLines(t *testing.T) {
	path := writeBallots(t, "A,B\r\nB\r\n\r\n  \n\n")
	code, stdout, stderr := runTally("--method", "dots", "--json", path)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q; want 0", code, stderr)
	}
	if !strings.Contains(stdout, `"winner": "B"`) {
		t.Errorf("stdout:\n%s\nwant B to win", stdout)
	}
}

func TestTallyUsage(t *testing.T) {
	file := writeBallots(t, "A\n")
	for _, tc := range []struct {
		name string
		args []string
		want string // in the one line on stderr
	}{
		{"no arguments", nil, "missing --method"},
		{"no method", []string{file}, "missing --method"},
		{"unknown method", []string{"--method", "approval", file}, `unknown voting method "approval"`},
		{"method without value", []string{"--method"}, "flag needs an argument"},
		{"missing file", []string{"--method", "dots"}, "missing FILE"},
		{"unreadable file", []string{"--method", "dots", filepath.Join(t.TempDir(), "nope.csv")}, "cannot read ballots"},
		{"directory", []string{"--method", "dots", t.TempDir()}, "cannot read ballots"},
		{"two files", []string{"--method", "dots", file, file}, "more than one FILE"},
		{"flag after file", []string{"--method", "dots", file, "--json"}, "flags must come before FILE"},
		{"zero dots", []string{"--method", "dots", "--dots", "0", file}, "--dots must be at least 1"},
		{"negative per topic", []string{"--method", "dots", "--max-per-topic", "-1", file}, "--max-per-topic must be at least 1"},
		{"dots not a number", []string{"--method", "dots", "--dots", "three", file}, `invalid value "three"`},
		{"dots with ranked", []string{"--method", "ranked", "--dots", "4", file}, "--dots applies only to --method dots"},
		{"unknown flag", []string{"--method", "dots", "--verbose", file}, "flag provided but not defined: -verbose"},
		{"stdin", []string{"--method", "dots", "-"}, "standard input is not supported"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runTally(tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
				t.Errorf("stderr %q, want exactly one line", stderr)
			}
			if !strings.HasPrefix(stderr, "convene tally: ") || !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q, want \"convene tally: ...%s...\"", stderr, tc.want)
			}
		})
	}
}

func TestTallyHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		code, stdout, stderr := runTally(arg)
		if code != 0 {
			t.Errorf("%s: exit %d, want 0", arg, code)
		}
		if !strings.HasPrefix(stdout, "usage: convene tally --method dots|single|ranked") || !strings.Contains(stdout, "--max-per-topic M") {
			t.Errorf("%s: stdout %q, want the usage", arg, stdout)
		}
		if stderr != "" {
			t.Errorf("%s: stderr %q, want nothing", arg, stderr)
		}
	}
}

// TestTallyCleansNames: names from a form export reach the operator's
// terminal, so escape sequences and control characters are dropped as the
// live vote drops them; a name with nothing else rejects its ballot.
func TestTallyCleansNames(t *testing.T) {
	path := writeBallots(t, "\"Parking\x1b[31m\",Repairs\nParking\x07\n\"Park\x1b]0;pwned\x07ing\"\n")
	for _, args := range [][]string{{"--method", "dots"}, {"--method", "dots", "--json"}} {
		code, stdout, stderr := runTally(append(args, path)...)
		if code != 0 || stderr != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
		if strings.ContainsAny(stdout, "\x1b\x07") {
			t.Errorf("%v: output holds a control character:\n%q", args, stdout)
		}
		if !strings.Contains(stdout, "Parking") || strings.Contains(stdout, "31m") || strings.Contains(stdout, "pwned") {
			t.Errorf("%v: output:\n%s", args, stdout)
		}
	}
	if _, stdout, _ := runTally("--method", "dots", path); !strings.Contains(stdout, "Winner: Parking\n") {
		t.Errorf("cleaned names were not counted as one topic:\n%s", stdout)
	}

	path = writeBallots(t, "A,B\nA,\"\x1b[31m\"\n\x1b[2J\x1b[H\n")
	code, stdout, stderr := runTally("--method", "ranked", path)
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q; want 1 and nothing", code, stdout)
	}
	if strings.ContainsAny(stderr, "\x1b") {
		t.Errorf("stderr holds ESC: %q", stderr)
	}
	for _, want := range []string{
		"line 2: choice 2 has only control characters or escape sequences, no topic name\n",
		"line 3: the topic name has only control characters or escape sequences\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr:\n%s\nwant %q", stderr, want)
		}
	}
}
