// Package sshtest drives real SSH sessions against a server under test and
// reads what they show through a terminal emulator, for end-to-end tests and
// load tools.
//
// A [Client] is one SSH session made with golang.org/x/crypto/ssh. Its output
// (stdout and stderr, as a real terminal shows both) is fed to a
// github.com/charmbracelet/x/vt emulator, whose screen is read as text with
// [Client.Screen] and waited on with [Client.WaitFor], [Client.WaitGone] and
// [Client.WaitUntil]. Input is sent with [Client.Type] (raw bytes),
// [Client.Press] (named keys, see [KeySequence]) and [Client.Paste];
// [Client.Resize] changes the window size. The emulator's answers to terminal
// queries are forwarded to the session's stdin, as a terminal would.
//
// Typical test:
//
//	c := sshtest.MustDial(t, addr, sshtest.Options{User: "alice", Signer: sshtest.NewSigner(t)})
//	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
//	defer cancel()
//	if err := c.WaitFor(ctx, "Welcome"); err != nil {
//		t.Fatal(err) // the error carries a framed screenshot
//	}
//	c.Press("down", "enter")
//	c.Type("hello\r")
//	status, err := c.WaitExit(ctx)
//
// Every method is safe for concurrent use and works under -race. The
// client's goroutines end when the session ends or Close is called.
//
// # What to know about Bubble Tea v2 over wish, seen through vt
//
// Observed with bubbletea v2.1.1, wish v2.0.5, charm.land/ssh v0.4.3 and
// x/vt v0.1.0:
//
//   - vt answers queries by writing into a synchronous io.Pipe from inside
//     Emulator.Write. If nobody reads Emulator.Read, the first query blocks
//     Write for ever, and Bubble Tea queries at once. The Client pumps the
//     replies to stdin in its own goroutine. Anyone using vt directly must
//     do the same, and must not call Emulator.Close while another goroutine
//     is in Emulator.Read: its closed flag is not synchronised and -race
//     flags it. (The Client closes the pipe writer from InputPipe instead.)
//
//   - At start-up Bubble Tea writes DECRQM for modes 2026 (synchronized
//     output) and 2027 (unicode core), hides the cursor, enables bracketed
//     paste, sets the title (OSC 2 ... BEL) if the view has one, and sends
//     modifyOtherKeys (CSI > 4 ; 2 m), a kitty keyboard push (CSI > 1 u) and
//     query (CSI ? u). vt answers "not recognised" to both DECRQM (so
//     Bubble Tea keeps synchronized output off and measures widths with
//     wcwidth), ignores modifyOtherKeys and kitty, and never answers CSI ? u:
//     no tea.KeyboardEnhancementsMsg arrives and keys are sent in the legacy
//     xterm encoding (which is what Press sends). Bubble Tea never waits for
//     a reply, so unanswered queries do not stall the app; the answers that
//     do come (tea.ModeReportMsg, tea.BackgroundColorMsg, ...) reach Update
//     interleaved with key presses.
//
//   - vt answers an OSC 11 background-colour query with black, so the app
//     sees a dark terminal. Set Options.Background to test a light one.
//
//   - Frames are rendered at most 60 times a second and only the latest
//     state is drawn: the screen lags the model by up to a frame and
//     intermediate states may never appear. Wait for text; never read
//     Screen right after Press and expect the update.
//
//   - The inline renderer repaints with relative cursor moves and partial
//     line updates (e.g. ESC [ 3 A ESC [ 2 D "dark"), so the raw
//     [Client.Output] does not contain the screen's text in order. Assert on
//     Screen; use Output only to check that some byte sequence (such as a
//     raw control sequence typed by a user) never reached the terminal.
//
//   - A lone ESC is ambiguous: Bubble Tea waits 50ms for the rest of a
//     sequence and glues whatever arrives in that window to it. "esc"
//     followed at once by "y" reaches the app as "alt+y" every time, even
//     as two separate writes. Press pauses [EscDelay] after a bare esc; if
//     you Type a raw "\x1b", pause yourself.
//
//   - wish/charm.land/ssh emulate the PTY by default (no real pty unless the
//     server uses ssh.AllocatePty): there is no line discipline, so ctrl+c
//     reaches the app as a tea.KeyPressMsg "ctrl+c" (not SIGINT) and the app
//     must handle it; stdout and stderr have "\n" turned into "\r\n".
//
//   - With v.AltScreen the app switches to the alternate screen (CSI ? 1049
//     h). When the program quits, Bubble Tea leaves it, and the emulator
//     shows the main screen again, still holding whatever was drawn there
//     before the switch (typically a stale first frame), not the last frame.
//     Check the final frame before quitting. An inline (non-alt-screen)
//     program's final frame stays on screen after it exits. On exit Bubble
//     Tea also clears the window title, shows the cursor and turns
//     bracketed paste off.
//
//   - tea.Raw("\a") writes the BEL as is on the next flush: [Client.Bells]
//     counts it. The BEL that ends an OSC (the title is re-sent whenever it
//     changes) is not a bell: Bells counts vt's Bell callback, which the
//     parser calls only for a BEL outside OSC/DCS/APC strings.
//
//   - Bubble Tea enables bracketed paste, so [Client.Paste] arrives as one
//     tea.PasteMsg, not as key presses.
//
//   - A window-change request reaches the model as tea.WindowSizeMsg
//     through the wish bubbletea middleware. Resize resizes the emulator
//     first, so the redraw lands on the new size.
//
//   - The wish bubbletea middleware calls the handler (creating the model)
//     before it checks for a PTY, and refuses PTY-less sessions itself with
//     "no active terminal, skipping" on stderr and exit status 1. A custom
//     no-PTY message needs a middleware that runs before it, i.e. listed
//     after it in wish.WithMiddleware (the last one listed runs first).
//
//   - charm.land/ssh sends exit status 0 when the handler returns without
//     calling sess.Exit. Stderr written before Exit reaches
//     [Client.Stderr] before [Client.Wait] returns.
//
//   - wish.NewServer without a host-key option writes id_ed25519 into the
//     working directory. Use wish.WithHostKeyPath (it creates the key if
//     missing); a kept key gives the same [Client.HostKeyFingerprint] across
//     restarts.
//
//   - charm.land/ssh offers keyboard-interactive only when a
//     KeyboardInteractiveHandler is set; Dial without a Signer against a
//     server without one fails with "unable to authenticate". A server with
//     no auth handler at all accepts everyone without authentication.
package sshtest
