package tui

import (
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
// process open it), and only facilitators' keys may run them.

// archiveOf is the archive one person may read, through the hub.
type archiveOf struct {
	hub *session.Hub
	who session.PersonID
}

func (a archiveOf) Archive() ([]*session.Meetup, error) { return a.hub.Archive(a.who) }
func (a archiveOf) Events(id string) ([]session.Event, error) {
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
		switch {
		case id.Keyless:
			wish.Fatalln(sess, "convene: "+args[0]+" needs a facilitator's SSH key, and you connected without one: "+prog+" -i KEYFILE "+args[0])
			return
		case !s.hub.IsFacilitator(id.ID):
			wish.Fatalln(sess, "convene: "+session.ErrNotReviewer.Error()+"; yours is not one of this server's facilitator keys")
			return
		}
		s.log.Info("review command", "person", string(id.ID), "command", args[0])
		status := review.Run(args[0], args[1:], archiveOf{s.hub, id.ID}, review.Env{Stdout: sess, Stderr: sess.Stderr(), Prog: prog})
		_ = sess.Exit(status)
	}
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
// Markdown write-up, for a facilitator to copy: the close screen and the
// history show it.
func exportCommand(prefix, code string) string {
	return prefix + " export " + session.FormatCode(code) + " --format md > meetup.md"
}
