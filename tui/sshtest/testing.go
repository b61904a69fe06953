package sshtest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// DialTimeout bounds the Dial done by [MustDial].
const DialTimeout = 10 * time.Second

// GenerateSigner returns a signer for a fresh ed25519 key.
func GenerateSigner() (ssh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("sshtest: generate ed25519 key: %w", err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, fmt.Errorf("sshtest: signer from ed25519 key: %w", err)
	}
	return s, nil
}

// NewSigner returns a signer for a fresh ed25519 key, failing tb on error.
// Its public key is s.PublicKey(); ssh.FingerprintSHA256 of it is what a
// server sees.
func NewSigner(tb testing.TB) ssh.Signer {
	tb.Helper()
	s, err := GenerateSigner()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// MustDial is [Dial] for tests: it dials with a [DialTimeout] timeout and
// fails tb on error. It registers a cleanup that, if the test failed, logs
// the client's last screen (and stderr, if any), then closes the client.
func MustDial(tb testing.TB, addr string, o Options) *Client {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), DialTimeout)
	defer cancel()
	c, err := Dial(ctx, addr, o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			user := o.User
			if user == "" {
				user = DefaultUser
			}
			tb.Logf("sshtest: last screen of %s@%s:\n%s", user, addr, c.Screenshot())
			if e := c.Stderr(); e != "" {
				tb.Logf("sshtest: stderr of %s@%s: %q", user, addr, e)
			}
		}
		_ = c.Close()
	})
	return c
}
