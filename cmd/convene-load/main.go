// Command convene-load measures convene with many real SSH clients against
// the smallest Wish + Bubble Tea program, both served from this binary and
// measured in the same run, so that every figure is also a ratio that holds
// on a noisy machine.
//
//	convene-load --clients 300 --runs 3                 # compare: baseline, voting screen, circle screen
//	convene-load --mode burst --clients 300             # 300 votes within one second
//	convene-load --mode spread --clients 1000 --meetups 10
//
// Each server runs as a child process of this one (convene-load serve ...),
// on loopback, with a fresh database, so its memory and CPU are read from
// /proc on their own. Every client has its own key and joins by code
// through the real name and lobby screens; it reads its screen through a
// terminal emulator. The clients run on the same cores as the servers, so
// latencies are pessimistic: compare them with the baseline's.
package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/convene/convene/tui/sshtest"
)

func main() {
	var err error
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		err = serveMain(os.Args[2:])
	} else {
		err = run()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "convene-load:", err)
		os.Exit(1)
	}
}

type options struct {
	clients, width, height, changes, runs, meetups, connectAtOnce int
	idle                                                          time.Duration
	screens                                                       []string
	profile                                                       string
	baseline, verbose, countdown                                  bool
}

func run() error {
	var o options
	mode := flag.String("mode", "compare", "compare (baseline and convene screens), burst (everyone votes at once) or spread (many meetups vote)")
	flag.IntVar(&o.clients, "clients", 100, "participants to connect")
	flag.IntVar(&o.width, "width", 80, "terminal width of each client")
	flag.IntVar(&o.height, "height", 24, "terminal height of each client")
	flag.IntVar(&o.changes, "changes", 10, "changes to time (compare)")
	flag.IntVar(&o.runs, "runs", 1, "runs (compare): medians are reported")
	flag.IntVar(&o.meetups, "meetups", 10, "meetups to spread the clients over (spread)")
	flag.IntVar(&o.connectAtOnce, "connect-at-once", 16, "clients connecting at the same time")
	flag.DurationVar(&o.idle, "idle", 5*time.Second, "how long to watch each server idle (compare)")
	screens := flag.String("screens", "topics,circle", "convene screens to measure (compare): topics, circle, welcome")
	flag.BoolVar(&o.baseline, "baseline", true, "measure the bare Wish + Bubble Tea program too (compare)")
	flag.BoolVar(&o.verbose, "v", false, "print every latency")
	flag.BoolVar(&o.countdown, "countdown", false, "also measure convene's CPU while a countdown runs (compare)")
	flag.StringVar(&o.profile, "profile", "", "folder to write CPU (during the changes), heap and goroutine profiles of each server to")
	flag.Parse()
	if o.clients < 1 || o.clients > 3000 {
		return errors.New("--clients must be 1..3000")
	}
	o.screens = strings.Split(*screens, ",")
	switch *mode {
	case "compare":
		return compare(o)
	case "burst":
		return burst(o)
	case "spread":
		return spread(o)
	}
	return fmt.Errorf("unknown mode %q", *mode)
}

// result is what one measurement of one server found.
type result struct {
	name         string
	connect      time.Duration
	rssPerClient float64 // MiB, once every client is in
	rssEnd       float64 // MiB per client after the changes
	idleCPU      float64 // % of one core
	countdownCPU float64 // % of one core while a countdown runs, -1 if not measured
	p50, p99     time.Duration
	cpuPerChange time.Duration // server CPU during the changes, less what it spends idle
	cpuGross     time.Duration // server CPU during the changes, all of it
}

func compare(o options) error {
	fac, facLine, err := newKey()
	if err != nil {
		return err
	}
	var targets []string
	if o.baseline {
		targets = append(targets, "baseline")
	}
	targets = append(targets, o.screens...)
	all := map[string][]result{}
	for r := range o.runs {
		fmt.Printf("run %d of %d: %d clients at %dx%d, %d changes\n", r+1, o.runs, o.clients, o.width, o.height, o.changes)
		for _, t := range targets {
			res, err := measure(o, t, fac, facLine, r)
			if err != nil {
				return fmt.Errorf("%s: %w", t, err)
			}
			printResult(res, nil)
			all[t] = append(all[t], res)
		}
	}
	if o.runs > 1 || o.baseline {
		fmt.Printf("\nmedians of %d runs (ratio to the baseline of the same runs):\n", o.runs)
		var base *result
		if o.baseline {
			b := median(all["baseline"])
			base = &b
		}
		for _, t := range targets {
			printResult(median(all[t]), base)
		}
	}
	return nil
}

func printResult(r result, base *result) {
	line := fmt.Sprintf("  %-9s p50 %5d ms  p99 %5d ms  CPU/change %4d ms (%4d ms with idle)  memory/person %.2f MiB (%.2f after)  idle CPU %5.1f%%  (connect %v)",
		r.name, r.p50.Milliseconds(), r.p99.Milliseconds(), r.cpuPerChange.Milliseconds(), r.cpuGross.Milliseconds(), r.rssPerClient, r.rssEnd, r.idleCPU, r.connect.Round(time.Second))
	if base != nil && r.name != "baseline" {
		ratio := func(a, b float64) string {
			if b <= 0 {
				return "-"
			}
			return fmt.Sprintf("%.2f", a/b)
		}
		line += fmt.Sprintf("\n  %-9s ratios: p50 %s  p99 %s  CPU/change with idle %s  memory %s  idle CPU %s", "", ratio(float64(r.p50), float64(base.p50)), ratio(float64(r.p99), float64(base.p99)),
			ratio(float64(r.cpuGross), float64(base.cpuGross)), ratio(r.rssPerClient, base.rssPerClient), ratio(r.idleCPU, base.idleCPU))
	}
	if r.countdownCPU >= 0 {
		line += fmt.Sprintf("\n  %-9s CPU with a countdown running: %.1f%% of one core", "", r.countdownCPU)
	}
	fmt.Println(line)
}

func median(rs []result) result {
	m := result{name: rs[0].name, countdownCPU: -1}
	mid := func(get func(result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = get(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	m.connect = time.Duration(mid(func(r result) float64 { return float64(r.connect) }))
	m.rssPerClient = mid(func(r result) float64 { return r.rssPerClient })
	m.rssEnd = mid(func(r result) float64 { return r.rssEnd })
	m.idleCPU = mid(func(r result) float64 { return r.idleCPU })
	if rs[0].countdownCPU >= 0 {
		m.countdownCPU = mid(func(r result) float64 { return r.countdownCPU })
	}
	m.p50 = time.Duration(mid(func(r result) float64 { return float64(r.p50) }))
	m.p99 = time.Duration(mid(func(r result) float64 { return float64(r.p99) }))
	m.cpuPerChange = time.Duration(mid(func(r result) float64 { return float64(r.cpuPerChange) }))
	m.cpuGross = time.Duration(mid(func(r result) float64 { return float64(r.cpuGross) }))
	return m
}

// server is a child process serving one kind of server.
type server struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	addr  string
	codes []string
	pprof string
	dir   string
}

func startServer(kind, screen, facLine string, meetups int, profile bool) (*server, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "convene-load-")
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir}
	args := []string{"serve", "--kind", kind, "--data", dir, "--facilitator-key", facLine, "--screen", screen, "--meetups", strconv.Itoa(meetups)}
	if profile {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		s.pprof = l.Addr().String()
		l.Close()
		args = append(args, "--pprof", s.pprof)
	}
	s.cmd = exec.Command(self, args...)
	s.cmd.Stderr = os.Stderr
	if s.stdin, err = s.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	f := strings.Fields(line)
	if err != nil || len(f) != 3 || f[0] != "ready" {
		s.stop()
		return nil, fmt.Errorf("server did not start (%q)", line)
	}
	s.addr = f[1]
	if f[2] != "-" {
		s.codes = strings.Split(f[2], ",")
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return s, nil
}

func (s *server) stop() {
	_ = s.stdin.Close()
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
	_ = os.RemoveAll(s.dir)
}

func (s *server) fetchProfile(path, to string) error {
	resp, err := http.Get("http://" + s.pprof + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.Create(to)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, resp.Body)
	return err
}

// measure connects the clients to a fresh server of one kind and times
// changes reaching every screen; the baseline's change is its counter,
// convene's an announcement over the real screen.
func measure(o options, target string, fac ssh.Signer, facLine string, runNo int) (result, error) {
	res := result{name: target}
	kind, screen := "convene", target
	if target == "baseline" {
		kind, screen = "baseline", "-"
	}
	srv, err := startServer(kind, screen, facLine, 1, o.profile != "")
	if err != nil {
		return res, err
	}
	defer srv.stop()
	pid := srv.cmd.Process.Pid
	code := ""
	if len(srv.codes) > 0 {
		code = srv.codes[0]
	}
	base := readProc(pid)
	start := time.Now()
	clients, err := connectAll(o, srv.addr, func(int) string { return code }, kind)
	defer closeAll(clients)
	if err != nil {
		return res, err
	}
	res.connect = time.Since(start)
	f, err := join(srv.addr, code, "Host", fac, o.width, o.height, kind)
	if err != nil {
		return res, fmt.Errorf("facilitator: %w", err)
	}
	defer f.Close()
	time.Sleep(2 * time.Second)
	loaded := readProc(pid)
	res.rssPerClient = mib(loaded.rss-base.rss) / float64(o.clients)
	if o.profile != "" {
		_ = os.MkdirAll(o.profile, 0o755)
		if err := srv.fetchProfile("/debug/pprof/heap?gc=1", filepath.Join(o.profile, fmt.Sprintf("%s-%d-heap.pprof", target, runNo+1))); err != nil {
			return res, err
		}
		if err := srv.fetchProfile("/debug/pprof/heap?debug=1", filepath.Join(o.profile, fmt.Sprintf("%s-%d-memstats.txt", target, runNo+1))); err != nil {
			return res, err
		}
		if err := srv.fetchProfile("/debug/pprof/goroutine?debug=1", filepath.Join(o.profile, fmt.Sprintf("%s-%d-goroutines.txt", target, runNo+1))); err != nil {
			return res, err
		}
	}

	a := readProc(pid)
	time.Sleep(o.idle)
	b := readProc(pid)
	res.idleCPU = float64(b.cpuTicks-a.cpuTicks) / 100 / o.idle.Seconds() * 100
	res.countdownCPU = -1
	if kind == "convene" && o.countdown && target != "circle" { // the circle starts its clock only once set up
		// The facilitator starts the countdown: every screen redraws once
		// a second, and nothing else happens.
		if err := f.Press("space"); err != nil {
			return res, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := f.WaitChange(ctx, "the countdown running", func(s string) bool { return strings.Contains(s, " left") && !strings.Contains(s, "paused") })
		cancel()
		if err != nil {
			return res, err
		}
		time.Sleep(time.Second)
		a = readProc(pid)
		time.Sleep(o.idle)
		b = readProc(pid)
		res.countdownCPU = float64(b.cpuTicks-a.cpuTicks) / 100 / o.idle.Seconds() * 100
		if err := f.Press("space"); err != nil {
			return res, err
		}
		time.Sleep(500 * time.Millisecond)
	}

	var profDone chan error
	if o.profile != "" {
		profDone = make(chan error, 1)
		secs := max(o.changes*o.clients/100, 5)
		go func() {
			profDone <- srv.fetchProfile(fmt.Sprintf("/debug/pprof/profile?seconds=%d", secs), filepath.Join(o.profile, fmt.Sprintf("%s-%d-cpu.pprof", target, runNo+1)))
		}()
	}
	a = readProc(pid)
	changeStart := time.Now()
	var lat []time.Duration
	for i := range o.changes {
		var want string
		var sent time.Time
		if kind == "baseline" {
			want = "count " + strconv.Itoa(i+1)
			sent = time.Now()
			if err := f.Type("+"); err != nil {
				return res, err
			}
		} else {
			want = "ping " + strconv.Itoa(i)
			if err := f.Press("a"); err != nil {
				return res, err
			}
			time.Sleep(50 * time.Millisecond)
			if err := f.Press("ctrl+u"); err != nil {
				return res, err
			}
			if err := f.Type(want); err != nil {
				return res, err
			}
			time.Sleep(50 * time.Millisecond)
			sent = time.Now()
			if err := f.Press("enter"); err != nil {
				return res, err
			}
		}
		d, err := waitAll(clients, want, sent)
		if err != nil {
			return res, fmt.Errorf("change %d did not reach every screen: %w", i+1, err)
		}
		lat = append(lat, d)
		time.Sleep(200 * time.Millisecond) // let the servers settle between changes
	}
	b = readProc(pid)
	gross := float64(b.cpuTicks-a.cpuTicks) / 100
	res.cpuGross = time.Duration(gross / float64(o.changes) * float64(time.Second))
	busy := gross - res.idleCPU/100*time.Since(changeStart).Seconds()
	res.cpuPerChange = time.Duration(max(busy, 0) / float64(o.changes) * float64(time.Second))
	res.rssEnd = mib(b.rss-base.rss) / float64(o.clients)
	if o.verbose {
		fmt.Printf("  %s latencies: %v\n", target, lat)
	}
	slices.Sort(lat)
	res.p50 = lat[len(lat)/2]
	res.p99 = lat[min(len(lat)-1, len(lat)*99/100)]
	if profDone != nil {
		if err := <-profDone; err != nil {
			return res, err
		}
	}
	return res, nil
}

// waitAll waits until every client shows want and returns how long after
// sent the last one did.
func waitAll(clients []*sshtest.Client, want string, sent time.Time) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var slowest atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, len(clients))
	for _, c := range clients {
		wg.Add(1)
		go func(c *sshtest.Client) {
			defer wg.Done()
			err := c.WaitChange(ctx, want, func(s string) bool { return showsLine(s, want) })
			if err != nil {
				errs <- err
				return
			}
			d := int64(time.Since(sent))
			for {
				old := slowest.Load()
				if d <= old || slowest.CompareAndSwap(old, d) {
					break
				}
			}
		}(c)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return 0, err
	}
	return time.Duration(slowest.Load()), nil
}

// showsLine reports whether screen shows want as a whole word at its end
// ("ping 1" is not "ping 10").
func showsLine(screen, want string) bool {
	for rest := screen; ; {
		i := strings.Index(rest, want)
		if i < 0 {
			return false
		}
		rest = rest[i+len(want):]
		if rest == "" || rest[0] == ' ' || rest[0] == '\n' {
			return true
		}
	}
}

// connectAll connects o.clients clients, codeOf(i) saying which meetup
// the i-th joins.
func connectAll(o options, addr string, codeOf func(int) string, kind string) ([]*sshtest.Client, error) {
	clients := make([]*sshtest.Client, o.clients)
	errs := make(chan error, o.clients)
	var wg sync.WaitGroup
	sem := make(chan struct{}, o.connectAtOnce)
	for i := range clients {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := join(addr, codeOf(i), fmt.Sprintf("Load %04d", i+1), nil, o.width, o.height, kind)
			if err != nil {
				errs <- fmt.Errorf("client %d: %w", i+1, err)
				return
			}
			clients[i] = c
		}(i)
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	live := slices.DeleteFunc(clients, func(c *sshtest.Client) bool { return c == nil })
	if len(all) > 0 {
		return live, fmt.Errorf("%d of %d clients could not join; the first: %w", len(all), o.clients, all[0])
	}
	return live, nil
}

func closeAll(cs []*sshtest.Client) {
	for _, c := range cs {
		c.Close()
	}
}

// join connects one person, with a key of their own unless signer is
// given: into the baseline's counter, or into a meetup by its code
// through the name screen and the lobby, as a person would.
func join(addr, code, name string, signer ssh.Signer, w, h int, kind string) (*sshtest.Client, error) {
	if signer == nil {
		var err error
		if signer, err = sshtest.GenerateSigner(); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	c, err := sshtest.Dial(ctx, addr, sshtest.Options{User: "load", Signer: signer, Width: w, Height: h, MaxOutput: -1, WaitTimeout: time.Minute})
	if err != nil {
		return nil, err
	}
	if kind == "baseline" {
		err = c.WaitFor(ctx, "count")
	} else {
		err = c.WaitFor(ctx, "call you")
		if err == nil {
			_ = c.Press("ctrl+u")
			_ = c.Type(name)
			_ = c.Press("enter")
			// Facilitators see the meetups on the server first; / types a code.
			err = c.WaitUntil(ctx, "the lobby", func(s string) bool {
				return strings.Contains(s, "Join a meetup") || strings.Contains(s, "Meetups on this server")
			})
		}
		if err == nil && !strings.Contains(c.Screen(), "Join a meetup") {
			_ = c.Type("/")
			err = c.WaitFor(ctx, "Join a meetup")
		}
		if err == nil {
			_ = c.Press("ctrl+u")
			_ = c.Type(code)
			_ = c.Press("enter")
			err = c.WaitUntil(ctx, "the meetup", func(s string) bool {
				return strings.Contains(s, "code "+code[:3]+"-"+code[3:])
			})
		}
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// newKey makes the facilitator's key and its authorized_keys line.
func newKey() (ssh.Signer, string, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, "", err
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, "", err
	}
	return s, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.PublicKey()))), nil
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

type procStat struct {
	rss      int64 // bytes
	cpuTicks int64 // utime+stime in clock ticks (100 a second on Linux)
}

func readProc(pid int) procStat {
	var p procStat
	if data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				p.rss = kb * 1024
			}
		}
	}
	if data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		s := string(data)
		if i := strings.LastIndexByte(s, ')'); i > 0 {
			f := strings.Fields(s[i+2:])
			if len(f) > 13 {
				u, _ := strconv.ParseInt(f[11], 10, 64)
				st, _ := strconv.ParseInt(f[12], 10, 64)
				p.cpuTicks = u + st
			}
		}
	}
	return p
}
