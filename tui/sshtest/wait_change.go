package sshtest

import (
	"context"
	"fmt"
)

// WaitChange is [Client.WaitUntil] without polling: it reads the screen
// only when the session has written something since it last looked. A
// load tool with hundreds of clients on the same cores as the server
// uses it so that its own waiting costs as little as possible.
func (c *Client) WaitChange(ctx context.Context, desc string, ok func(screen string) bool) error {
	for {
		c.mu.Lock()
		scr := c.screenLocked()
		changed, ended := c.changed, c.ended
		c.mu.Unlock()
		if ok(scr) {
			return nil
		}
		if ended {
			return fmt.Errorf("sshtest: session ended before %s; last screen:\n%s", desc, c.Screenshot())
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("sshtest: waiting until %s: %w; last screen:\n%s", desc, ctx.Err(), c.Screenshot())
		}
	}
}
