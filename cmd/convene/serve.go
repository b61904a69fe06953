package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/store"
	"github.com/convene/convene/tui"
)

// serveConfig is everything serve needs, from flags and environment.
type serveConfig struct {
	addr            string
	data            string
	facilitatorKeys string
	connsPerAddress int
}

func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "convene")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "convene")
	}
	return "convene-data"
}

// envInt reads a whole number from the environment; a value that is not
// one is left for the flag check to refuse.
func envInt(name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func parseServe(args []string, stderr io.Writer) (serveConfig, error) {
	var cfg serveConfig
	fs := flag.NewFlagSet("convene serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", envOr("CONVENE_ADDR", ":2222"), "address to listen on (env CONVENE_ADDR)")
	fs.StringVar(&cfg.data, "data", envOr("CONVENE_DATA", defaultDataDir()), "data folder for the host key and database (env CONVENE_DATA)")
	fs.IntVar(&cfg.connsPerAddress, "new-connections-per-address", envInt("CONVENE_NEW_CONNECTIONS_PER_ADDRESS", 60),
		"new sessions one address may open at once, then a thirtieth of it a second (env CONVENE_NEW_CONNECTIONS_PER_ADDRESS);\nraise it for load tests from one machine")
	fs.StringVar(&cfg.facilitatorKeys, "facilitator-keys", os.Getenv("CONVENE_FACILITATOR_KEYS"),
		"authorized_keys file of facilitators (env CONVENE_FACILITATOR_KEYS);\ndefault: the public keys in ~/.ssh/*.pub of the account running convene")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: convene serve [flags]

Starts the SSH server. Participants join with "ssh -p 2222 <host>", or
"ssh -t -p 2222 <host> CODE" to go straight into a meetup.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if cfg.connsPerAddress < 1 {
		return cfg, fmt.Errorf("--new-connections-per-address must be at least 1")
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return cfg, nil
}

func serveCommand(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseServe(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "convene serve:", err)
		return 2
	}
	logger := log.NewWithOptions(stderr, log.Options{ReportTimestamp: true, Prefix: "convene"})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, cfg, stdout, logger); err != nil {
		logger.Error(err.Error())
		return 1
	}
	return 0
}

// serve runs the server until ctx is done (a signal), then stops it
// cleanly: screens are told, connections closed, the database closed.
func serve(ctx context.Context, cfg serveConfig, stdout io.Writer, logger *log.Logger) error {
	if err := os.MkdirAll(cfg.data, 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	facilitators, source, err := loadFacilitators(cfg.facilitatorKeys)
	if err != nil {
		return err
	}
	db, err := store.Open(filepath.Join(cfg.data, "convene.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	if db.WasEmpty {
		logger.Warn("the database file was empty (0 bytes: perhaps a crash while it was first created); started a fresh one in it", "path", filepath.Join(cfg.data, "convene.db"))
	}

	hub, err := session.NewHub(session.HubConfig{
		Store:       db,
		Facilitator: func(id session.PersonID) bool { return facilitators[id] },
		Logger:      logger,
	})
	if err != nil {
		return err
	}
	defer hub.Close()

	hostKeyPath := filepath.Join(cfg.data, "host_ed25519")
	srv, err := tui.New(tui.Config{ // creates the host key on the first start
		Addr:        cfg.addr,
		HostKeyPath: hostKeyPath,
		Hub:         hub,
		Logger:      logger,
		// The limit is checked below to be at least 1.
		NewConnsPerAddress: cfg.connsPerAddress,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	fingerprint, err := hostKeyFingerprint(hostKeyPath)
	if err != nil {
		// The banner is a courtesy: without the fingerprint it still helps.
		logger.Warn("banner without the host key fingerprint", "err", err)
	}
	printJoin(stdout, joinBanner{
		listen:      ln.Addr(),
		fingerprint: fingerprint,
		nFac:        len(facilitators),
		source:      source,
		net:         machineNet,
	})
	logger.Info("serving", "addr", ln.Addr().String(), "data", cfg.data)

	select {
	case err := <-served:
		if !errors.Is(err, tui.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
	case <-ctx.Done():
		logger.Info("stopping: telling every screen")
		hub.Shutdown()
		// Screens show the message and close themselves within a second.
		shutCtx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		time.Sleep(300 * time.Millisecond)
		if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, tui.ErrServerClosed) {
			logger.Warn("shutdown", "err", err)
		}
		<-served
	}
	hub.Close()
	if err := db.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	logger.Info("stopped; the database is closed")
	return nil
}

// loadFacilitators reads the keys of the people who may run meetups: the
// given authorized_keys file, or else the public keys of this account.
func loadFacilitators(path string) (map[session.PersonID]bool, string, error) {
	keys := map[session.PersonID]bool{}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, "", fmt.Errorf("facilitator keys: %w", err)
		}
		n, err := parseAuthorizedKeys(data, keys)
		if err != nil {
			return nil, "", fmt.Errorf("facilitator keys %s: %w", path, err)
		}
		if n == 0 {
			return nil, "", fmt.Errorf("facilitator keys %s: no keys in the file", path)
		}
		return keys, path, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return keys, "no home folder", nil
	}
	pattern := filepath.Join(home, ".ssh", "*.pub")
	files, _ := filepath.Glob(pattern)
	for _, f := range files {
		if data, err := os.ReadFile(f); err == nil {
			_, _ = parseAuthorizedKeys(data, keys) // a stray .pub that is not a key is skipped
		}
	}
	return keys, pattern, nil
}

// parseAuthorizedKeys adds every key in data; a line that is not a key is
// an error naming the line.
func parseAuthorizedKeys(data []byte, into map[session.PersonID]bool) (int, error) {
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 || text[0] == '#' {
			continue
		}
		pk, _, _, _, err := gossh.ParseAuthorizedKey(text)
		if err != nil {
			return n, fmt.Errorf("line %d is not a public key", line)
		}
		into[session.PersonID(gossh.FingerprintSHA256(pk))] = true
		n++
	}
	return n, sc.Err()
}
