package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/store"
)

// syncBuffer is a bytes.Buffer safe to write from the server's goroutines.
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

func TestServeStartsStopsAndLocks(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	keys := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(keys, []byte("# facilitators\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl fran@example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := serveConfig{addr: "127.0.0.1:0", data: dir, facilitatorKeys: keys}
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, &out, log.New(&out)) }()

	deadline := time.Now().Add(10 * time.Second)
	// The banner's last line names the facilitator keys: wait for it.
	for !strings.Contains(out.String(), "ssh -p") || !strings.Contains(out.String(), "acilitator key") {
		if time.Now().After(deadline) {
			t.Fatalf("server never said how to join:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "1 facilitator key") {
		t.Errorf("startup output does not count the facilitator keys:\n%s", out.String())
	}
	for name, mode := range map[string]os.FileMode{"": 0o700, "host_ed25519": 0o600, "convene.db": 0o600} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s not created: %v", name, err)
		}
		if got := fi.Mode().Perm(); got != mode {
			t.Errorf("%s mode = %v; want %v", filepath.Join(dir, name), got, mode)
		}
	}

	// A second server on the same data folder fails at once and clearly.
	start := time.Now()
	err := serve(context.Background(), cfg, &bytes.Buffer{}, log.New(&bytes.Buffer{}))
	if !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second serve = %v; want ErrLocked", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("second serve took %v to fail", time.Since(start))
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after stop = %v; want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("serve did not stop within 10s of the signal")
	}
	// The database was closed: it opens again at once.
	db, err := store.Open(filepath.Join(dir, "convene.db"))
	if err != nil {
		t.Fatalf("reopen after stop: %v", err)
	}
	db.Close()
}

// The fingerprint in the banner is the one an SSH client sees when it
// connects, so people can check they reached this server.
func TestBannerFingerprintMatchesClient(t *testing.T) {
	cfg := serveConfig{addr: "127.0.0.1:0", data: t.TempDir(), facilitatorKeys: writeKeys(t)}
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, &out, log.New(&bytes.Buffer{})) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve = %v", err)
		}
	}()

	addrRE := regexp.MustCompile(`running on (\S+)\.\n`)
	fpRE := regexp.MustCompile(`\n  ED25519 key fingerprint is (SHA256:[A-Za-z0-9+/]+)\n`)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "acilitator key") {
		if time.Now().After(deadline) {
			t.Fatalf("server never printed its banner:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	banner := out.String()
	addr, fp := addrRE.FindStringSubmatch(banner), fpRE.FindStringSubmatch(banner)
	if addr == nil || fp == nil {
		t.Fatalf("banner lacks the address or the host key fingerprint:\n%s", banner)
	}

	// Take the host key from the handshake, then hang up.
	var seen gossh.PublicKey
	errSeen := errors.New("seen the host key")
	_, err := gossh.Dial("tcp", addr[1], &gossh.ClientConfig{
		User: "checker",
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			seen = key
			return errSeen
		},
		Timeout: 10 * time.Second,
	})
	if !errors.Is(err, errSeen) {
		t.Fatalf("dial %s = %v; want the handshake to reach the host key", addr[1], err)
	}
	if got := gossh.FingerprintSHA256(seen); got != fp[1] {
		t.Fatalf("banner shows %s; the client sees %s (%s)", fp[1], got, seen.Type())
	}
}

func writeKeys(t *testing.T) string {
	t.Helper()
	keys := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(keys, []byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl fran@example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestServeFlags(t *testing.T) {
	t.Setenv("CONVENE_ADDR", ":3333")
	t.Setenv("CONVENE_DATA", "/tmp/x")
	t.Setenv("CONVENE_FACILITATOR_KEYS", "/tmp/k")
	cfg, err := parseServe(nil, &bytes.Buffer{})
	if err != nil || cfg.addr != ":3333" || cfg.data != "/tmp/x" || cfg.facilitatorKeys != "/tmp/k" {
		t.Fatalf("env config = %+v, %v", cfg, err)
	}
	cfg, err = parseServe([]string{"--addr", ":4444"}, &bytes.Buffer{})
	if err != nil || cfg.addr != ":4444" {
		t.Fatalf("flag beats env: %+v, %v", cfg, err)
	}
	t.Setenv("CONVENE_DATA", "")
	t.Setenv("XDG_DATA_HOME", "/xdg")
	if cfg, _ := parseServe(nil, &bytes.Buffer{}); cfg.data != "/xdg/convene" {
		t.Fatalf("data with XDG_DATA_HOME = %q", cfg.data)
	}
	if cfg, err := parseServe(nil, &bytes.Buffer{}); err != nil || cfg.connsPerAddress != 60 {
		t.Fatalf("default new connections per address = %d, %v; want 60", cfg.connsPerAddress, err)
	}
	t.Setenv("CONVENE_NEW_CONNECTIONS_PER_ADDRESS", "500")
	if cfg, err := parseServe(nil, &bytes.Buffer{}); err != nil || cfg.connsPerAddress != 500 {
		t.Fatalf("new connections per address from env = %d, %v", cfg.connsPerAddress, err)
	}
	for _, bad := range []string{"0", "many"} {
		t.Setenv("CONVENE_NEW_CONNECTIONS_PER_ADDRESS", bad)
		if _, err := parseServe(nil, &bytes.Buffer{}); err == nil {
			t.Fatalf("new connections per address %q accepted", bad)
		}
	}
	t.Setenv("CONVENE_NEW_CONNECTIONS_PER_ADDRESS", "")
	var stderr bytes.Buffer
	if code := run([]string{"serve", "--nope"}, &bytes.Buffer{}, &stderr); code != 2 {
		t.Fatalf("bad flag exit = %d; want 2", code)
	}
	var stdout bytes.Buffer
	if code := run([]string{"serve", "--help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("serve --help exit = %d", code)
	}
	if code := run([]string{"version"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "convene") {
		t.Fatalf("version: %d %q", code, stdout.String())
	}
	if code := run([]string{"bogus"}, &stdout, &stderr); code != 2 {
		t.Fatalf("unknown command exit = %d", code)
	}
}

func TestFacilitatorKeysFile(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad")
	os.WriteFile(bad, []byte("not a key\n"), 0o600)
	if _, _, err := loadFacilitators(bad); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("bad keys file = %v; want an error naming line 1", err)
	}
	if _, _, err := loadFacilitators(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Fatalf("missing keys file accepted")
	}
	t.Setenv("HOME", t.TempDir())
	keys, _, err := loadFacilitators("")
	if err != nil || len(keys) != 0 {
		t.Fatalf("no ~/.ssh: %v, %v", keys, err)
	}
}
