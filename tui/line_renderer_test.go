package tui

import (
	"bytes"
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// The server draws with tea.WithLineRenderer (third_party/bubbletea): it
// keeps the lines a terminal shows and writes only those that change.
// These tests run a program with it into a terminal emulator and read the
// screen back, the way a client sees it.

type linesModel struct{ lines []string }

type setLines []string

func (m linesModel) Init() tea.Cmd { return nil }

func (m linesModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case setLines:
		m.lines = msg
	case tea.KeyPressMsg:
		return m, tea.Quit
	}
	return m, nil
}

func (m linesModel) View() tea.View {
	v := tea.NewView(strings.Join(m.lines, "\n"))
	v.AltScreen = true
	v.WindowTitle = "lines"
	return v
}

// terminal is an emulator the program writes to, keeping what each write
// said.
type terminal struct {
	mu     sync.Mutex
	em     *vt.Emulator
	writes []string
	wrote  chan struct{}
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.writes = append(t.writes, string(p))
	_, _ = t.em.Write(p)
	select {
	case t.wrote <- struct{}{}:
	default:
	}
	return len(p), nil
}

// screen is what the terminal shows, row by row, trailing blanks cut.
func (t *terminal) screen() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	rows := strings.Split(t.em.String(), "\n")
	for i, r := range rows {
		rows[i] = strings.TrimRight(r, " ")
	}
	return rows
}

// since is everything written after the first n writes.
func (t *terminal) since(n int) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.writes[n:], "")
}

func (t *terminal) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.writes)
}

// waitFor waits until the screen's first rows are want.
func (t *terminal) waitFor(tb testing.TB, want ...string) {
	tb.Helper()
	deadline := time.After(10 * time.Second)
	for {
		got := t.screen()
		if len(got) >= len(want) && slicesEqual(got[:len(want)], want) {
			return
		}
		select {
		case <-t.wrote:
		case <-deadline:
			tb.Fatalf("the screen shows\n%s\nwant its first rows to be\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func startLines(t *testing.T, w, h int, profile colorprofile.Profile, lines ...string) (*tea.Program, *terminal, chan error) {
	t.Helper()
	term := &terminal{em: vt.NewEmulator(w, h), wrote: make(chan struct{}, 1)}
	go func() { _, _ = bytes.NewBuffer(nil).ReadFrom(term.em) }() // the emulator's replies go nowhere
	p := tea.NewProgram(linesModel{lines: lines},
		tea.WithInput(nil), tea.WithOutput(term), tea.WithWindowSize(w, h),
		tea.WithColorProfile(profile), tea.WithoutSignalHandler(),
		tea.WithFPS(FPS), tea.WithRenderOnChange(), tea.WithLineRenderer())
	done := make(chan error, 1)
	go func() {
		_, err := p.Run()
		done <- err
	}()
	t.Cleanup(func() {
		p.Kill()
		<-done
	})
	return p, term, done
}

func TestLineRendererDrawsOnlyChangedLines(t *testing.T) {
	p, term, _ := startLines(t, 20, 5, colorprofile.TrueColor, "one", "two", "three")
	term.waitFor(t, "one", "two", "three", "", "")
	term.mu.Lock()
	alt, hidden := term.em.IsAltScreen(), term.em.CursorHidden()
	term.mu.Unlock()
	if !alt || !hidden {
		t.Errorf("alternate screen %t, cursor hidden %t; want both", alt, hidden)
	}

	n := term.count()
	p.Send(setLines{"one", "TWO", "three"})
	term.waitFor(t, "one", "TWO", "three", "", "")
	out := term.since(n)
	if !strings.Contains(out, ansi.CursorPosition(1, 2)) || strings.Contains(out, ansi.CursorPosition(1, 1)) || strings.Contains(out, ansi.CursorPosition(1, 3)) {
		t.Errorf("a change of the second line wrote %q; want only the second row drawn", out)
	}

	// A shorter line leaves nothing of the longer one; lines may go.
	p.Send(setLines{"o", "TWO"})
	term.waitFor(t, "o", "TWO", "", "", "")

	// A line wider than the window is cut at the edge: nothing wraps
	// or scrolls, even on the last row.
	p.Send(setLines{"top", "", "", "", strings.Repeat("x", 30)})
	term.waitFor(t, "top", "", "", "", strings.Repeat("x", 20))

	// Wide characters take two cells.
	p.Send(setLines{"日本 ok", "TWO"})
	term.waitFor(t, "日本 ok", "TWO", "", "", "")
}

func TestLineRendererResetsStylesBetweenLines(t *testing.T) {
	p, term, _ := startLines(t, 20, 3, colorprofile.TrueColor, "a")
	term.waitFor(t, "a")
	// A line that leaves its style open must not colour the next.
	p.Send(setLines{"\x1b[1;31mred", "plain"})
	term.waitFor(t, "red", "plain")
	term.mu.Lock()
	red, plain := term.em.CellAt(0, 0), term.em.CellAt(0, 1)
	term.mu.Unlock()
	if red.Style.Fg == nil || plain.Style.Fg != nil || plain.Style.Attrs != 0 {
		t.Errorf("first row style %+v, second %+v; want the second plain", red.Style, plain.Style)
	}
}

func TestLineRendererConvertsColoursForTheTerminal(t *testing.T) {
	line := lipgloss.NewStyle().Foreground(lipgloss.Color("#5A3FC0")).Render("accent")
	_, term, _ := startLines(t, 20, 3, colorprofile.ANSI256, line)
	term.waitFor(t, "accent")
	out := term.since(0)
	if strings.Contains(out, "38;2;") {
		t.Errorf("a 256-colour terminal was sent true colour: %q", out)
	}
	term.mu.Lock()
	fg := term.em.CellAt(0, 0).Style.Fg
	term.mu.Unlock()
	if _, ok := fg.(ansi.IndexedColor); !ok {
		t.Errorf("the text's colour is %#v; want one of the 256", fg)
	}
	var _ color.Color = fg
}

func TestLineRendererRedrawsAfterAResize(t *testing.T) {
	p, term, _ := startLines(t, 20, 3, colorprofile.TrueColor, "one", "two", "three")
	term.waitFor(t, "one", "two", "three")
	term.mu.Lock()
	term.em.Resize(10, 4)
	term.em.Write([]byte("\x1b[H\x1b[2J")) // a terminal may lose what it showed
	term.mu.Unlock()
	p.Send(tea.WindowSizeMsg{Width: 10, Height: 4})
	term.waitFor(t, "one", "two", "three", "")
}

func TestLineRendererGivesTheTerminalBack(t *testing.T) {
	p, term, done := startLines(t, 20, 3, colorprofile.TrueColor, "one")
	term.waitFor(t, "one")
	n := term.count()
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	done <- nil // for the cleanup
	out := term.since(n)
	for _, want := range []string{ansi.ResetModeAltScreenSaveCursor, ansi.SetModeTextCursorEnable, ansi.SetModeAutoWrap, ansi.ResetModeBracketedPaste, ansi.SetWindowTitle("")} {
		if !strings.Contains(out, want) {
			t.Errorf("on leaving, the program wrote %q: missing %q", out, want)
		}
	}
	term.mu.Lock()
	alt := term.em.IsAltScreen()
	term.mu.Unlock()
	if alt {
		t.Error("still on the alternate screen after leaving")
	}
}
