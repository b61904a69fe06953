package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const (
	upRunning = net.FlagUp | net.FlagRunning | net.FlagBroadcast
	loopback  = net.FlagUp | net.FlagRunning | net.FlagLoopback
)

// laptop is a machine with loopback, a wired interface with IPv4, IPv6 and
// link-local addresses, a bridge with no cable in it and one that is down.
var laptop = []ifaceAddr{
	{net.ParseIP("127.0.0.1"), loopback},
	{net.ParseIP("::1"), loopback},
	{net.ParseIP("fe80::fc:ff:fe00:1"), upRunning},
	{net.ParseIP("fd00::2"), upRunning},
	{net.ParseIP("169.254.10.1"), upRunning},
	{net.ParseIP("192.168.1.20"), upRunning},
	{net.ParseIP("172.17.0.1"), net.FlagUp}, // docker0 without containers: no carrier
	{net.ParseIP("10.9.0.1"), net.FlagBroadcast},
	{net.ParseIP("192.168.1.20"), upRunning}, // the same address twice
}

// fakeNet is a machine with the given addresses and a host name that
// resolves to resolved (an error if nil).
func fakeNet(addrs []ifaceAddr, name string, resolved ...string) netEnv {
	return netEnv{
		addrs:    func() ([]ifaceAddr, error) { return addrs, nil },
		hostname: func() (string, error) { return name, nil },
		lookup: func(_ context.Context, host string) ([]net.IPAddr, error) {
			if host != name || resolved == nil {
				return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
			}
			var out []net.IPAddr
			for _, r := range resolved {
				out = append(out, net.IPAddr{IP: net.ParseIP(r)})
			}
			return out, nil
		},
	}
}

// noNet fails the test if the banner asks the machine anything.
func noNet(t *testing.T) netEnv {
	return netEnv{
		addrs:    func() ([]ifaceAddr, error) { t.Error("listed interfaces"); return nil, nil },
		hostname: func() (string, error) { t.Error("asked the host name"); return "", nil },
		lookup: func(context.Context, string) ([]net.IPAddr, error) {
			t.Error("looked up a name")
			return nil, nil
		},
	}
}

func tcp(ip string, port int) *net.TCPAddr { return &net.TCPAddr{IP: net.ParseIP(ip), Port: port} }

func TestBannerAllInterfaces(t *testing.T) {
	var out bytes.Buffer
	printJoin(&out, joinBanner{
		listen:      tcp("::", 2222),
		fingerprint: "ED25519 key fingerprint is SHA256:abc",
		nFac:        1,
		source:      "keys",
		net:         fakeNet(laptop, "meetbox", "192.168.1.20"),
	})
	want := `convene is running on [::]:2222.

  Facilitate or join:   ssh -p 2222 localhost        (from this machine)
  Participants join:    ssh -p 2222 192.168.1.20
                  or:   ssh -p 2222 meetbox
  Straight into one:    ssh -t -p 2222 192.168.1.20 CODE
  On a projector:       ssh -t -p 2222 192.168.1.20 present CODE

On a first connection ssh shows the server's key; it must say:
  ED25519 key fingerprint is SHA256:abc

1 facilitator key(s) from keys.

`
	if out.String() != want {
		t.Fatalf("banner =\n%s\nwant\n%s", out.String(), want)
	}
}

func TestJoinHosts(t *testing.T) {
	v6only := []ifaceAddr{
		{net.ParseIP("::1"), loopback},
		{net.ParseIP("fe80::1"), upRunning},
		{net.ParseIP("2001:db8::7"), upRunning},
	}
	nameErr := fakeNet(laptop, "")
	nameErr.hostname = func() (string, error) { return "", errors.New("no name") }
	listErr := fakeNet(nil, "meetbox", "192.168.1.20")
	listErr.addrs = func() ([]ifaceAddr, error) { return nil, errors.New("no interfaces") }
	for _, tc := range []struct {
		name string
		ip   string
		env  netEnv
		want []string
	}{
		{"IPv4 first, then a name that resolves", "::", fakeNet(laptop, "meetbox", "192.168.1.20"), []string{"192.168.1.20", "meetbox"}},
		{"0.0.0.0 is every interface too", "0.0.0.0", fakeNet(laptop, "meetbox", "fd00::2"), []string{"192.168.1.20", "meetbox"}},
		{"a name that only means this machine is left out", "::", fakeNet(laptop, "meetbox", "127.0.1.1", "::1"), []string{"192.168.1.20"}},
		{"a name that does not resolve is left out", "::", fakeNet(laptop, "meetbox"), []string{"192.168.1.20"}},
		{"no host name", "::", nameErr, []string{"192.168.1.20"}},
		{"IPv6 only when there is no IPv4, without brackets", "::", fakeNet(v6only, "meetbox"), []string{"2001:db8::7"}},
		{"up but not running is better than nothing", "::", fakeNet([]ifaceAddr{{net.ParseIP("10.1.1.1"), net.FlagUp}}, "meetbox"), []string{"10.1.1.1"}},
		{"no address: the host name even unresolved", "::", fakeNet(laptop[:3], "meetbox"), []string{"meetbox"}},
		{"interfaces unreadable: the host name", "::", listErr, []string{"meetbox"}},
		{"nothing at all", "::", func() netEnv { e := nameErr; e.addrs = listErr.addrs; return e }(), []string{"<host>"}},
		{"two addresses", "::", fakeNet(append(laptop, ifaceAddr{net.ParseIP("10.0.0.5"), upRunning}), "meetbox"), []string{"192.168.1.20", "10.0.0.5"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := joinHosts(net.ParseIP(tc.ip), tc.env); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("joinHosts(%s) = %q; want %q", tc.ip, got, tc.want)
			}
		})
	}
}

func TestBannerSpecificAddress(t *testing.T) {
	for _, tc := range []struct {
		listen *net.TCPAddr
		want   []string
	}{
		{tcp("192.168.1.20", 2222), []string{
			"ssh -p 2222 192.168.1.20     (from this machine)",
			"Participants join:    ssh -p 2222 192.168.1.20\n",
			"ssh -t -p 2222 192.168.1.20 CODE",
		}},
		{tcp("2001:db8::7", 2222), []string{
			"ssh -p 2222 2001:db8::7      (from this machine)",
			"Participants join:    ssh -p 2222 2001:db8::7\n",
			"ssh -t -p 2222 2001:db8::7 CODE",
		}},
		{tcp("192.168.1.20", 22), []string{
			"Participants join:    ssh 192.168.1.20\n",
			"ssh -t 192.168.1.20 CODE",
		}},
	} {
		var out bytes.Buffer
		printJoin(&out, joinBanner{listen: tc.listen, nFac: 1, source: "keys", net: noNet(t)})
		for _, w := range tc.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("banner for %s lacks %q:\n%s", tc.listen, w, out.String())
			}
		}
		if strings.Contains(out.String(), " or: ") {
			t.Errorf("banner for %s offers another address:\n%s", tc.listen, out.String())
		}
		if strings.Contains(out.String(), "fingerprint") {
			t.Errorf("banner without a fingerprint mentions one:\n%s", out.String())
		}
	}
}

func TestBannerLoopback(t *testing.T) {
	for _, ip := range []string{"127.0.0.1", "::1"} {
		var out bytes.Buffer
		printJoin(&out, joinBanner{listen: tcp(ip, 2222), fingerprint: "ED25519 key fingerprint is SHA256:abc", net: noNet(t)})
		s := out.String()
		for _, w := range []string{
			"ssh -p 2222 localhost        (from this machine)",
			"ssh -t -p 2222 localhost CODE",
			"ssh -t -p 2222 localhost present CODE",
			"Only this machine can connect: listen on :2222 (--addr)",
			"\n  ED25519 key fingerprint is SHA256:abc\n",
			"No facilitator keys found",
		} {
			if !strings.Contains(s, w) {
				t.Errorf("banner for %s lacks %q:\n%s", ip, w, s)
			}
		}
		if strings.Contains(s, "Participants join") {
			t.Errorf("banner for %s invites other machines:\n%s", ip, s)
		}
	}
}

func TestHostKeyFingerprintUnreadable(t *testing.T) {
	dir := t.TempDir()
	if _, err := hostKeyFingerprint(filepath.Join(dir, "missing")); err == nil {
		t.Errorf("missing host key: no error")
	}
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if fp, err := hostKeyFingerprint(bad); err == nil {
		t.Errorf("garbage host key = %q; want an error", fp)
	}
}
