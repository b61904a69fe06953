package sshtest

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// EscDelay is how long [Client.Press] pauses after sending a bare Escape key
// (a lone 0x1b byte).
//
// Bubble Tea v2 (through ultraviolet's TerminalReader) cannot tell a lone ESC
// from the start of an escape sequence, so it waits up to 50ms
// (uv.DefaultEscTimeout) for more bytes. Anything that arrives within that
// window is glued to the ESC: "esc" followed at once by "x" is read as
// "alt+x", and "esc" followed by "up" as "alt+up". Pausing after a bare ESC
// makes the app see the keys a human would have pressed.
const EscDelay = 120 * time.Millisecond

// Named keys and the bytes a real xterm sends for them in its default
// configuration: normal (not application) cursor-key mode, normal keypad,
// backspace sends DEL, metaSendsEscape (Alt prefixes ESC).
//
// Bubble Tea v2 asks the terminal for modifyOtherKeys=2 and the kitty keyboard
// protocol, but the vt emulator ignores both requests, so the legacy encodings
// below are exactly what an app under test must understand; Bubble Tea parses
// them all.
var namedKeys = map[string]string{
	"enter":     "\r",
	"return":    "\r",
	"tab":       "\t",
	"shift+tab": "\x1b[Z",
	"backspace": "\x7f",
	"esc":       "\x1b",
	"escape":    "\x1b",
	"space":     " ",

	"up":    "\x1b[A",
	"down":  "\x1b[B",
	"right": "\x1b[C",
	"left":  "\x1b[D",
	"home":  "\x1b[H",
	"end":   "\x1b[F",

	"insert": "\x1b[2~",
	"delete": "\x1b[3~",
	"pgup":   "\x1b[5~",
	"pgdown": "\x1b[6~",

	"f1":  "\x1bOP",
	"f2":  "\x1bOQ",
	"f3":  "\x1bOR",
	"f4":  "\x1bOS",
	"f5":  "\x1b[15~",
	"f6":  "\x1b[17~",
	"f7":  "\x1b[18~",
	"f8":  "\x1b[19~",
	"f9":  "\x1b[20~",
	"f10": "\x1b[21~",
	"f11": "\x1b[23~",
	"f12": "\x1b[24~",
}

// keyAliases maps alternative spellings to the names in namedKeys.
var keyAliases = map[string]string{
	"pageup":   "pgup",
	"pagedown": "pgdown",
	"del":      "delete",
	"ins":      "insert",
	"backtab":  "shift+tab",
	"ret":      "enter",
	" ":        "space",
}

// csiFinal holds the keys that xterm encodes as CSI 1 ; mod <final> when a
// modifier is held (and as CSI <final> or SS3 <final> without one).
var csiFinal = map[string]byte{
	"up": 'A', "down": 'B', "right": 'C', "left": 'D',
	"home": 'H', "end": 'F',
	"f1": 'P', "f2": 'Q', "f3": 'R', "f4": 'S',
}

// tildeNum holds the keys that xterm encodes as CSI <num> ; mod ~.
var tildeNum = map[string]int{
	"insert": 2, "delete": 3, "pgup": 5, "pgdown": 6,
	"f5": 15, "f6": 17, "f7": 18, "f8": 19, "f9": 20, "f10": 21, "f11": 23, "f12": 24,
}

// KeySequence returns the bytes [Client.Press] sends for the key name.
//
// A name that is a single character (any rune: "a", "Q", "7", "é", "?", "+")
// is sent as its UTF-8 bytes. Named keys (case-insensitive) and their bytes:
//
//	enter, return        \r            tab         \t
//	shift+tab, backtab   ESC [ Z       backspace   DEL (0x7f)
//	esc, escape          ESC (0x1b)    space       " "
//	up down right left   ESC [ A / B / C / D
//	home end             ESC [ H / F
//	insert delete        ESC [ 2 ~ / ESC [ 3 ~     (aliases ins, del)
//	pgup pgdown          ESC [ 5 ~ / ESC [ 6 ~     (aliases pageup, pagedown)
//	f1 .. f4             ESC O P .. ESC O S
//	f5 .. f12            ESC [ 15 / 17 / 18 / 19 / 20 / 21 / 23 / 24 ~
//
// Modifiers are joined with "+" in front of a key, in any order (shift, alt
// or meta, ctrl):
//
//	ctrl+<letter>   the C0 control byte: ctrl+a = 0x01 ... ctrl+z = 0x1a;
//	                also ctrl+@ / ctrl+space = 0x00, ctrl+[ = ESC,
//	                ctrl+\ = 0x1c, ctrl+] = 0x1d, ctrl+^ = 0x1e,
//	                ctrl+_ = 0x1f, ctrl+backspace = 0x08
//	alt+<key>       ESC then the key: alt+x = ESC x, alt+enter = ESC \r
//	shift+<letter>  the upper-case letter
//	mods+<cursor, home/end, insert/delete, page or function key>
//	                xterm's parameterised form with parameter
//	                1 + shift(1) + alt(2) + ctrl(4): ctrl+up = ESC [ 1 ; 5 A,
//	                shift+delete = ESC [ 3 ; 2 ~, ctrl+shift+f1 = ESC [ 1 ; 6 P
//
// Note that ctrl+i is the same byte as tab, ctrl+m as enter and ctrl+[ as
// esc: the app cannot tell them apart in the legacy encoding, and Bubble Tea
// reports the named key.
func KeySequence(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("sshtest: empty key name")
	}
	if utf8.RuneCountInString(name) == 1 {
		return name, nil
	}
	lower := strings.ToLower(name)
	if a, ok := keyAliases[lower]; ok {
		lower = a
	}
	if seq, ok := namedKeys[lower]; ok {
		return seq, nil
	}

	// Split off modifiers. The key itself may be "+", as in "ctrl++".
	var shift, alt, ctrl bool
	rest := name
	for {
		i := strings.IndexByte(rest, '+')
		if i <= 0 || i == len(rest)-1 {
			break
		}
		switch strings.ToLower(rest[:i]) {
		case "shift":
			shift = true
		case "alt", "meta", "opt", "option":
			alt = true
		case "ctrl", "control":
			ctrl = true
		default:
			return "", fmt.Errorf("sshtest: unknown modifier %q in key %q", rest[:i], name)
		}
		rest = rest[i+1:]
	}
	if rest == name {
		return "", fmt.Errorf("sshtest: unknown key %q", name)
	}

	base := rest
	if utf8.RuneCountInString(base) != 1 {
		base = strings.ToLower(base)
		if a, ok := keyAliases[base]; ok {
			base = a
		}
	}

	// Keys with xterm's parameterised modifier encoding.
	mod := 1
	if shift {
		mod++
	}
	if alt {
		mod += 2
	}
	if ctrl {
		mod += 4
	}
	if f, ok := csiFinal[base]; ok {
		return fmt.Sprintf("\x1b[1;%d%c", mod, f), nil
	}
	if n, ok := tildeNum[base]; ok {
		return fmt.Sprintf("\x1b[%d;%d~", n, mod), nil
	}

	var seq string
	switch {
	case base == "tab" && shift && !ctrl:
		seq = "\x1b[Z"
	case base == "backspace" && ctrl && !shift:
		seq = "\x08"
	case base == "space" && ctrl && !shift:
		seq = "\x00"
	case namedKeys[base] != "" && !ctrl && !shift:
		seq = namedKeys[base]
	case utf8.RuneCountInString(base) == 1:
		r, _ := utf8.DecodeRuneInString(base)
		if shift {
			if r < 'a' || r > 'z' {
				return "", fmt.Errorf("sshtest: cannot encode %q: shift only applies to letters (type the shifted character instead)", name)
			}
			r -= 'a' - 'A'
		}
		if ctrl {
			c, ok := ctrlByte(r)
			if !ok {
				return "", fmt.Errorf("sshtest: cannot encode %q: no control byte for %q", name, r)
			}
			seq = string([]byte{c})
		} else {
			seq = string(r)
		}
	default:
		return "", fmt.Errorf("sshtest: cannot encode key %q", name)
	}
	if alt {
		seq = "\x1b" + seq
	}
	return seq, nil
}

// ctrlByte returns the C0 control byte xterm sends for ctrl+r.
func ctrlByte(r rune) (byte, bool) {
	switch {
	case r >= 'a' && r <= 'z':
		return byte(r-'a') + 1, true
	case r >= 'A' && r <= 'Z':
		return byte(r-'A') + 1, true
	case r == '@' || r == ' ' || r == '2':
		return 0x00, true
	case r == '[' || r == '3':
		return 0x1b, true
	case r == '\\' || r == '4':
		return 0x1c, true
	case r == ']' || r == '5':
		return 0x1d, true
	case r == '^' || r == '6':
		return 0x1e, true
	case r == '_' || r == '7' || r == '/':
		return 0x1f, true
	case r == '?' || r == '8':
		return 0x7f, true
	}
	return 0, false
}
