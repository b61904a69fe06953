package tui

import (
	"fmt"
	"net"
	"strconv"

	"charm.land/ssh"
	"charm.land/wish/v2"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/review"
)

// The review commands served over SSH: `ssh -p 2222 host history`,
// `... attendance [SERIES]` and `... export ID --format md|json|csv`. They
// need no terminal: output goes to standard output, a refusal or a
// mistake is one line on standard error with exit status 1. They are the
// way to read the database while the server holds it (bbolt lets one
// process open it). Who may run them follows session.Hub.MayExport, the
// rule the close screen's export follows too: history lists and export
// takes the meetups the key may export (every one for the server's
// facilitators, the ones they facilitated for co-facilitators);
// attendance, which counts every meetup of a series, is for the server's
// facilitators only.

// exportsOf is the archive one person may export, read once per command.
type exportsOf struct {
	hub     *session.Hub
	who     session.PersonID
	meetups []*session.Meetup
}

func (a exportsOf) Archive() ([]*session.Meetup, error) { return a.meetups, nil }
func (a exportsOf) Events(id string) ([]session.Event, error) {
	return a.hub.Events(a.who, id)
}

// commands answers the review commands; any other session goes on to
// the terminal app.
func (s *Server) commands(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		args := sess.Command()
		if len(args) == 0 || !review.IsCommand(args[0]) {
			next(sess)
			return
		}
		id := identify(sess)
		if ps, ok := s.sessions.Load(sess); ok {
			id = ps.(*perSession).id
		}
		prog := sshPrefix(sess.LocalAddr())
		fac := s.hub.IsFacilitator(id.ID)
		switch {
		case id.Keyless:
			wish.Fatalln(sess, "convene: "+args[0]+" needs the SSH key you facilitate with, and you connected without one: "+prog+" -i KEYFILE "+args[0])
			return
		case args[0] == "attendance" && !fac:
			wish.Fatalln(sess, "convene: attendance counts every meetup of a series, so only this server's facilitator keys can run it")
			return
		}
		ms, err := s.hub.Exports(id.ID)
		switch {
		case err != nil:
			wish.Fatalln(sess, "convene: "+err.Error())
			return
		case len(ms) == 0 && !fac:
			wish.Fatalln(sess, "convene: "+session.ErrNotReviewer.Error()+"; yours is not one of this server's facilitator keys, and you have not facilitated a meetup here")
			return
		case args[0] == "export" && !fac:
			// Not only "no such meetup" for one they came to but did
			// not facilitate: say why.
			if m := s.notExportable(id.ID, args[1:]); m != nil {
				wish.Fatalln(sess, fmt.Sprintf("convene export: %v, and you were not one of %q", session.ErrNotReviewer, m.Title))
				return
			}
		}
		s.log.Info("review command", "person", string(id.ID), "command", args[0])
		status := review.Run(args[0], args[1:], exportsOf{s.hub, id.ID, ms}, review.Env{Stdout: sess, Stderr: sess.Stderr(), Prog: prog})
		_ = sess.Exit(status)
	}
}

// notExportable is the meetup args name that who came to but may not
// export, or nil.
func (s *Server) notExportable(who session.PersonID, args []string) *session.Meetup {
	seen, err := s.hub.Archive(who)
	if err != nil {
		return nil
	}
	for _, a := range args {
		if m, err := review.Find(seen, a); err == nil && !s.hub.MayExport(who, m) {
			return m
		}
	}
	return nil
}

// sshPrefix is the start of the ssh command that reaches this server at
// the address a client connected to: "ssh -p 2222 192.168.1.20".
func sshPrefix(local net.Addr) string {
	host, port := "localhost", "2222"
	if a, ok := local.(*net.TCPAddr); ok {
		port = strconv.Itoa(a.Port)
		if !a.IP.IsLoopback() && !a.IP.IsUnspecified() {
			host = a.IP.String()
		}
	}
	return "ssh -p " + port + " " + host
}

// exportCommand is the exact command that exports a meetup as the
// Markdown write-up, for those who may export it to copy: the close screen and the
// history show it.
func exportCommand(prefix, code string) string {
	return prefix + " export " + session.FormatCode(code) + " --format md > meetup.md"
}
