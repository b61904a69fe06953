package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// ifaceAddr is one address of one network interface and that interface's
// flags: all the banner needs to know about the machine's network.
type ifaceAddr struct {
	ip    net.IP
	flags net.Flags
}

// netEnv is what the banner asks of the machine. Tests replace it so that
// they do not depend on the machine's interfaces or name service.
type netEnv struct {
	addrs    func() ([]ifaceAddr, error)
	hostname func() (string, error)
	lookup   func(ctx context.Context, host string) ([]net.IPAddr, error)
}

// machineNet is the real machine.
var machineNet = netEnv{
	addrs:    interfaceAddrs,
	hostname: os.Hostname,
	lookup:   net.DefaultResolver.LookupIPAddr,
}

// hostLookupTimeout bounds the host name lookup, so a slow name service
// delays the banner a little, never the start.
const hostLookupTimeout = time.Second

func interfaceAddrs() ([]ifaceAddr, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	var out []ifaceAddr
	for _, ifc := range ifs {
		addrs, err := ifc.Addrs()
		if err != nil {
			continue // one unreadable interface does not hide the others
		}
		for _, a := range addrs {
			var ip net.IP
			switch a := a.(type) {
			case *net.IPNet:
				ip = a.IP
			case *net.IPAddr:
				ip = a.IP
			}
			if ip != nil {
				out = append(out, ifaceAddr{ip: ip, flags: ifc.Flags})
			}
		}
	}
	return out, nil
}

// joinBanner is what the first lines on the terminal tell the person who
// started the server.
type joinBanner struct {
	listen      net.Addr // where the server listens
	fingerprint string   // of the host key, "" if it could not be read
	nFac        int      // facilitator keys found
	source      string   // where they were looked for
	net         netEnv
}

// hostKeyFingerprint reads the host key file and returns its public key's
// type as ssh names it (ED25519) and its SHA256 fingerprint, as ssh shows
// them on a first connection.
func hostKeyFingerprint(path string) (string, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read host key: %w", err)
	}
	signer, err := gossh.ParsePrivateKey(pem)
	if err != nil {
		return "", fmt.Errorf("host key %s: %w", path, err)
	}
	pub := signer.PublicKey()
	kind := strings.ToUpper(strings.TrimPrefix(pub.Type(), "ssh-"))
	return kind + " key fingerprint is " + gossh.FingerprintSHA256(pub), nil
}

// joinHosts returns the addresses other machines can use to reach a server
// listening on ip, best first: the listening address itself, or, when
// listening on every interface, the addresses of the interfaces that are up
// (IPv4 if there are any, else IPv6; never loopback or link-local) and then
// the host name if it resolves to something other than this machine's
// loopback.
func joinHosts(ip net.IP, env netEnv) []string {
	if ip != nil && !ip.IsUnspecified() {
		return []string{ip.String()}
	}
	var hosts []string
	if all, err := env.addrs(); err == nil {
		hosts = reachable(all, true)
		if len(hosts) == 0 {
			// Some systems do not report "running"; "up" will do.
			hosts = reachable(all, false)
		}
	}
	name, err := env.hostname()
	if err != nil || name == "" {
		if len(hosts) == 0 {
			return []string{"<host>"}
		}
		return hosts
	}
	if len(hosts) == 0 || resolvesElsewhere(name, env) {
		hosts = append(hosts, name)
	}
	return hosts
}

// reachable picks the addresses of interfaces that are up (and running, if
// asked), IPv4 first; IPv6 only if there is no IPv4. ssh takes an IPv6
// address as it is: in brackets it is looked up as a name and fails.
func reachable(all []ifaceAddr, running bool) []string {
	var v4, v6 []string
	seen := map[string]bool{}
	for _, a := range all {
		if a.flags&net.FlagUp == 0 || running && a.flags&net.FlagRunning == 0 || a.flags&net.FlagLoopback != 0 {
			continue
		}
		ip := a.ip
		if ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() || ip.IsMulticast() {
			continue
		}
		s := ip.String()
		if seen[s] {
			continue
		}
		seen[s] = true
		if ip.To4() != nil {
			v4 = append(v4, s)
		} else {
			v6 = append(v6, s)
		}
	}
	if len(v4) > 0 {
		return v4
	}
	return v6
}

// resolvesElsewhere tells whether name resolves to an address that is not
// loopback: a name that only means this machine is no use to others.
func resolvesElsewhere(name string, env netEnv) bool {
	if net.ParseIP(name) != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), hostLookupTimeout)
	defer cancel()
	ips, err := env.lookup(ctx, name)
	if err != nil {
		return false
	}
	for _, a := range ips {
		if !a.IP.IsLoopback() && !a.IP.IsUnspecified() {
			return true
		}
	}
	return false
}

// printJoin prints how to connect: from this machine, from others, and
// the host key fingerprint people can check on their first connection.
func printJoin(w io.Writer, b joinBanner) {
	port := "2222"
	var ip net.IP
	if a, ok := b.listen.(*net.TCPAddr); ok {
		port = strconv.Itoa(a.Port)
		ip = a.IP
	}
	portFlag := "-p " + port + " "
	if port == "22" {
		portFlag = ""
	}
	// localhost reaches the server unless it listens on one address that
	// is not the usual loopback one.
	local := "localhost"
	if ip != nil && !ip.IsUnspecified() && !ip.Equal(net.IPv4(127, 0, 0, 1)) && !ip.Equal(net.IPv6loopback) {
		local = ip.String()
	}
	fmt.Fprintf(w, "convene is running on %s.\n\n", b.listen)
	fmt.Fprintf(w, "  Facilitate or join:   ssh %s%-16s (from this machine)\n", portFlag, local)
	if ip != nil && ip.IsLoopback() {
		fmt.Fprintf(w, "  Straight into one:    ssh -t %s%s CODE\n", portFlag, local)
		fmt.Fprintf(w, "  On a projector:       ssh -t %s%s present CODE\n", portFlag, local)
		fmt.Fprintf(w, "  Only this machine can connect: listen on :%s (--addr) to let others join.\n\n", port)
	} else {
		hosts := joinHosts(ip, b.net)
		fmt.Fprintf(w, "  Participants join:    ssh %s%s\n", portFlag, hosts[0])
		for _, h := range hosts[1:] {
			fmt.Fprintf(w, "                  or:   ssh %s%s\n", portFlag, h)
		}
		fmt.Fprintf(w, "  Straight into one:    ssh -t %s%s CODE\n", portFlag, hosts[0])
		fmt.Fprintf(w, "  On a projector:       ssh -t %s%s present CODE\n\n", portFlag, hosts[0])
	}
	if b.fingerprint != "" {
		fmt.Fprintf(w, "On a first connection ssh shows the server's key; it must say:\n  %s\n\n", b.fingerprint)
	}
	if b.nFac == 0 {
		fmt.Fprintf(w, "No facilitator keys found (%s): nobody can create meetups.\nStart with --facilitator-keys FILE (authorized_keys format).\n\n", b.source)
	} else {
		fmt.Fprintf(w, "%d facilitator key(s) from %s.\n\n", b.nFac, b.source)
	}
}
