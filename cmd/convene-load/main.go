// Command convene-load measures a running convene server with many real
// SSH clients: how long a change takes to reach every screen, and what the
// server costs per participant in memory and, while idle, in CPU.
//
//	convene-load --addr 127.0.0.1:2222 --code K7PM4Q --clients 100 \
//	    --facilitator-key ~/.ssh/id_ed25519 --pid $(pgrep -f 'convene serve')
//
// It only ever connects to the address given; use loopback.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/convene/convene/tui/sshtest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "convene-load:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:2222", "server address (loopback)")
	code := flag.String("code", "", "join code of the meetup to load")
	n := flag.Int("clients", 50, "participants to connect")
	width := flag.Int("width", 80, "terminal width of each client")
	height := flag.Int("height", 24, "terminal height of each client")
	facKey := flag.String("facilitator-key", "", "private key of a facilitator, to make changes and time them")
	changes := flag.Int("changes", 20, "announcements to send and time")
	idle := flag.Duration("idle", 10*time.Second, "how long to watch the server idle")
	pid := flag.Int("pid", 0, "server process id, to read its memory and CPU from /proc")
	flag.Parse()
	if *code == "" {
		return errors.New("--code is required")
	}
	if *n < 1 || *n > 2000 {
		return errors.New("--clients must be 1..2000")
	}

	base := readProc(*pid)
	start := time.Now()
	clients := make([]*sshtest.Client, *n)
	errs := make(chan error, *n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16) // connect 16 at a time
	for i := range clients {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := joinAs(*addr, *code, fmt.Sprintf("Load %03d", i+1), nil, *width, *height)
			if err != nil {
				errs <- fmt.Errorf("client %d: %w", i+1, err)
				return
			}
			clients[i] = c
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	fmt.Printf("connected %d clients (%dx%d) in %v\n", *n, *width, *height, time.Since(start).Round(time.Millisecond))
	time.Sleep(2 * time.Second)
	loaded := readProc(*pid)
	if *pid > 0 {
		fmt.Printf("server RSS: %.1f MiB before, %.1f MiB with %d clients: %.0f KiB per participant\n",
			mib(base.rss), mib(loaded.rss), *n, float64(loaded.rss-base.rss)/1024/float64(*n))
	}

	if *facKey != "" {
		data, err := os.ReadFile(*facKey)
		if err != nil {
			return err
		}
		signer, err := ssh.ParsePrivateKey(data)
		if err != nil {
			return fmt.Errorf("facilitator key: %w", err)
		}
		f, err := joinAs(*addr, *code, "Load facilitator", signer, *width, *height)
		if err != nil {
			return fmt.Errorf("facilitator: %w", err)
		}
		defer f.Close()
		var lat []time.Duration
		for i := range *changes {
			msg := "ping " + strconv.Itoa(i)
			if err := f.Press("a"); err != nil {
				return err
			}
			time.Sleep(50 * time.Millisecond)
			if err := f.Press("ctrl+u"); err != nil {
				return err
			}
			if err := f.Type(msg); err != nil {
				return err
			}
			sent := time.Now()
			if err := f.Press("enter"); err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			var slowest time.Duration
			var wg sync.WaitGroup
			var mu sync.Mutex
			var werr error
			for _, c := range clients {
				wg.Add(1)
				go func(c *sshtest.Client) {
					defer wg.Done()
					err := c.WaitUntil(ctx, msg, func(s string) bool {
						return strings.Contains(s, msg+"\n") || strings.HasSuffix(s, msg) || strings.Contains(s, msg+" ")
					})
					mu.Lock()
					defer mu.Unlock()
					if err != nil && werr == nil {
						werr = err
					}
					slowest = max(slowest, time.Since(sent))
				}(c)
			}
			wg.Wait()
			cancel()
			if werr != nil {
				return fmt.Errorf("change %d did not reach every screen: %w", i, werr)
			}
			lat = append(lat, slowest)
		}
		slices.Sort(lat)
		fmt.Printf("change to all %d screens: p50 %v, p95 %v, max %v (%d changes)\n", *n,
			lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)*95/100].Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond), len(lat))
	}

	if *pid > 0 {
		a := readProc(*pid)
		time.Sleep(*idle)
		b := readProc(*pid)
		ticks := float64(b.cpuTicks - a.cpuTicks)
		fmt.Printf("server CPU while idle with %d clients: %.1f%% of one core over %v\n", *n, ticks/100/idle.Seconds()*100, *idle)
	}
	return nil
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// joinAs connects one person and gets them into the meetup.
func joinAs(addr, code, name string, signer ssh.Signer, w, h int) (*sshtest.Client, error) {
	if signer == nil {
		var err error
		if signer, err = sshtest.GenerateSigner(); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := sshtest.Dial(ctx, addr, sshtest.Options{User: "load", Signer: signer, Command: code, Width: w, Height: h, MaxOutput: -1})
	if err != nil {
		return nil, err
	}
	err = c.WaitUntil(ctx, "name or room", func(s string) bool { return strings.Contains(s, "call you") || strings.Contains(s, "NOW") })
	if err == nil && strings.Contains(c.Screen(), "call you") {
		_ = c.Press("ctrl+u")
		_ = c.Type(name)
		_ = c.Press("enter")
		err = c.WaitFor(ctx, "NOW")
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

type procStat struct {
	rss      int64 // bytes
	cpuTicks int64 // utime+stime in clock ticks (100 a second on Linux)
}

func readProc(pid int) procStat {
	var p procStat
	if pid <= 0 {
		return p
	}
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
