package session

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/clipperhouse/uax29/v2/graphemes"
	"github.com/rivo/uniseg"
)

// invisible holds text that shows nothing at all: each must be refused as
// empty.
var invisible = []string{
	"\u200B",                               // zero-width space
	"\u3164\u3164",                         // Hangul filler
	"\u2800",                               // blank Braille pattern
	"\u00AD",                               // soft hyphen
	"\u115F\u1160\uFFA0",                   // the other Hangul fillers
	"\u200C\u2060\u180E",                   // zero-width non-joiner, word joiner, Mongolian vowel separator
	"\uFEFF\u2061\u2062",                   // byte order mark, invisible function application and times
	"\u034F\u17B4\u17B5",                   // combining grapheme joiner, Khmer inherent vowels
	"\U0001D159",                           // musical null notehead
	"\U000E0001\U000E0041",                 // language tag, tag letter A
	"\uFE00\U000E0100",                     // variation selectors
	"\u0301\u0302",                         // combining marks with nothing to sit on
	"\u3000\u2003\u202F\u205F\u00A0\u1680", // spaces of every width
	" \u0301 ",                             // a combining mark on a space
	"\uFFFE\uFDD0",                         // noncharacters
	"\x1b[31m\u200B\x1b[0m",                // escapes around an invisible character
	"\u202E\u2066\u200F",                   // bidirectional controls
}

func TestInvisibleTextIsEmpty(t *testing.T) {
	for _, s := range invisible {
		if got := CleanText(s); got != "" {
			t.Errorf("CleanText(%+q) = %+q; want empty", s, got)
		}
		if _, err := CleanName(s); !errors.Is(err, ErrEmptyText) {
			t.Errorf("CleanName(%+q) = %v; want ErrEmptyText", s, err)
		}
	}
}

func TestCleanTextBlanksAndFormatCharacters(t *testing.T) {
	tests := []struct{ in, want string }{
		{"co\u00ADop\u00ADer\u00ADa\u00ADtive", "cooperative"},
		{"zero\u200Bwidth", "zerowidth"},
		{"a\u3164b", "a b"},
		{"a\u2800\u2800b", "a b"},
		{"a\uFFA0b\u115Fc", "a b c"},
		{"\u3164Ana\u3164", "Ana"},
		{"a\u3000b\u2003c\u202Fd\u205Fe", "a b c d e"},
		{"a\u034Fb\u2060c\uFEFFd", "abcd"},
		{"a \u0301b", "a b"},                         // a mark on a space goes with it
		{"\u0301\u0302Ana", "Ana"},                   // marks with nothing to sit on
		{"\u0301 Ana", "Ana"},                        // and no space is left behind
		{"\u0915\u094D\u0937", "\u0915\u094D\u0937"}, // a conjunct stays
		{"ก\u0E31", "ก\u0E31"},                       // a mark on a letter stays
		{"e\u0301\u200B", "e\u0301"},
		{"قهوة\u061C", "قهوة"},
		{"\u0600\u0661", "\u0661"}, // a prepended format mark
		{"a\U000E0100b", "ab"},     // ideographic variation selector
	}
	for _, tt := range tests {
		if got := CleanText(tt.in); got != tt.want {
			t.Errorf("CleanText(%+q) = %+q; want %+q", tt.in, got, tt.want)
		}
	}
}

// TestCleanTextWidthAsMeasured: what the screen code measures (ansi) is
// what another implementation of the Unicode width rules (uniseg) measures
// character by character, and no character takes zero cells: nothing in
// cleaned text can make a row wider on screen than it was measured.
func TestCleanTextWidthAsMeasured(t *testing.T) {
	tricky := append([]string{
		"co\u00ADop",
		"soft\u00AD\u00AD\u00ADhyphens",
		"a\u200Bb\u200Cc\u2060d",
		"\u3164ㅤname\u3164",
		"Braille\u2800blank",
		"fam 👩‍👩‍👧‍👦 ok",
		"🏳️‍🌈 flag",
		"👍🏽 thumb",
		"🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F England",
		"日本語 text",
		"e\u0301t\u00E9",
		"Z" + strings.Repeat("\u0301", 40) + "algo",
		"\u0301leading mark",
		"a\u034Fb",
		"\u17B4\u17B5Khmer",
		"x\u180Ey",
		"tab\tand\nnewline",
		"bidi \u202Eevil\u202C",
		"\U0001D159null note",
		"\u0600\u0661\u0662",
		"dash\u2062here",
	}, invisible...)
	for _, s := range tricky {
		c := CleanText(s)
		want := 0
		g := uniseg.NewGraphemes(c)
		for g.Next() {
			w := g.Width()
			if w == 0 {
				t.Errorf("CleanText(%+q) = %+q has the zero-width character %+q", s, c, g.Str())
			}
			want += w
		}
		if got := ansi.StringWidth(c); got != want {
			t.Errorf("CleanText(%+q) = %+q: ansi measures %d cells, uniseg %d", s, c, got, want)
		}
		if got := Width(c); got != want {
			t.Errorf("Width(%+q) = %d; want %d", c, got, want)
		}
	}
}

// TestSoftHyphenKeepsRowInBorder: a soft hyphen used to be stored, counted
// as nothing, and drawn by some terminals as a hyphen, pushing the row past
// its border.
func TestSoftHyphenKeepsRowInBorder(t *testing.T) {
	name, err := CleanName("Ana\u00ADMaria\u00ADLuisa")
	if err != nil {
		t.Fatal(err)
	}
	if name != "AnaMariaLuisa" || Width(name) != Len(name) {
		t.Fatalf("CleanName = %+q (width %d, length %d); want AnaMariaLuisa, as wide as long", name, Width(name), Len(name))
	}
}

func TestErrTooLong(t *testing.T) {
	tests := []struct {
		err  ErrTooLong
		want string
	}{
		{ErrTooLong{What: "topic", Limit: 120, Len: 134}, "topic is too long: 134 characters, at most 120 characters"},
		{ErrTooLong{What: "announcement", Limit: 120}, "announcement is too long: at most 120 characters"},
		{ErrTooLong{What: "code", Limit: 1, Len: 2}, "code is too long: 2 characters, at most 1 character"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q; want %q", tt.err, got, tt.want)
		}
	}
}

func TestCheckLen(t *testing.T) {
	if err := CheckLen("name", strings.Repeat("e\u0301", MaxNameLen), MaxNameLen); err != nil {
		t.Errorf("CheckLen at the limit = %v", err)
	}
	err := CheckLen("name", strings.Repeat("日", MaxNameLen+3), MaxNameLen)
	var tl ErrTooLong
	if !errors.As(err, &tl) || tl != (ErrTooLong{What: "name", Limit: MaxNameLen, Len: MaxNameLen + 3}) {
		t.Fatalf("CheckLen over the limit = %#v", err)
	}
	if want := "name is too long: 43 characters, at most 40 characters"; err.Error() != want {
		t.Errorf("message %q; want %q", err, want)
	}
}

func TestCleanFieldReportsLength(t *testing.T) {
	// Counted after cleaning: the soft hyphens and the surrounding spaces
	// do not count.
	in := "  " + strings.Repeat("ab\u00AD", 41) + "  "
	_, err := CleanName(in)
	var tl ErrTooLong
	if !errors.As(err, &tl) || tl.Len != 82 || tl.Limit != MaxNameLen || tl.What != "name" {
		t.Fatalf("CleanName of 82 characters = %#v", err)
	}
	if got, err := CleanTitle(strings.Repeat("x\u200B", MaxTitleLen)); err != nil || Len(got) != MaxTitleLen {
		t.Errorf("CleanTitle at the limit with invisible characters = %q, %v", got, err)
	}
}

// FuzzCleanText checks what CleanText promises of any input. The seeds in
// testdata/fuzz/FuzzCleanText run with every plain go test.
func FuzzCleanText(f *testing.F) {
	for _, s := range invisible {
		f.Add(s)
	}
	f.Add("Ana\x1b[31mRed\x1b[0m \u202eevil\u202c 👩‍👩‍👧‍👦")
	f.Fuzz(func(t *testing.T, in string) {
		out := CleanText(in)
		if !utf8.ValidString(out) {
			t.Fatalf("CleanText(%+q) = %+q: not valid UTF-8", in, out)
		}
		if len(out) > len(in) {
			t.Errorf("CleanText(%+q) = %+q: longer than what came in", in, out)
		}
		for _, r := range out {
			switch {
			case unicode.IsControl(r): // C0 and C1, ESC among them
				t.Errorf("CleanText(%+q) = %+q: control character %U", in, out, r)
			case isBidiControl(r), unicode.Is(unicode.Cf, r):
				t.Errorf("CleanText(%+q) = %+q: format character %U", in, out, r)
			case unicode.IsSpace(r) && r != ' ', isBlank(r) && r != ' ':
				t.Errorf("CleanText(%+q) = %+q: blank %U is not a plain space", in, out, r)
			case isInvisible(r):
				t.Errorf("CleanText(%+q) = %+q: invisible %U", in, out, r)
			}
		}
		if strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ") {
			t.Errorf("CleanText(%+q) = %+q: spaces at an end or doubled", in, out)
		}
		if again := CleanText(out); again != out {
			t.Errorf("CleanText not idempotent on %+q: %+q, then %+q", in, out, again)
		}
		g := graphemes.FromString(out)
		for g.Next() {
			v := g.Value()
			if n := utf8.RuneCountInString(v); n > maxClusterRunes {
				t.Errorf("CleanText(%+q) = %+q: character %+q has %d code points", in, out, v, n)
			}
			if ansi.StringWidth(v) == 0 {
				t.Errorf("CleanText(%+q) = %+q: character %+q takes no room", in, out, v)
			}
			if r, _ := utf8.DecodeRuneInString(v); unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) {
				t.Errorf("CleanText(%+q) = %+q: character %+q starts with a mark", in, out, v)
			}
		}
	})
}
