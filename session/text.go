package session

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/clipperhouse/uax29/v2/graphemes"
)

// Limits on text people type, in characters (grapheme clusters: what a
// reader counts as one character, however many code points or cells).
const (
	MaxNameLen   = 40
	MaxTitleLen  = 80
	MaxNoticeLen = 120
	// maxClusterRunes bounds one character: real ones (emoji families,
	// scripts with stacked marks) stay well under it; "zalgo" text that
	// piles hundreds of combining marks onto one letter does not.
	maxClusterRunes = 12
)

// ErrTooLong reports text over its limit. Len is how long the text was;
// when it is not known (0), the message gives only the limit.
type ErrTooLong struct {
	What  string
	Limit int
	Len   int
}

func (e ErrTooLong) Error() string {
	if e.Len == 0 {
		return fmt.Sprintf("%s is too long: at most %s", e.What, characters(e.Limit))
	}
	return fmt.Sprintf("%s is too long: %s, at most %s", e.What, characters(e.Len), characters(e.Limit))
}

func characters(n int) string {
	if n == 1 {
		return "1 character"
	}
	return fmt.Sprintf("%d characters", n)
}

// CheckLen checks already cleaned text against a limit in characters: the
// error names the text, says how long it is and what the limit is.
func CheckLen(what, s string, limit int) error {
	if n := Len(s); n > limit {
		return ErrTooLong{What: what, Limit: limit, Len: n}
	}
	return nil
}

// CleanText makes text typed by a person safe to store and to show on
// other people's terminals:
//   - escape sequences, control characters and invalid bytes are removed;
//   - line breaks, tabs, every kind of space and the characters that only
//     look blank (Hangul fillers, the blank Braille pattern) become a
//     space; runs of spaces collapse, and none is left at either end;
//   - characters that show nothing (format characters such as the soft
//     hyphen and the zero-width space, bidirectional controls, emoji
//     joiners and modifiers, variation selectors, tags) are removed, so
//     that text made only of them is empty, and what is shown is exactly
//     as wide as what is measured;
//   - combining marks with no character to sit on (at the start, or on a
//     space) are removed, and a character overloaded with combining marks
//     is cut back to its base.
//
// It is applied once, when text enters the system; what is stored is the
// cleaned text. Cleaning cleaned text changes nothing.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case isBlank(r):
			space = true
			continue
		case isInvisible(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return cleanClusters(b.String())
}

// isBlank reports the characters that show as empty space: line breaks,
// tabs, spaces of every width, and the fillers that look like nothing but
// take room (Hangul fillers, the blank Braille pattern, the null
// notehead). Each becomes a plain space.
func isBlank(r rune) bool {
	switch r {
	case '\u115F', '\u1160', '\u3164', '\uFFA0', // Hangul fillers
		'\u2800',     // blank Braille pattern
		'\U0001D159': // musical null notehead
		return true
	}
	// White_Space covers tab, line breaks (also U+0085, U+2028, U+2029),
	// no-break and ideographic spaces and U+2000-U+200A.
	return unicode.IsSpace(r)
}

// isInvisible reports the characters that show nothing, or change how
// their neighbours show, and are removed: controls, format characters
// (soft hyphen, zero-width space and joiners, word joiner, bidirectional
// controls, byte order mark, tags), the other default-ignorable characters
// (combining grapheme joiner, Khmer inherent vowels), variation selectors,
// emoji modifiers and noncharacters.
func isInvisible(r rune) bool {
	return r == utf8.RuneError || unicode.IsControl(r) ||
		unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point,
			unicode.Variation_Selector, unicode.Noncharacter_Code_Point) ||
		isBidiControl(r) || isJoiner(r)
}

// isBidiControl reports the invisible characters that reorder text and can
// make one person's text disguise the screen around it.
func isBidiControl(r rune) bool {
	return r == '\u200E' || r == '\u200F' || r == '\u061C' ||
		(r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// isJoiner reports the invisible characters that glue emoji into one
// picture (zero-width joiner, variation selectors, skin tones, tags).
// Terminals disagree on how wide such a picture is, and a disagreement
// breaks every box on the screen; without them each emoji stands alone and
// every terminal measures it the same.
func isJoiner(r rune) bool {
	return r == '\u200D' || r == '\uFE0E' || r == '\uFE0F' ||
		(r >= 0x1F3FB && r <= 0x1F3FF) || (r >= 0xE0020 && r <= 0xE007F)
}

// cleanClusters works on whole characters (grapheme clusters) of text
// that has been cleaned code point by code point, where spaces are single
// and inside. A space carrying combining marks becomes a plain space; a
// character that starts with a combining mark (it has nothing to sit on)
// or takes no room on the screen is removed, and then no space is left at
// either end or doubled; a character with more than maxClusterRunes code
// points is cut back to its first code point.
func cleanClusters(s string) string {
	if clustersClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	g := graphemes.FromString(s)
	for g.Next() {
		v := g.Value()
		r, _ := utf8.DecodeRuneInString(v)
		switch {
		case r == ' ':
			space = true
			continue
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc):
			continue
		case utf8.RuneCountInString(v) > maxClusterRunes:
			v = string(r)
			if glues(r) {
				continue
			}
		}
		if ansi.StringWidth(v) == 0 {
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteString(v)
	}
	return b.String()
}

// clustersClean reports whether cleanClusters has nothing to do to s.
func clustersClean(s string) bool {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if ascii {
		// Printable ASCII (all that is left of it): one code point and
		// one cell a character.
		return true
	}
	g := graphemes.FromString(s)
	for g.Next() {
		v := g.Value()
		r, _ := utf8.DecodeRuneInString(v)
		if (r == ' ' && len(v) > 1) || unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) ||
			utf8.RuneCountInString(v) > maxClusterRunes || ansi.StringWidth(v) == 0 {
			return false
		}
	}
	return true
}

// glues reports whether r joins whatever follows it into one character
// (a "prepended" mark such as the Malayalam dot reph): cut loose from the
// character it was part of, it would join the next one.
func glues(r rune) bool {
	s := string(r) + "a"
	return len(graphemes.FromString(s).First()) > len(string(r))
}

// Len counts characters (grapheme clusters) in s.
func Len(s string) int {
	n := 0
	g := graphemes.FromString(s)
	for g.Next() {
		n++
	}
	return n
}

// Width is the number of terminal cells s takes, with wide and combining
// characters measured as the screen does.
func Width(s string) int { return ansi.StringWidth(s) }

// cleanField cleans s and checks it against a limit, naming the field in
// the error so that the person knows what to fix.
func cleanField(what, s string, limit int) (string, error) {
	s = CleanText(s)
	if s == "" {
		return "", fmt.Errorf("%s: %w", what, ErrEmptyText)
	}
	if err := CheckLen(what, s, limit); err != nil {
		return "", err
	}
	return s, nil
}

// cleanOptional cleans s, which may be empty, and checks it against a
// limit, naming the field in the error.
func cleanOptional(what, s string, limit int) (string, error) {
	s = CleanText(s)
	if err := CheckLen(what, s, limit); err != nil {
		return "", err
	}
	return s, nil
}

// CleanName cleans a display name: at most MaxNameLen characters.
func CleanName(s string) (string, error) { return cleanField("name", s, MaxNameLen) }

// CleanTitle cleans a meetup's title: at most MaxTitleLen characters.
func CleanTitle(s string) (string, error) { return cleanField("title", s, MaxTitleLen) }
