package tea

// convene: a local addition, see WithLineRenderer and CONVENE.md.

import (
	"bytes"
	"io"
	"strings"
	"sync"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// lineRenderer draws full-window frames line by line. It keeps the lines
// the terminal shows as strings, not as cells, and writes only the lines
// that differ from them: each from the start of its row, erased first, with
// the line's own styles. A server with a program per connection pays for a
// frame with a few hundred bytes of strings instead of two cell buffers of
// the window's size, and for a change with the changed lines only.
//
// It suits programs whose every line ends with its styles reset (lipgloss
// leaves lines so; a line that does not is followed by a reset) and that
// draw in the alternate screen. It supports the window title, bracketed
// paste, focus and mouse modes, the keyboard enhancements and the text
// cursor's position; not terminal colours, cursor shapes, progress bars or
// program status, which it leaves alone, nor lines printed above the
// program.
type lineRenderer struct {
	mu      sync.Mutex
	w       io.Writer
	buf     bytes.Buffer // what the next flush writes
	out     bytes.Buffer // one frame, being put together
	width   int
	height  int
	profile colorprofile.Profile
	method  ansi.Method
	noInput bool
	syncd   bool

	view     View
	rendered bool     // a view was given: before that there is nothing to draw
	lastView *View    // the last view drawn; nil: nothing drawn yet
	lines    []string // what each row shows; nil: draw every row
}

var _ renderer = &lineRenderer{}

func newLineRenderer(w io.Writer, width, height int) *lineRenderer {
	return &lineRenderer{w: w, width: width, height: height, profile: colorprofile.TrueColor}
}

func (s *lineRenderer) start() {}

func (s *lineRenderer) render(v View) {
	s.mu.Lock()
	s.view, s.rendered = v, true
	s.mu.Unlock()
}

func (s *lineRenderer) reset() {
	s.mu.Lock()
	s.lines = nil
	s.mu.Unlock()
}

func (s *lineRenderer) resize(w, h int) {
	s.mu.Lock()
	s.width, s.height = w, h
	s.lines = nil
	s.mu.Unlock()
}

func (s *lineRenderer) clearScreen() {
	s.mu.Lock()
	s.lines = nil
	s.mu.Unlock()
}

func (s *lineRenderer) setColorProfile(p colorprofile.Profile) {
	s.mu.Lock()
	if p != s.profile {
		s.profile = p
		s.lines = nil
	}
	s.mu.Unlock()
}

func (s *lineRenderer) setSyncdUpdates(syncd bool) {
	s.mu.Lock()
	s.syncd = syncd
	s.mu.Unlock()
}

func (s *lineRenderer) setWidthMethod(method ansi.Method) {
	s.mu.Lock()
	if method == ansi.GraphemeWidth {
		s.buf.WriteString(ansi.SetModeUnicodeCore)
	} else if s.method == ansi.GraphemeWidth {
		s.buf.WriteString(ansi.ResetModeUnicodeCore)
	}
	s.method = method
	s.mu.Unlock()
}

func (s *lineRenderer) writeString(str string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.WriteString(str) //nolint:wrapcheck
}

func (s *lineRenderer) insertAbove(string) error { return nil }

func (s *lineRenderer) onMouse(m MouseMsg) Cmd {
	var onMouse func(MouseMsg) Cmd
	s.mu.Lock()
	if s.lastView != nil {
		onMouse = s.lastView.OnMouse
	}
	s.mu.Unlock()
	if onMouse != nil {
		return onMouse(m)
	}
	return nil
}

func (s *lineRenderer) flush(closing bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()

	view := s.view
	if !s.rendered {
		return s.writeOut()
	}
	if s.lastView == nil || s.lines == nil || !viewEquals(s.lastView, &view) {
		s.draw(&view)
		s.lastView = &view
	}
	return s.writeOut()
}

// writeOut writes what is queued to the terminal.
func (s *lineRenderer) writeOut() error {
	if s.buf.Len() == 0 {
		return nil
	}
	_, err := s.w.Write(s.buf.Bytes())
	s.buf.Reset()
	if s.buf.Cap() > keptBuffer {
		// A whole frame's buffer is let go: most frames are a line or
		// two, and a server holds a renderer per connection.
		s.buf = bytes.Buffer{}
	}
	return err //nolint:wrapcheck
}

// keptBuffer is the most a renderer keeps of its buffers between frames.
const keptBuffer = 2048

// draw queues what changed from the last view to this one.
func (s *lineRenderer) draw(view *View) {
	last := s.lastView
	first := last == nil
	o := &s.out
	o.Reset()

	if first || last.AltScreen != view.AltScreen {
		if !first && !s.noInput {
			o.WriteString(ansi.ResetModifyOtherKeys + ansi.PopKittyKeyboard(1))
		}
		if view.AltScreen {
			o.WriteString(ansi.SetModeAltScreenSaveCursor)
		} else if !first {
			o.WriteString(ansi.ResetModeAltScreenSaveCursor)
		}
		// Long lines are cut at the edge instead of wrapping (and
		// scrolling the window when on the last row).
		o.WriteString(ansi.ResetModeAutoWrap)
		if !s.noInput {
			o.WriteString(ansi.SetModifyOtherKeys2)
			o.WriteString(ansi.PushKittyKeyboard(keyboardEnhancementsFlags(view.KeyboardEnhancements)))
			o.WriteString(ansi.RequestKittyKeyboard)
		}
		s.lines = nil
	} else if !s.noInput && last.KeyboardEnhancements != view.KeyboardEnhancements {
		o.WriteString(ansi.KittyKeyboard(keyboardEnhancementsFlags(view.KeyboardEnhancements), 1))
		o.WriteString(ansi.RequestKittyKeyboard)
	}
	if first || last.DisableBracketedPasteMode != view.DisableBracketedPasteMode {
		if !view.DisableBracketedPasteMode {
			o.WriteString(ansi.SetModeBracketedPaste)
		} else if !first {
			o.WriteString(ansi.ResetModeBracketedPaste)
		}
	}
	if first || last.ReportFocus != view.ReportFocus {
		if view.ReportFocus {
			o.WriteString(ansi.SetModeFocusEvent)
		} else if !first {
			o.WriteString(ansi.ResetModeFocusEvent)
		}
	}
	if first || last.MouseMode != view.MouseMode {
		if !first && last.MouseMode != MouseModeNone {
			o.WriteString(ansi.ResetModeMouseButtonEvent + ansi.ResetModeMouseAnyEvent + ansi.ResetModeMouseExtSgr)
		}
		switch view.MouseMode {
		case MouseModeNone:
		case MouseModeCellMotion:
			o.WriteString(ansi.SetModeMouseButtonEvent + ansi.SetModeMouseExtSgr)
		case MouseModeAllMotion:
			o.WriteString(ansi.SetModeMouseAnyEvent + ansi.SetModeMouseExtSgr)
		}
	}
	if (first && view.WindowTitle != "") || (!first && last.WindowTitle != view.WindowTitle) {
		o.WriteString(ansi.SetWindowTitle(view.WindowTitle))
	}
	cursorWas := !first && last.Cursor != nil
	if first || cursorWas {
		// The cursor stays hidden while rows are drawn.
		o.WriteString(ansi.ResetModeTextCursorEnable)
	}

	var rows bool
	if first || s.lines == nil || last.Content != view.Content {
		rows = s.drawRows(view.Content)
	}

	if c := view.Cursor; c != nil {
		o.WriteString(ansi.CursorPosition(c.X+1, c.Y+1))
		o.WriteString(ansi.SetModeTextCursorEnable)
	}
	if o.Len() == 0 {
		return
	}
	if s.syncd && rows {
		s.buf.WriteString(ansi.SetModeSynchronizedOutput)
		s.buf.Write(o.Bytes())
		s.buf.WriteString(ansi.ResetModeSynchronizedOutput)
	} else {
		s.buf.Write(o.Bytes())
	}
	if o.Cap() > keptBuffer {
		s.out = bytes.Buffer{}
	}
}

// drawRows queues the rows whose line changed, and reports whether there
// was any.
func (s *lineRenderer) drawRows(content string) bool {
	lines := strings.Split(strings.ReplaceAll(content, "\r\n", "\n"), "\n")
	if len(lines) > s.height {
		lines = lines[:s.height]
	}
	old := s.lines
	drew := false
	for y := range s.height {
		var l string
		if y < len(lines) {
			l = lines[y]
		}
		if old != nil && y < len(old) && old[y] == l {
			continue
		}
		if old != nil && y >= len(old) && l == "" {
			continue // the row was left blank and stays blank
		}
		drew = true
		s.out.WriteString(ansi.CursorPosition(1, y+1))
		s.out.WriteString(ansi.EraseEntireLine)
		s.out.WriteString(convertLine(s.profile, l))
	}
	s.lines = lines
	return drew
}

// close restores the terminal as the program found it.
func (s *lineRenderer) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if lv := s.lastView; lv != nil {
		if !s.noInput {
			s.buf.WriteString(ansi.ResetModifyOtherKeys + ansi.PopKittyKeyboard(1))
		}
		s.buf.WriteString(ansi.CursorPosition(1, max(s.height, 1)))
		s.buf.WriteString(ansi.SetModeAutoWrap)
		if lv.AltScreen {
			s.buf.WriteString(ansi.ResetModeAltScreenSaveCursor)
		} else {
			s.buf.WriteString(ansi.EraseScreenBelow)
		}
		s.buf.WriteString(ansi.SetModeTextCursorEnable)
		if !lv.DisableBracketedPasteMode {
			s.buf.WriteString(ansi.ResetModeBracketedPaste)
		}
		if lv.ReportFocus {
			s.buf.WriteString(ansi.ResetModeFocusEvent)
		}
		if lv.MouseMode != MouseModeNone {
			s.buf.WriteString(ansi.ResetModeMouseButtonEvent + ansi.ResetModeMouseAnyEvent + ansi.ResetModeMouseExtSgr)
		}
		if lv.WindowTitle != "" {
			s.buf.WriteString(ansi.SetWindowTitle(""))
		}
	}
	if s.method == ansi.GraphemeWidth {
		s.buf.WriteString(ansi.ResetModeUnicodeCore)
	}
	err := s.writeOut()
	s.lastView, s.lines = nil, nil
	return err
}

// lineEnd is what a line needs after it so that the next starts from the
// default style with no hyperlink open; "" for most lines.
func lineEnd(l string) string {
	i := strings.LastIndexByte(l, ansi.ESC)
	if i < 0 {
		return ""
	}
	end := ""
	if strings.Contains(l, "\x1b]8;") {
		end = ansi.ResetHyperlink()
	}
	if rest := l[i:]; rest != ansi.ResetStyle && rest != "\x1b[0m" {
		end = ansi.ResetStyle + end
	}
	return end
}

// convertedLines keeps lines as converted for a colour profile, for every
// program: the same lines are on many screens, and converting a line means
// parsing it.
var convertedLines = struct {
	sync.Mutex
	m map[convertKey]string
}{m: map[convertKey]string{}}

type convertKey struct {
	p colorprofile.Profile
	l string
}

const maxConvertedLines = 8192

// convertLine is the line as written to a terminal of that colour profile,
// ending with its styles reset.
func convertLine(p colorprofile.Profile, l string) string {
	end := lineEnd(l)
	if p == colorprofile.TrueColor || !strings.Contains(l, "\x1b") {
		if end == "" {
			return l
		}
		return l + end
	}
	k := convertKey{p, l}
	convertedLines.Lock()
	c, ok := convertedLines.m[k]
	convertedLines.Unlock()
	if ok {
		return c
	}
	var b bytes.Buffer
	w := colorprofile.Writer{Forward: &b, Profile: p}
	_, _ = w.WriteString(l + end)
	c = b.String()
	convertedLines.Lock()
	if len(convertedLines.m) >= maxConvertedLines {
		clear(convertedLines.m)
	}
	// The line is part of its frame: a key of its own, so that the cache
	// does not keep every frame it has seen.
	k.l = strings.Clone(l)
	convertedLines.m[k] = c
	convertedLines.Unlock()
	return c
}
