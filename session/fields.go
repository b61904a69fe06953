package session

import (
	"regexp"
	"time"
)

// CleanAnnouncement cleans a facilitator's line to every screen. Empty is
// allowed: it clears the line.
func CleanAnnouncement(s string) (string, error) {
	s = CleanText(s)
	return s, CheckLen("the announcement", s, MaxNoticeLen)
}

// CleanNote cleans an agenda item's note; empty is allowed.
func CleanNote(s string) (string, error) {
	s = CleanText(s)
	return s, CheckLen("the note", s, MaxNoteLen)
}

// numbered matches a name made unique with a number: "Ana (2)".
var numbered = regexp.MustCompile(`^(.*) \(\d+\)$`)

// baseName is a name without the number that made it unique.
func baseName(name string) string {
	if m := numbered.FindStringSubmatch(name); m != nil {
		return m[1]
	}
	return name
}

// Limits of agenda items.
const (
	MaxNoteLen     = 300
	MaxAgendaItems = 20
	MaxItemTime    = 4 * time.Hour
)
