package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func runGroups(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = groupsCommand(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeNames(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "names.txt")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// groupsJSON is the JSON shape, decoded strictly.
type groupsJSON struct {
	Rounds  [][][]json.RawMessage `json:"rounds"`
	Repeats *int                  `json:"repeats"`
}

func decodeGroupsJSON(t *testing.T, out string) groupsJSON {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var v groupsJSON
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("output is not the JSON shape: %v\n%s", err, out)
	}
	if v.Rounds == nil || v.Repeats == nil {
		t.Fatalf("JSON lacks rounds or repeats: %s", out)
	}
	if !strings.HasPrefix(out, `{"rounds":`) || !strings.Contains(out, `],"repeats":`) {
		t.Errorf("JSON fields not in the order rounds, repeats: %s", out)
	}
	if strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Errorf("JSON output has more than one line: %q", out)
	}
	return v
}

func TestGroupsJSON(t *testing.T) {
	code, out, errOut := runGroups("--people", "9", "--size", "3", "--rounds", "4", "--json")
	if code != 0 || errOut != "" {
		t.Fatalf("groups --json = %d, stderr %q; want 0 and nothing on stderr", code, errOut)
	}
	v := decodeGroupsJSON(t, out)
	var rounds [][][]int
	if err := json.Unmarshal([]byte(out), &struct {
		Rounds *[][][]int `json:"rounds"`
	}{&rounds}); err != nil {
		t.Fatalf("rounds are not lists of lists of numbers: %v\n%s", err, out)
	}
	if len(rounds) != 4 || *v.Repeats != 0 {
		t.Fatalf("9 people in 3s for 4 rounds: %d rounds, %d repeats; want 4 rounds, 0 repeats:\n%s", len(rounds), *v.Repeats, out)
	}
	for r, round := range rounds {
		var all []int
		for _, g := range round {
			if len(g) != 3 {
				t.Errorf("round %d: group %v; want groups of 3", r+1, g)
			}
			all = append(all, g...)
		}
		slices.Sort(all)
		if !slices.Equal(all, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}) {
			t.Errorf("round %d has people %v; want 1..9 once each", r+1, all)
		}
	}

	// The same arguments give the same plan; another seed another.
	_, again, _ := runGroups("--people", "9", "--size", "3", "--rounds", "4", "--json")
	if again != out {
		t.Errorf("two runs with the same arguments differ:\n%s\n%s", out, again)
	}
	_, other, _ := runGroups("--people", "9", "--size", "3", "--rounds", "4", "--json", "--seed", "7")
	if other == out {
		t.Errorf("--seed 7 gave the same plan as the default seed")
	}
}

func TestGroupsJSONRepeatsAndNote(t *testing.T) {
	code, out, errOut := runGroups("--people", "5", "--size", "4", "--rounds", "2", "--json")
	if code != 0 {
		t.Fatalf("exit %d; want 0 (stderr %q)", code, errOut)
	}
	v := decodeGroupsJSON(t, out)
	// 5 people cannot be split into 4s: one group of 5, twice; all 10
	// pairs meet again.
	want := `{"rounds":[[[1,2,3,4,5]],[[1,2,3,4,5]]],"repeats":10}`
	if strings.TrimSpace(out) != want || *v.Repeats != 10 {
		t.Errorf("groups --people 5 --size 4 --rounds 2 --json = %s; want %s", out, want)
	}
	if !strings.Contains(errOut, "note:") || !strings.Contains(errOut, "1 group of 5") {
		t.Errorf("stderr = %q; want the note about one group of 5", errOut)
	}
}

func TestGroupsText(t *testing.T) {
	code, out, errOut := runGroups("--people", "14", "--size", "3-4", "--rounds", "2")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q; want 0 and nothing", code, errOut)
	}
	for _, want := range []string{"Round 1\n  Group 1: ", "Round 2\n", "  Group 4: ", "Repeated pairs: 0\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Group 5") || strings.Contains(out, "Note:") {
		t.Errorf("14 people in 3-4 should make 4 groups and no note:\n%s", out)
	}

	code, out, _ = runGroups("--people", "2", "--size", "3-4", "--rounds", "1")
	want := "Round 1\n  Group 1: 1, 2\nRepeated pairs: 0\nNote: only 2 people, fewer than the smallest group size 3: one group of 2\n"
	if code != 0 || out != want {
		t.Errorf("2 people in 3-4 = %d\n%s\nwant 0\n%s", code, out, want)
	}
}

func TestGroupsNames(t *testing.T) {
	names := writeNames(t, "\uFEFFAnn\r\n  Bob  \n\nCy\nDee\n\n   \nEd\nFay\n")
	code, out, errOut := runGroups("--names", names, "--size", "3", "--rounds", "2")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q; want 0", code, errOut)
	}
	for _, name := range []string{"Ann", "Bob", "Cy", "Dee", "Ed", "Fay"} {
		if strings.Count(out, name) != 2 {
			t.Errorf("%q appears %d times; want once per round:\n%s", name, strings.Count(out, name), out)
		}
	}
	if strings.Contains(out, " 1,") || strings.Contains(out, "  Bob") {
		t.Errorf("output should list trimmed names, not numbers:\n%s", out)
	}

	code, out, _ = runGroups("--names", names, "--size", "3", "--rounds", "2", "--json")
	if code != 0 {
		t.Fatalf("--json with names: exit %d", code)
	}
	decodeGroupsJSON(t, out)
	var v struct {
		Rounds  [][][]string `json:"rounds"`
		Repeats int          `json:"repeats"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("rounds are not lists of lists of names: %v\n%s", err, out)
	}
	for r, round := range v.Rounds {
		var all []string
		for _, g := range round {
			all = append(all, g...)
		}
		slices.Sort(all)
		if !reflect.DeepEqual(all, []string{"Ann", "Bob", "Cy", "Dee", "Ed", "Fay"}) {
			t.Errorf("round %d has %v; want each name once", r+1, all)
		}
	}
}

func TestGroupsBadArguments(t *testing.T) {
	names := writeNames(t, "Ann\nBob\nCy\n")
	dup := writeNames(t, "Ann\nBob\n Ann \n")
	empty := writeNames(t, "\n  \n")
	control := writeNames(t, "Ann\nBob\x1b[2J\n")
	for _, tt := range []struct {
		args []string
		want string // in the message
	}{
		{nil, "missing --people"},
		{[]string{"--size", "3-4", "--rounds", "2"}, "missing --people"},
		{[]string{"--people", "0", "--size", "3-4", "--rounds", "2"}, "at least 1"},
		{[]string{"--people", "-4", "--size", "3-4", "--rounds", "2"}, "at least 1"},
		{[]string{"--people", "ten", "--size", "3-4", "--rounds", "2"}, "invalid value"},
		{[]string{"--people", "100001", "--size", "3-4", "--rounds", "2"}, "too many"},
		{[]string{"--people", "99999999999999999999", "--size", "3-4", "--rounds", "2"}, "invalid value"},
		{[]string{"--people", "12", "--rounds", "2"}, "missing --size"},
		{[]string{"--people", "12", "--size", "4-3", "--rounds", "2"}, "range is empty"},
		{[]string{"--people", "12", "--size", "x", "--rounds", "2"}, "want A-B"},
		{[]string{"--people", "12", "--size", "3-", "--rounds", "2"}, "want A-B"},
		{[]string{"--people", "12", "--size", "0-4", "--rounds", "2"}, "at least 1 person"},
		{[]string{"--people", "12", "--size", "-3", "--rounds", "2"}, "want A-B"},
		{[]string{"--people", "12", "--size", "3-4"}, "missing --rounds"},
		{[]string{"--people", "12", "--size", "3-4", "--rounds", "0"}, "at least 1"},
		{[]string{"--people", "12", "--size", "3-4", "--rounds", "-1"}, "at least 1"},
		{[]string{"--people", "12", "--size", "3-4", "--rounds", "1001"}, "too many"},
		{[]string{"--people", "100000", "--size", "3-4", "--rounds", "1000"}, "too large"},
		{[]string{"--people", "12", "--size", "3-4", "--rounds", "2", "--seed", "x"}, "invalid value"},
		{[]string{"--people", "12", "--names", names, "--size", "3-4", "--rounds", "2"}, "not both"},
		{[]string{"--names", filepath.Join(t.TempDir(), "missing.txt"), "--size", "3-4", "--rounds", "2"}, "cannot read names"},
		{[]string{"--names", dup, "--size", "3-4", "--rounds", "2"}, `"Ann" is already on line 1`},
		{[]string{"--names", empty, "--size", "3-4", "--rounds", "2"}, "no names"},
		{[]string{"--names", control, "--size", "3-4", "--rounds", "2"}, "control characters"},
		{[]string{"--people", "12", "--size", "3-4", "--rounds", "2", "extra"}, "unexpected argument"},
		{[]string{"--people", "12", "--size", "3-4", "--rounds", "2", "--colour"}, "not defined"},
	} {
		code, out, errOut := runGroups(tt.args...)
		if code != 2 || out != "" {
			t.Errorf("groups %q = %d, stdout %q; want 2 and no output", tt.args, code, out)
		}
		if !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "convene groups: ") {
			t.Errorf("groups %q: stderr %q; want one line starting \"convene groups: \" and mentioning %q", tt.args, errOut, tt.want)
		}
	}
}

func TestGroupsHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		code, out, errOut := runGroups(arg)
		if code != 0 || errOut != "" {
			t.Errorf("groups %s = %d, stderr %q; want 0", arg, code, errOut)
		}
		for _, want := range []string{"usage: convene groups --people N --size A-B --rounds R", "-names", "-json", "-seed"} {
			if !strings.Contains(out, want) {
				t.Errorf("groups %s lacks %q:\n%s", arg, want, out)
			}
		}
	}
}
