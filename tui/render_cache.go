package tui

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/convene/convene/session"
)

// Many people see the same screen: a change to a room of 300 asks 300
// screens to draw themselves at once, and most of what they draw is the
// same for all of them. The caches here keep what was drawn, keyed by
// everything it was drawn from, so that it is drawn once per change and
// window size instead of once per person:
//
//   - the side panel (agenda and people) depends only on the meetup's
//     version, the window, the background and, if the viewer is among the
//     people shown, who is looking ("(you)");
//   - the boxes around the panels and their joining depend only on the
//     panels' text and size;
//   - the help bar depends only on the keys offered and the width;
//   - the header depends on the meetup's title and count, the viewer's
//     name and role, and the width;
//   - an activity's panel (the voting list, the circle) depends on the
//     meetup's version, the window, the background, the viewer's role and
//     clock, and what the screen's panelKey says of the viewer: their
//     projection (their ballot, their selection, whether they share or
//     speak), and who they are only where the panel says "you". So
//     everyone whose projection is alike shares one drawing: at a change,
//     a room of 300 draws the voting list a few times, not 300.
//
// What is the viewer's own (their status line, a form being typed) is
// drawn per person and is cheap. A cache that fills up is emptied: it
// holds what the screens of the last few changes drew, never anything
// else. Tests turn verifyCaches on: every hit is drawn again and compared,
// so a key that leaves something out fails the test that shows it.

// renderCache maps a key to a drawn string. It is safe for concurrent use.
type renderCache struct {
	mu  sync.Mutex
	max int
	m   map[string]string
}

func newRenderCache(max int) *renderCache {
	return &renderCache{max: max, m: make(map[string]string)}
}

// cacheRenders turns the caches on; benchmarks turn them off to compare.
var cacheRenders = true

// verifyCaches draws every hit again and panics if it differs from what
// was kept: the tests turn it on (TestMain).
var verifyCaches = false

// get returns what draw returns for key, drawing it only if it is not kept.
// draw must depend on nothing the key does not say.
func (c *renderCache) get(key string, draw func() string) string {
	if !cacheRenders {
		return draw()
	}
	c.mu.Lock()
	s, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		if verifyCaches {
			if fresh := draw(); fresh != s {
				panic(fmt.Sprintf("render cache: key %q kept\n%s\nbut now draws\n%s", key, s, fresh))
			}
		}
		return s
	}
	s = draw()
	c.mu.Lock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[key] = s
	c.mu.Unlock()
	return s
}

// The caches. Their sizes bound their memory: a side panel or a body is a
// few KiB; many meetups and window sizes at once only cost hits.
var (
	sideCache   = newRenderCache(512)
	bodyCache   = newRenderCache(1024)
	helpCache   = newRenderCache(512)
	headerCache = newRenderCache(2048)
	panelCache  = newRenderCache(1024)

	widthMu sync.Mutex
	widths  = make(map[string]int) // lineWidth's
)

// cacheKey joins the parts of a key; the separator cannot appear in text
// on screen (session cleans control characters out of everything typed).
func cacheKey(parts ...string) string { return strings.Join(parts, "\x00") }

func itoa(n int) string { return strconv.Itoa(n) }

// panelKeyer is an activity screen whose panel can be shared: panelKey
// names everything the panel shows that is the viewer's own (their
// projection of the room and the screen's state), and ok is false when the
// panel cannot be shared now. The room's version, the window, the
// background, the viewer's role, readiness and the clock are keyed by
// activityPanel.
type panelKeyer interface {
	panelKey(f frame) (key string, ok bool)
}

// viewerIf is the viewer, for a panel key, when the panel may name them
// (frame.name says "you"); "" otherwise.
func viewerIf(f frame, named bool) string {
	if named {
		return string(f.v.Me)
	}
	return ""
}

// clockKey is what the room's countdown shows at now.
func clockKey(t session.Timer, now time.Time) string {
	rem := t.Remaining(now)
	return fmt.Sprintf("%t/%t/%s", t.Up(now), rem <= time.Minute, formatClock(rem))
}

func darkKey(st styles) string {
	if st.isDark {
		return "d"
	}
	return "l"
}

// sideBox is the side panel in its box, w x h cells, shared by everyone
// who sees the same version of the meetup in the same size. The people it
// lists see their own line say "(you)": their box is the shared one with
// that row drawn again (youRow), not a whole box of their own.
func (m model) sideBox(v *session.View, w, h int) string {
	k := cacheKey(v.ID, strconv.FormatUint(v.Version, 10), strconv.FormatBool(v.Ended()), itoa(w), itoa(h), darkKey(m.st))
	nobody := m
	nobody.me.ID = ""
	shared := sideCache.get(k, func() string { return nobody.drawSideBox(v, w, h) })
	// Whoever is looking matters only if they are among the people shown
	// (the list shows at most h of them).
	if !listedAmong(v.Meetup, m.me.ID, h) {
		return shared
	}
	return sideCache.get(cacheKey(k, string(m.me.ID)), func() string {
		own, ok := m.youRow(nobody, shared, v, w, h)
		if !ok {
			return m.drawSideBox(v, w, h)
		}
		if verifyCaches {
			if whole := m.drawSideBox(v, w, h); own != whole {
				panic(fmt.Sprintf("side panel: the shared box with the viewer's row\n%s\ndiffers from their own box\n%s", own, whole))
			}
		}
		return own
	})
}

func (m model) drawSideBox(v *session.View, w, h int) string {
	return m.st.side.Width(w).Height(h).Render(clip(m.sidePanel(v, w-4, h-2), w-4, h-2))
}

// youRow is the shared box with the one row that differs for this viewer
// drawn again (the shared box itself if none does: the viewer is past the
// rows the list has room for); false if more than one row differs.
func (m model) youRow(nobody model, shared string, v *session.View, w, h int) (string, bool) {
	mine := strings.Split(clip(m.sidePanel(v, w-4, h-2), w-4, h-2), "\n")
	theirs := strings.Split(clip(nobody.sidePanel(v, w-4, h-2), w-4, h-2), "\n")
	rows := strings.Split(shared, "\n")
	if len(mine) != len(theirs) || len(rows) != h {
		return "", false
	}
	at := -1
	for i := range mine {
		if mine[i] != theirs[i] {
			if at >= 0 {
				return "", false
			}
			at = i
		}
	}
	if at < 0 {
		// Not among the people the panel has room for: the shared box.
		return shared, true
	}
	if at+1 >= len(rows)-1 {
		return "", false
	}
	// The row, in the box's style without its top and bottom.
	rows[at+1] = m.st.side.BorderTop(false).BorderBottom(false).Width(w).Render(mine[at])
	return strings.Join(rows, "\n"), true
}

// listedAmong reports whether id is among the first n people of the
// side panel's list (orderedMembers), without making the list: it is
// asked by every screen at every change.
func listedAmong(s *session.Meetup, id session.PersonID, n int) bool {
	i := 0
	for _, present := range []bool{true, false} {
		for _, x := range s.Members {
			if x.Present != present {
				continue
			}
			if i >= n {
				return false
			}
			if x.ID == id {
				return true
			}
			i++
		}
	}
	return false
}

// boxes puts the main panel in its box, beside the side box if there is
// one: the same texts in the same size make the same body.
func boxes(st styles, side, panel string, mainW, bodyH int) string {
	k := cacheKey(darkKey(st), itoa(mainW), itoa(bodyH), side, panel)
	return bodyCache.get(k, func() string {
		mainBox := st.panel.Width(mainW).Height(bodyH).Render(clip(panel, mainW-4, bodyH-2))
		if side == "" {
			return mainBox
		}
		return lipgloss.JoinHorizontal(lipgloss.Top, side, mainBox)
	})
}

// helpKey names the short help bar of these keys in w cells.
func helpKey(st styles, h roomHelp, w int) string {
	var b strings.Builder
	b.WriteString(darkKey(st))
	b.WriteString(itoa(w))
	add := func(ks []key.Binding) {
		for _, k := range ks {
			b.WriteByte(0)
			if k.Enabled() {
				b.WriteByte('1')
			} else {
				b.WriteByte('0')
			}
			b.WriteString(k.Help().Key)
			b.WriteByte(1)
			b.WriteString(k.Help().Desc)
		}
	}
	add(h.kind)
	b.WriteByte(2)
	add(h.room.ShortHelp())
	b.WriteByte(2)
	add([]key.Binding{h.room.Help, h.room.Quit})
	return b.String()
}
