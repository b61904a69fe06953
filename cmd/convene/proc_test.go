package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveEnv, when set in the environment of this test binary, makes it run
// convene with the JSON list of arguments it holds instead of the tests:
// a real server process that a test can kill with SIGKILL.
const serveEnv = "CONVENE_TEST_RUN"

func TestMain(m *testing.M) {
	if v := os.Getenv(serveEnv); v != "" {
		var args []string
		if err := json.Unmarshal([]byte(v), &args); err != nil {
			os.Stderr.WriteString("bad " + serveEnv + ": " + err.Error() + "\n")
			os.Exit(3)
		}
		os.Exit(run(args, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// proc is convene running as a process of its own.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	done           chan struct{}
	status         int
}

// startConvene runs convene with args in a process of its own.
func startConvene(t *testing.T, args ...string) *proc {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := json.Marshal(args)
	p := &proc{stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(exe, "-test.run=^$")
	p.cmd.Env = append(os.Environ(), serveEnv+"="+string(enc))
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := p.cmd.Wait()
		p.status = 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			p.status = ee.ExitCode() // -1 when killed by a signal
		} else if err != nil {
			p.status = -2
		}
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// wait waits for the process to end and returns its exit status.
func (p *proc) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.status
	case <-time.After(within):
		t.Fatalf("convene did not exit within %v\nstdout:\n%s\nstderr:\n%s", within, p.stdout, p.stderr)
		return 0
	}
}

var runningRE = regexp.MustCompile(`convene is running on (\S+)\.`)

// addr waits until the server says where it listens.
func (p *proc) addr(t *testing.T, within time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if m := runningRE.FindStringSubmatch(p.stdout.String()); m != nil {
			return m[1]
		}
		select {
		case <-p.done:
			t.Fatalf("convene exited (status %d) before serving\nstdout:\n%s\nstderr:\n%s", p.status, p.stdout, p.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("convene did not start within %v\nstdout:\n%s\nstderr:\n%s", within, p.stdout, p.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// kill ends the process with SIGKILL, as a crash or a power cut would, and
// waits until it is gone.
func (p *proc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil && !strings.Contains(err.Error(), "finished") {
		t.Fatal(err)
	}
	<-p.done
}

// stop ends the process with SIGTERM, a clean stop.
func (p *proc) stop(t *testing.T) int {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	return p.wait(t, 15*time.Second)
}
