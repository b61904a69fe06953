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

// ErrTooLong reports text over its limit; the limit is in the message.
type ErrTooLong struct {
	What  string
	Limit int
	Len   int
}

func (e ErrTooLong) Error() string {
	if e.Len > 0 {
		return fmt.Sprintf("%s is too long: %d characters, at most %d", e.What, e.Len, e.Limit)
	}
	return fmt.Sprintf("%s is too long: at most %d characters", e.What, e.Limit)
}

// CleanText makes text typed by a person safe to store and to show on
// other people's terminals: escape sequences and control characters are
// removed, line breaks and tabs become spaces, runs of spaces collapse,
// bidirectional overrides are dropped, and a character overloaded with
// combining marks is cut back to its base. It is applied once, when text
// enters the system; what is stored is the cleaned text.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t' || r == '\u2028' || r == '\u2029' || unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r), isBidiControl(r), r == '\uFEFF', r == utf8.RuneError, isJoiner(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return capClusters(b.String())
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

// capClusters cuts any character with more than maxClusterRunes code points
// back to its first code point.
func capClusters(s string) string {
	over := false
	g := graphemes.FromString(s)
	for g.Next() {
		if utf8.RuneCountInString(g.Value()) > maxClusterRunes {
			over = true
			break
		}
	}
	if !over {
		return s
	}
	var b strings.Builder
	g = graphemes.FromString(s)
	for g.Next() {
		v := g.Value()
		if utf8.RuneCountInString(v) > maxClusterRunes {
			r, _ := utf8.DecodeRuneInString(v)
			b.WriteRune(r)
			continue
		}
		b.WriteString(v)
	}
	return b.String()
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
	if err := checkLen(what, s, limit); err != nil {
		return "", err
	}
	return s, nil
}

// CleanName cleans a display name: at most MaxNameLen characters.
func CleanName(s string) (string, error) { return cleanField("name", s, MaxNameLen) }

// CleanTitle cleans a meetup's title: at most MaxTitleLen characters.
func CleanTitle(s string) (string, error) { return cleanField("title", s, MaxTitleLen) }
