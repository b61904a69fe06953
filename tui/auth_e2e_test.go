package tui_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/tui/sshtest"
)

// impostor offers one key (a facilitator's public key, which is no secret)
// but signs with another: the signature cannot verify.
type impostor struct {
	pub  gossh.PublicKey
	real gossh.Signer
}

func (s impostor) PublicKey() gossh.PublicKey { return s.pub }
func (s impostor) Sign(rand io.Reader, data []byte) (*gossh.Signature, error) {
	return s.real.Sign(rand, data)
}

// TestOfferedKeyIsNotIdentity is a regression test for the classic
// public-key authentication bypass: a server that takes the identity from
// a key the client merely offered, rather than from the key it proved,
// lets anyone who knows a facilitator's public key in as that facilitator.
// Here the client offers the facilitator's key with a signature made by
// another key, then falls back to its own key or to keyboard-interactive;
// it must not be let in as the facilitator. (x/crypto's client signs every
// key the server accepts, and x/crypto's server ends the connection on a
// bad signature; the offer-without-signature path is covered with the
// OpenSSH client in TestOfferedKeyIsNotIdentityOpenSSH.)
func TestOfferedKeyIsNotIdentity(t *testing.T) {
	fac, attacker := sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts := newTestServer(t, t.TempDir(), fac)
	ts.start()

	// lobby returns the lobby a client gets, or "" when it is not let in
	// at all (x/crypto ends the connection on a bad signature).
	lobby := func(auth ...gossh.AuthMethod) string {
		t.Helper()
		ctx := waitCtx(t)
		c, err := sshtest.Dial(ctx, ts.addr, sshtest.Options{User: "x", Auth: auth})
		if err != nil {
			t.Logf("not let in: %v", err)
			return ""
		}
		t.Cleanup(func() { _ = c.Close() })
		inLobby := func(s string) bool {
			return strings.Contains(s, "Join a meetup") || strings.Contains(s, "Meetups on this server")
		}
		must(t, c.WaitUntil(ctx, "the lobby or the name screen", func(s string) bool {
			return strings.Contains(s, "call you") || inLobby(s)
		}))
		if strings.Contains(c.Screen(), "call you") {
			must(t, c.Press("enter"))
		}
		must(t, c.WaitUntil(ctx, "the lobby", inLobby))
		return c.Screen()
	}
	isFacilitator := func(screen string) bool { return strings.Contains(screen, "c create") }

	// The controls: the facilitator's own key is a facilitator's lobby;
	// the attacker's own key is let in, as a participant.
	if s := lobby(gossh.PublicKeys(attacker)); s == "" || isFacilitator(s) {
		t.Fatalf("the attacker's own key was not let in as a participant:\n%s", s)
	}
	if s := lobby(gossh.PublicKeys(fac)); !isFacilitator(s) {
		t.Fatalf("the facilitator's lobby offers no create:\n%s", s)
	}
	fake := impostor{pub: fac.PublicKey(), real: attacker}
	kbd := gossh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
		return make([]string, len(qs)), nil
	})
	for name, auth := range map[string][]gossh.AuthMethod{
		"then its own key":              {gossh.PublicKeys(fake, attacker)},
		"then keyboard-interactive":     {gossh.PublicKeys(fake), kbd},
		"its own key in a later method": {gossh.PublicKeys(fake), gossh.PublicKeys(attacker)},
	} {
		if s := lobby(auth...); isFacilitator(s) {
			t.Errorf("a client offering the facilitator's key %s was let in as the facilitator:\n%s", name, s)
		}
	}
}

// syncBuffer is a bytes.Buffer for a log written from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestOfferedKeyIsNotIdentityOpenSSH offers the facilitator's public key
// without proving it, the way the attack is made: OpenSSH reads the public
// half from fac.pub, offers it, the server accepts the offer, OpenSSH
// cannot load the private half (the attacker does not have it) and goes
// on to its own key, which it proves. The server must know the client by
// the key it proved.
func TestOfferedKeyIsNotIdentityOpenSSH(t *testing.T) {
	sshBin, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("no OpenSSH client on this machine; TestOfferedKeyIsNotIdentity covers x/crypto's")
	}
	dir := t.TempDir()
	keyFile := func(name string) (gossh.Signer, string) {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		must(t, err)
		signer, err := gossh.NewSignerFromKey(priv)
		must(t, err)
		block, err := gossh.MarshalPrivateKey(priv, "")
		must(t, err)
		path := filepath.Join(dir, name)
		must(t, os.WriteFile(path, pem.EncodeToMemory(block), 0o600))
		must(t, os.WriteFile(path+".pub", gossh.MarshalAuthorizedKey(signer.PublicKey()), 0o600))
		return signer, path
	}
	fac, facPath := keyFile("fac")
	attacker, attackerPath := keyFile("attacker")
	// The attacker's copy of the facilitator's key: the public half, and
	// no private half they could use.
	fakePath := filepath.Join(dir, "fake")
	must(t, os.WriteFile(fakePath+".pub", gossh.MarshalAuthorizedKey(fac.PublicKey()), 0o600))
	must(t, os.WriteFile(fakePath, []byte("the attacker does not have this key\n"), 0o600))

	logs := &syncBuffer{}
	ts := newTestServer(t, dir, fac)
	ts.logTo = logs
	ts.start()
	_, port, _ := strings.Cut(ts.addr, ":")

	// who connects with the identity files given and returns the log line
	// of the connection: who the server took them for.
	who := func(identities ...string) string {
		t.Helper()
		before := len(logs.String())
		args := []string{"-F", "/dev/null", "-T", "-p", port, "-o", "StrictHostKeyChecking=no",
			"-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
			"-o", "PreferredAuthentications=publickey"}
		for _, id := range identities {
			args = append(args, "-i", id)
		}
		args = append(args, "x@127.0.0.1")
		out, _ := exec.CommandContext(waitCtx(t), sshBin, args...).CombinedOutput()
		for _, line := range strings.Split(logs.String()[before:], "\n") {
			if strings.Contains(line, "connect person=") && !strings.Contains(line, "disconnect") {
				return line
			}
		}
		t.Fatalf("ssh %v was not let in:\n%s", identities, out)
		return ""
	}
	fp := func(s gossh.Signer) string { return gossh.FingerprintSHA256(s.PublicKey()) }

	// The control: with the real key, the server knows the facilitator.
	if line := who(facPath); !strings.Contains(line, fp(fac)) {
		t.Fatalf("the facilitator's own key: %q; want %s", line, fp(fac))
	}
	line := who(fakePath, attackerPath)
	if strings.Contains(line, fp(fac)) || !strings.Contains(line, fp(attacker)) {
		t.Fatalf("offering the facilitator's key then proving another: %q; want %s, never %s", line, fp(attacker), fp(fac))
	}
}
