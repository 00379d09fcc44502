package apic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxMessageLen bounds each message decoded from an error body.
const maxMessageLen = 512

// Error is a failed platform API call. It never carries request bodies or
// credentials.
type Error struct {
	// StatusCode is the HTTP status of the last response; 0 when no response
	// arrived (connection error, timeout, cancelled context).
	StatusCode int
	Method     string
	// Path is the request path relative to the endpoint, e.g. /orgs/o/billings.
	Path string
	// Messages are the server's error messages (see DecodeError) or a
	// description of the transport failure.
	Messages []string
	// Attempts is the number of HTTP attempts made when more than one was
	// made (retries were exhausted or a create was recovered); 0 or 1 otherwise.
	Attempts int
	// Err is the underlying transport or context error, if any.
	Err error

	// retryAfter is the server's Retry-After on a 429/503.
	retryAfter time.Duration
}

func asError(err error, target **Error) bool { return errors.As(err, target) }

// Error renders "<METHOD> <path>: <status text> (<code>): <messages>".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	b.WriteString(": ")
	msgs := strings.Join(e.Messages, "; ")
	if e.StatusCode != 0 {
		text := http.StatusText(e.StatusCode)
		if text == "" {
			text = "HTTP status"
		}
		fmt.Fprintf(&b, "%s (%d)", text, e.StatusCode)
		if msgs != "" {
			b.WriteString(": ")
			b.WriteString(msgs)
		}
	} else {
		switch {
		case msgs != "":
			b.WriteString(msgs)
		case e.Err != nil:
			b.WriteString(sanitizeMessage(e.Err.Error()))
		default:
			b.WriteString("request failed")
		}
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (giving up after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Unwrap returns the underlying transport or context error.
func (e *Error) Unwrap() error { return e.Err }

// IsNotFound reports whether err is an API error with status 404.
func IsNotFound(err error) bool { return StatusCode(err) == http.StatusNotFound }

// IsConflict reports whether err is an API error with status 409.
func IsConflict(err error) bool { return StatusCode(err) == http.StatusConflict }

// StatusCode returns the HTTP status carried by an *Error in err's chain, or 0.
func StatusCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// isContextErr reports whether err stems from a cancelled or expired context.
func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// DecodeError extracts human-readable messages from an error response body.
// It accepts {"message": "x"}, {"message": ["x", "y"]}, {"errors": [...]}
// (strings or objects with a message), OAuth-style {"error",
// "error_description"}, arbitrary text (sanitised and truncated to 512
// characters) and an empty body (the status text). It never returns an empty
// slice.
func DecodeError(status int, body []byte) []string {
	fallback := http.StatusText(status)
	if fallback == "" {
		fallback = fmt.Sprintf("HTTP status %d", status)
	}
	trimmed := strings.TrimSpace(string(body))
	if trimmed == "" {
		return []string{fallback}
	}
	var msgs []string
	if trimmed[0] == '{' || trimmed[0] == '[' {
		var v any
		if err := json.Unmarshal([]byte(trimmed), &v); err == nil {
			msgs = messagesFrom(v, 0)
			if len(msgs) == 0 {
				// Valid JSON without a recognisable message: show it, masked.
				msgs = []string{string(MaskJSON([]byte(trimmed)))}
			}
		}
	}
	if len(msgs) == 0 {
		msgs = []string{trimmed}
	}
	out := make([]string, 0, len(msgs))
	seen := map[string]bool{}
	for _, m := range msgs {
		m = sanitizeMessage(m)
		if m == "" || seen[m] {
			continue
		}
		seen[m] = true
		out = append(out, m)
		if len(out) >= 20 {
			break
		}
	}
	if len(out) == 0 {
		return []string{fallback}
	}
	return out
}

// messagesFrom walks a decoded error document.
func messagesFrom(v any, depth int) []string {
	if depth > 4 {
		return nil
	}
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, messagesFrom(e, depth+1)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, k := range []string{"message", "messages", "errors", "error_description", "detail", "description"} {
			if x, ok := t[k]; ok && x != nil {
				out = append(out, messagesFrom(x, depth+1)...)
			}
		}
		if len(out) == 0 {
			// "error" may be a code ("invalid_grant") or a nested object.
			if x, ok := t["error"]; ok && x != nil {
				out = append(out, messagesFrom(x, depth+1)...)
			}
		}
		if len(out) == 0 && depth > 0 {
			// An object inside "errors" without a message field.
			if b, err := json.Marshal(t); err == nil {
				out = append(out, string(MaskJSON(b)))
			}
		}
		return out
	case nil:
		return nil
	default:
		return []string{fmt.Sprint(t)}
	}
}

// stripeSecretRe matches Stripe secret and restricted keys so that an API
// echoing one back never puts it into an error or a log.
var stripeSecretRe = regexp.MustCompile(`\b(sk|rk|rkcs)_(test|live)_[A-Za-z0-9]+`)

// redactStripeKeys replaces the random part of Stripe secret keys with ***.
func redactStripeKeys(s string) string {
	return stripeSecretRe.ReplaceAllString(s, "${1}_${2}_***")
}

// sanitizeMessage strips control characters, collapses whitespace, redacts
// Stripe secret keys and truncates to maxMessageLen characters.
func sanitizeMessage(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	out := strings.TrimSpace(redactStripeKeys(b.String()))
	if utf8.RuneCountInString(out) > maxMessageLen {
		r := []rune(out)
		out = string(r[:maxMessageLen]) + "…"
	}
	return out
}
