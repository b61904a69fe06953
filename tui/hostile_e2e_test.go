package tui_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/convene/convene/session"
	"github.com/convene/convene/tui/sshtest"
)

// hostile is text meant to take over other people's terminals: every C0
// and C1 control, CSI, OSC (title, clipboard, hyperlink), DCS, APC, PM and
// SOS strings, bidi overrides, zero-width and other invisible characters.
var hostile = []struct{ name, text string }{
	{"c0", func() string {
		var b strings.Builder
		for c := byte(0); c < 0x20; c++ {
			if c != 0x1b {
				b.WriteByte(c)
			}
		}
		b.WriteByte(0x7f)
		return b.String()
	}()},
	{"c1", func() string {
		var b strings.Builder
		for r := rune(0x80); r < 0xa0; r++ {
			b.WriteRune(r)
		}
		return b.String() + "\x9b31m\x9d0;x\x9c" // and raw 8-bit CSI, OSC, ST
	}()},
	{"csi", "\x1b[2J\x1b[H\x1b[31;1m\x1b[?1049l\x1b[6n\x1b[8m"},
	{"title", "\x1b]0;HOSTILE-TITLE\x07\x1b]2;HOSTILE-TITLE\x1b\\"},
	{"clipboard", "\x1b]52;c;SE9TVElMRQ==\x07"},
	{"hyperlink", "\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\"},
	{"dcs-apc", "\x1bP1$qm\x1b\\\x1b_Gi=1;AAAA\x1b\\\x1b^pm\x1b\\\x1bXsos\x1b\\"},
	{"bidi", "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"},
	{"invisible", "\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad\u034f\u115f\u3164\U000e0041\u2028\u2029"},
}

// forbidden are sequences only a payload could put in the output: the
// app itself never writes them.
var forbidden = []string{"\x1b]52", "\x1b]8;", "\x1bP", "\x1b_", "\x1b^", "\x1bX", "HOSTILE-TITLE\x07", "\x1b]0;HOSTILE", "\x1b]2;HOSTILE"}

// invisibleRune reports runes that must never reach a terminal from
// people's text: C0, DEL, C1, bidi controls, zero-width and invisible
// characters.
func invisibleRune(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r >= 0x200b && r <= 0x200d, r == 0x2060, r == 0xfeff, r == 0x180e, r == 0x034f, r == 0x115f, r == 0x3164,
		r >= 0xe0000 && r <= 0xe007f, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

var appCSI = regexp.MustCompile(`\x1b\[[0-9;:?]*[ -/]*[@-~]`)

// checkClean checks one observer's raw output: no sequence only a payload
// could make, and between each payload's markers nothing but printable
// text (once the app's own CSI sequences, cursor moves and colours, are
// set aside), drawn at least once with no escape at all.
func checkClean(t *testing.T, who string, out []byte, markers []int) {
	t.Helper()
	for _, f := range forbidden {
		if i := bytes.Index(out, []byte(f)); i >= 0 {
			t.Errorf("%s's terminal got %q: %q", who, f, out[max(0, i-40):min(len(out), i+60)])
		}
	}
	// The screen is drawn cell by cell where it changed, so a payload
	// drawn where another was may reach the terminal only in pieces:
	// the whole stream, without the app's own escape sequences, must hold
	// no invisible or control character at all.
	for _, r := range ansi.Strip(string(out)) {
		if r != '\r' && r != '\n' && r != '\t' && r != '\b' && r != utf8.RuneError && invisibleRune(r) {
			t.Errorf("%s's terminal got %U", who, r)
			break
		}
	}
	for _, n := range markers {
		open, shut := []byte(fmt.Sprintf("QX%da", n)), []byte(fmt.Sprintf("bQZ%d", n))
		rest, seen, clean, partial := out, 0, 0, 0
		for {
			i := bytes.Index(rest, open)
			if i < 0 {
				break
			}
			rest = rest[i+len(open):]
			j := bytes.Index(rest, shut)
			if j < 0 || j > 600 {
				// Cut short on screen: what was drawn of it, up to the
				// app's next escape sequence, must still be clean.
				part := rest[:min(len(rest), 200)]
				if k := bytes.IndexByte(part, 0x1b); k >= 0 {
					part = part[:k]
				}
				partial++
				for _, r := range string(part) {
					if r != utf8.RuneError && invisibleRune(r) {
						t.Errorf("%s's terminal got %U from the cut-short payload %d: %q", who, r, n, part)
						break
					}
				}
				continue
			}
			seg := rest[:j]
			seen++
			if !bytes.ContainsRune(seg, 0x1b) {
				clean++
			}
			plain := appCSI.ReplaceAll(seg, nil)
			if !utf8.Valid(plain) {
				t.Errorf("%s's terminal got invalid UTF-8 from payload %d: %q", who, n, seg)
			}
			for _, r := range string(plain) {
				if invisibleRune(r) {
					t.Errorf("%s's terminal got %U from payload %d: %q", who, r, n, seg)
					break
				}
			}
		}
		if seen > 0 && clean == 0 {
			t.Errorf("%s's terminal never drew payload %d without escapes", who, n)
		}
		_ = partial
	}
}

// checkAligned checks that every row of the screen is 80 cells and the
// boxes' right borders are where they belong.
func checkAligned(t *testing.T, who string, c *sshtest.Client) {
	t.Helper()
	for i, l := range c.Lines() {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("%s: row %d is %d cells wide:\n%s", who, i, w, c.Screenshot())
			return
		}
		if strings.HasPrefix(l, "│") || strings.HasPrefix(l, "╭") {
			if w := ansi.StringWidth(l); w != 80 {
				t.Errorf("%s: row %d is %d cells, not 80: its border moved:\n%s", who, i, w, c.Screenshot())
				return
			}
			if r, _ := utf8.DecodeLastRuneInString(l); !strings.ContainsRune("│╮╯", r) {
				t.Errorf("%s: row %d does not end in a border:\n%s", who, i, c.Screenshot())
				return
			}
		}
	}
}

// TestHostileTextNeverReachesOthers: a person pastes every kind of control
// and invisible sequence as their name, a topic, an idea in the circle and
// an open-space item. The raw bytes the others receive carry none of it,
// the window title is the app's, and every screen keeps its layout at
// 80x24.
func TestHostileTextNeverReachesOthers(t *testing.T) {
	fac, ana, ben, cy := sshtest.NewSigner(t), sshtest.NewSigner(t), sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts, r, code := roomServer(t, fac, func() []session.Activity {
		return []session.Activity{
			{Kind: session.KindTopics, Title: "Topics and voting", Duration: 10 * time.Minute, State: session.NewVote()},
			{Kind: session.KindCircle, Title: "Solution circle", Duration: 30 * time.Minute},
			{Kind: session.KindOpenSpace, Title: "Open space", Duration: 10 * time.Minute},
			{Kind: session.KindClose, Title: "Close"},
		}
	})
	ctx := longCtx(t, 90*time.Second)
	f := join(t, ts.addr, fac, "fran", code, "Fran")
	a := join(t, ts.addr, ana, "ana", code, "Ana")
	c := join(t, ts.addr, cy, "cy", code, "Cy")
	b := join(t, ts.addr, ben, "ben", code, "Ben")
	observers := map[string]*sshtest.Client{"Fran": f, "Ana": a, "Cy": c}
	for _, o := range observers {
		must(t, o.WaitFor(ctx, "4 here"))
	}
	n := 0
	payload := func(text string) (int, string) {
		n++
		return n, fmt.Sprintf("QX%da%sbQZ%d", n, text, n)
	}
	var markers []int
	seenBy := func(who []*sshtest.Client, n int) {
		t.Helper()
		for _, o := range who {
			must(t, o.WaitFor(ctx, fmt.Sprintf("QX%da", n)))
		}
	}
	all := []*sshtest.Client{f, a, c}

	// Names (the short ones: a name has at most 40 characters).
	for _, h := range hostile {
		if len(h.text) > 60 && h.name != "c0" {
			continue
		}
		k, text := payload(h.text)
		must(t, b.Press("N"))
		must(t, b.WaitFor(ctx, "Your name:"))
		must(t, b.Press("ctrl+u"))
		must(t, b.Paste(text))
		// A paste goes through the terminal's own pipe: wait until it is
		// in the field before pressing enter.
		must(t, b.WaitFor(ctx, fmt.Sprintf("QX%da", k)))
		must(t, b.Press("enter"))
		must(t, b.WaitFor(ctx, "Your name is now"))
		seenBy(all, k)
		markers = append(markers, k)
	}
	// Topics.
	host := idOf(fac)
	for _, h := range hostile {
		k, text := payload(h.text)
		must(t, b.Press("t"))
		must(t, b.WaitFor(ctx, "New topic"))
		must(t, b.Paste(text))
		// A paste goes through the terminal's own pipe: wait until it is
		// in the field before pressing enter.
		must(t, b.WaitFor(ctx, fmt.Sprintf("QX%da", k)))
		must(t, b.Press("enter"))
		must(t, b.WaitFor(ctx, "Added"))
		must(t, b.Press("esc"))
		seenBy(all, k)
		markers = append(markers, k)
		for who, o := range observers {
			checkAligned(t, who, o)
		}
		// Removed once seen, so that the next is on every screen too.
		for _, tp := range r.State().Agenda[0].State.(*session.Vote).Topics {
			if strings.HasPrefix(tp.Text, fmt.Sprintf("QX%da", k)) {
				do(t, r, host, session.RemoveTopic{Topic: tp.ID})
			}
		}
	}
	// Ideas in the circle's open discussion, Ana sharing.
	do(t, r, host, session.Next{})
	do(t, r, host, session.SetUpCircle{Circles: []session.CirclePlan{{Sharer: idOf(ana), Title: "Damp"}}, Times: session.DefaultPhaseTimes, Questions: true})
	for range 4 {
		do(t, r, host, session.CircleNext{})
	}
	must(t, b.WaitFor(ctx, "Phase 4 of 5"))
	for _, h := range hostile {
		k, text := payload(h.text)
		must(t, b.Press("i"))
		must(t, b.WaitFor(ctx, "Idea"))
		must(t, b.Paste(text))
		// A paste goes through the terminal's own pipe: wait until it is
		// in the field before pressing enter.
		must(t, b.WaitFor(ctx, fmt.Sprintf("QX%da", k)))
		must(t, b.Press("enter"))
		must(t, b.WaitFor(ctx, "Idea added."))
		must(t, b.Press("esc"))
		must(t, b.WaitGone(ctx, "Idea added."))
		seenBy([]*sshtest.Client{a, c}, k) // Fran sees every circle at a glance, not each idea
		markers = append(markers, k)
		for who, o := range observers {
			checkAligned(t, who, o)
		}
	}
	// Open-space items.
	do(t, r, host, session.Next{})
	must(t, b.WaitFor(ctx, "Nothing raised yet"))
	for _, h := range hostile {
		k, text := payload(h.text)
		must(t, b.Press("i"))
		must(t, b.WaitFor(ctx, "Your item"))
		must(t, b.Paste(text))
		// A paste goes through the terminal's own pipe: wait until it is
		// in the field before pressing enter.
		must(t, b.WaitFor(ctx, fmt.Sprintf("QX%da", k)))
		must(t, b.Press("enter"))
		must(t, b.WaitFor(ctx, "Detail"))
		must(t, b.Press("enter"))
		must(t, b.WaitFor(ctx, "Posted"))
		seenBy(all, k)
		markers = append(markers, k)
		for who, o := range observers {
			checkAligned(t, who, o)
		}
		for _, it := range r.State().Agenda[2].State.(*session.OpenSpace).Items {
			if strings.HasPrefix(it.Text, fmt.Sprintf("QX%da", k)) {
				do(t, r, idOf(ben), session.WithdrawOpenItem{Item: it.ID})
			}
		}
	}
	for who, o := range observers {
		checkClean(t, who, o.Output(), markers)
		checkAligned(t, who, o)
		if strings.Contains(o.Title(), "HOSTILE") || strings.Contains(o.Title(), "QX") {
			t.Errorf("%s's window title is %q", who, o.Title())
		}
		if o.Bells() != 0 {
			t.Errorf("%s's terminal rang %d bells", who, o.Bells())
		}
	}
}
