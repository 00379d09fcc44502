package apic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/transport"
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

// IsCertificateError reports whether err, or the transport error it wraps,
// is a failed verification of the server's TLS certificate: signed by an
// unknown authority (self-signed or a private CA), issued for another host
// name, expired or otherwise invalid.
func IsCertificateError(err error) bool { return transport.IsCertificateError(err) }

// IsForbidden reports whether err is an API error with status 403: the
// credentials are valid but their user lacks a permission.
func IsForbidden(err error) bool { return StatusCode(err) == http.StatusForbidden }

// IsUnauthorized reports whether err is an API error with status 401 (for
// /token: the credentials were refused).
func IsUnauthorized(err error) bool { return StatusCode(err) == http.StatusUnauthorized }

// describeTransport is the message of a transport failure. A certificate
// failure says so plainly, naming the server, instead of Go's
// "Get \"https://...\": tls: failed to verify certificate: x509: ...".
func describeTransport(err error) string { return sanitizeMessage(transport.Describe(err)) }

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
	return decodeError(status, body, func(s string) string { return s })
}

// decodeError is DecodeError with clean applied to the raw body and to each
// decoded message, before whitespace is collapsed and the text cut: an
// echoed credential is removed whole, whatever its length or spaces.
func decodeError(status int, body []byte, clean func(string) string) []string {
	fallback := http.StatusText(status)
	if fallback == "" {
		fallback = fmt.Sprintf("HTTP status %d", status)
	}
	trimmed := strings.TrimSpace(clean(string(body)))
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
		// Not JSON (an HTML error page, a truncated body): mask
		// "password": "…"-style pairs textually all the same, and keep only
		// the text of an HTML page.
		text := string(MaskJSON([]byte(trimmed)))
		if looksLikeHTML(text) {
			text = htmlText(text)
		}
		msgs = []string{text}
	}
	out := make([]string, 0, len(msgs))
	seen := map[string]bool{}
	for _, m := range msgs {
		m = sanitizeMessage(clean(m))
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

var (
	htmlDropRe  = regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(script|style|head)\s*>|<!--.*?-->`)
	htmlTagRe   = regexp.MustCompile(`(?s)<[^>]*>`)
	htmlTitleRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
)

// looksLikeHTML reports an HTML document or fragment (a gateway's error page).
func looksLikeHTML(s string) bool {
	l := strings.ToLower(s[:min(len(s), 512)])
	return strings.HasPrefix(l, "<") && (strings.Contains(l, "<html") || strings.Contains(l, "<!doctype html") ||
		strings.Contains(l, "<body") || strings.Contains(l, "<h1") || strings.Contains(l, "<title"))
}

// htmlText is the visible text of an HTML page (the title is kept when the
// body has no text).
func htmlText(s string) string {
	title := ""
	if m := htmlTitleRe.FindStringSubmatch(s); m != nil {
		title = strings.TrimSpace(html.UnescapeString(htmlTagRe.ReplaceAllString(m[1], " ")))
	}
	text := htmlDropRe.ReplaceAllString(s, " ")
	text = strings.TrimSpace(html.UnescapeString(htmlTagRe.ReplaceAllString(text, " ")))
	if text == "" {
		text = title
	}
	if text == "" {
		return s
	}
	return text
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
// echoing one back never puts it into an error or a log. It has no word
// boundary: a key may follow a letter, an "=" encoded as %3D, or "_".
var stripeSecretRe = regexp.MustCompile(`(sk|rk|rkcs)_(test|live)_[A-Za-z0-9_]+`)

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
