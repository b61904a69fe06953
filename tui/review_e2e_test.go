package tui_test

import (
	"context"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/tui/sshtest"
)

// sshExec runs one command over SSH without a terminal and returns its exit
// status, standard output and standard error.
func sshExec(t *testing.T, addr string, signer gossh.Signer, command string) (int, string, string) {
	t.Helper()
	c, err := sshtest.Dial(waitCtx(t), addr, sshtest.Options{Signer: signer, NoPTY: true, Command: command})
	must(t, err)
	defer c.Close()
	status, _ := c.WaitExit(waitCtx(t))
	return status, c.Stdout(), c.Stderr()
}

// TestReviewOverSSH: while the server runs (and holds the database), a
// facilitator's key reads the history and exports a meetup over SSH; a
// co-facilitator's key lists and exports the meetup they co-facilitated,
// and is refused another they only came to, and the attendance; a
// participant's key, and someone without a key, are refused.
func TestReviewOverSSH(t *testing.T) {
	fac, ana, cy := sshtest.NewSigner(t), sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts := newTestServer(t, t.TempDir(), fac)
	ts.start()
	facID := session.PersonID(gossh.FingerprintSHA256(fac.PublicKey()))
	anaID := session.PersonID(gossh.FingerprintSHA256(ana.PublicKey()))
	cyID := session.PersonID(gossh.FingerprintSHA256(cy.PublicKey()))
	ctx := context.Background()
	other, err := ts.hub.Create(ctx, facID, "Tenants' forum", "")
	must(t, err)
	sub, err := other.Enter(ctx, cyID, "Cy")
	must(t, err)
	defer sub.Close()
	r, err := ts.hub.CreateInSeries(ctx, facID, "Housing officers, November", "", "Officers")
	must(t, err)
	for id, name := range map[session.PersonID]string{facID: "Hana", anaID: "Ana", cyID: "Cy"} {
		sub, err := r.Enter(ctx, id, name)
		must(t, err)
		defer sub.Close()
	}
	must(t, r.Do(ctx, facID, session.SetRole{Person: cyID, Role: session.RoleCoFacilitator}))
	must(t, r.Do(ctx, facID, session.AddAction{Text: "Write to the council", Owner: anaID}))
	must(t, r.Do(ctx, facID, session.End{}))
	code := session.FormatCode(r.State().Code)
	otherCode := session.FormatCode(other.State().Code)

	status, out, errs := sshExec(t, ts.addr, fac, "export "+code+" --format md")
	if status != 0 || !strings.HasPrefix(out, "# Housing officers, November") || !strings.Contains(out, "Write to the council") {
		t.Fatalf("facilitator export = %d\nstdout:\n%s\nstderr: %q", status, out, errs)
	}
	status, out, _ = sshExec(t, ts.addr, fac, "history --json")
	if status != 0 || !strings.Contains(out, `"code": "`+code+`"`) {
		t.Fatalf("facilitator history --json = %d\n%s", status, out)
	}
	status, out, _ = sshExec(t, ts.addr, fac, "attendance Officers")
	if status != 0 || !strings.Contains(out, "Ana") {
		t.Fatalf("facilitator attendance = %d\n%s", status, out)
	}
	status, out, errs = sshExec(t, ts.addr, fac, "export NOPE99")
	if status != 1 || out != "" || !strings.Contains(errs, "no meetup has that ID or code") {
		t.Fatalf("export of an unknown code = %d %q %q; want 1 and a line on stderr", status, out, errs)
	}

	// Cy co-facilitated the meetup: Cy's key lists it and exports it,
	// the log with it, but not the forum Cy only came to.
	status, out, errs = sshExec(t, ts.addr, cy, "history")
	if status != 0 || !strings.Contains(out, code) || strings.Contains(out, otherCode) {
		t.Fatalf("co-facilitator history = %d %q %q; want the meetup Cy co-facilitated alone", status, out, errs)
	}
	status, out, errs = sshExec(t, ts.addr, cy, "export "+code+" --format md")
	if status != 0 || !strings.HasPrefix(out, "# Housing officers, November") {
		t.Fatalf("co-facilitator export = %d %q %q", status, out, errs)
	}
	status, out, errs = sshExec(t, ts.addr, cy, "export "+code+" --format json")
	if status != 0 || !strings.Contains(out, `"kind": "create"`) {
		t.Fatalf("co-facilitator export --format json = %d %q %q; want the meetup with its log", status, out, errs)
	}
	status, out, errs = sshExec(t, ts.addr, cy, "export "+otherCode+" --format md")
	if status != 1 || out != "" || !strings.Contains(errs, `you were not one of "Tenants' forum"`) {
		t.Fatalf("co-facilitator export of a meetup Cy only came to = %d %q %q; want 1 and a refusal", status, out, errs)
	}
	status, out, errs = sshExec(t, ts.addr, cy, "attendance Officers")
	if status != 1 || out != "" || !strings.Contains(errs, "only this server's facilitator keys") {
		t.Fatalf("co-facilitator attendance = %d %q %q; want 1 and a refusal", status, out, errs)
	}

	// Ana came to the meetup, but a participant's key cannot export.
	for _, cmd := range []string{"export " + code + " --format md", "history"} {
		status, out, errs = sshExec(t, ts.addr, ana, cmd)
		if status != 1 || out != "" || !strings.Contains(errs, session.ErrNotReviewer.Error()) {
			t.Fatalf("participant %s = %d %q %q; want 1 and a refusal", cmd, status, out, errs)
		}
	}
	status, _, errs = sshExec(t, ts.addr, nil, "history")
	if status != 1 || !strings.Contains(errs, "needs the SSH key you facilitate with") {
		t.Fatalf("keyless history = %d %q; want 1 and a refusal", status, errs)
	}
}
