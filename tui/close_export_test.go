package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/convene/convene/session"
)

// TestCloseExportAndWriteUp: on the close a facilitator's e shows the
// exact command that exports the meetup (with the address they connected
// to) and w the write-up, each scrollable, esc back; a participant's e or
// w gets the refusal line.
func TestCloseExportAndWriteUp(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			ow := closeWorld(t, size.w, size.h)
			fac := ow.screens[hostID]
			fac.ssh = "ssh -p 2305 127.0.0.1"
			ow.screens[hostID] = fac
			code := session.FormatCode(ow.room.State().Code)
			if v := ow.view(hostID); !strings.Contains(v, "e export") || !strings.Contains(v, "w write-up") {
				t.Fatalf("the close does not offer the export and the write-up:\n%s", v)
			}
			if v := ow.view(anaID); strings.Contains(v, "e export") {
				t.Fatalf("a participant is offered the export:\n%s", v)
			}

			ow.press(hostID, "e")
			v := ow.view(hostID)
			checkFits(t, ow.screens[hostID], "close export")
			cmd := strings.Join(commandLines("ssh -p 2305 127.0.0.1 export "+code+" --format md > meetup.md", 200), "")
			m := ow.screens[hostID]
			hint := ansi.Strip(strings.Join(m.room.act.(closeScreen).shown(m.frame(), 40), "\n"))
			if !strings.Contains(v, "Export this meetup") || !strings.Contains(v, "ssh -p 2305 127.0.0.1 export COD-E00") ||
				!strings.Contains(strings.ReplaceAll(hint, " \\\n  ", " "), cmd) {
				t.Fatalf("e does not show the export command:\n%s", v)
			}
			if strings.Contains(v, "tab agenda") || !strings.Contains(v, "esc back") {
				t.Errorf("the export does not take every key or does not say how to go back:\n%s", v)
			}
			if size.w == 80 {
				golden.RequireEqual(t, v)
			}
			// The room's keys do not act while it is open: n moves nothing.
			cur := ow.room.State().Current
			ow.press(hostID, "n")
			if ow.room.State().Current != cur {
				t.Fatalf("n moved the meetup on under the export")
			}

			ow.press(hostID, "w")
			v = ow.view(hostID)
			checkFits(t, ow.screens[hostID], "close write-up")
			if !strings.Contains(v, "Write-up") || !strings.Contains(v, "# Housing officers") {
				t.Fatalf("w does not show the write-up:\n%s", v)
			}
			before := v
			ow.press(hostID, "pgdown", "pgdown", "pgdown")
			v = ow.view(hostID)
			checkFits(t, ow.screens[hostID], "close write-up scrolled")
			if v == before || !strings.Contains(v, "above") {
				t.Fatalf("pgdown did not scroll the write-up:\n%s", v)
			}
			if size.h == 24 {
				ow.press(hostID, "pgdown", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown")
				if v := ow.view(hostID); !strings.Contains(v, "## Actions") && !strings.Contains(v, "| 3 | Share the training plan") {
					t.Errorf("the write-up does not scroll to its actions:\n%s", v)
				}
			}
			ow.press(hostID, "esc")
			if v := ow.view(hostID); !strings.Contains(v, "Outcomes") || strings.Contains(v, "Write-up") {
				t.Fatalf("esc did not go back to the outcomes:\n%s", v)
			}

			for _, k := range []string{"e", "w"} {
				ow.press(anaID, k)
				if v := ow.view(anaID); !strings.Contains(v, "Only a facilitator can do that") || strings.Contains(v, "Export this meetup") || strings.Contains(v, "Write-up") {
					t.Fatalf("a participant's %s is not refused:\n%s", k, v)
				}
			}

		})
	}
}

// TestCloseExportByRole: the close's e follows session.Hub.MayExport: a
// co-facilitator is shown the export command, as the facilitator is;
// one who connected without a key is told why no command is shown,
// since the server could not know them on another connection, and still
// reads the write-up.
func TestCloseExportByRole(t *testing.T) {
	ow := closeWorld(t, 120, 40)
	ow.do(hostID, session.SetRole{Person: cyID, Role: session.RoleCoFacilitator})
	// plain shows every meetup's code as COD-E00, for the goldens.
	cmd := "export COD-E00 --format md > meetup.md"
	ow.press(cyID, "e")
	if v := ow.view(cyID); !strings.Contains(v, cmd) {
		t.Fatalf("the co-facilitator's e does not show the export command:\n%s", v)
	}
	ow.press(cyID, "esc")

	m := ow.screens[cyID]
	m.me.Keyless = true
	ow.screens[cyID] = m
	ow.press(cyID, "e")
	if v := ow.view(cyID); strings.Contains(v, cmd) || !strings.Contains(v, "You connected without an SSH key") {
		t.Fatalf("a keyless co-facilitator is shown a command they cannot run:\n%s", v)
	}
	ow.press(cyID, "w")
	if v := ow.view(cyID); !strings.Contains(v, "# Housing officers") {
		t.Fatalf("a keyless co-facilitator's w does not show the write-up:\n%s", v)
	}
}
