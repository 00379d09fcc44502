package apic

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"sync"
)

// maxLearned bounds the issued tokens and sent secrets a redactor remembers.
const maxLearned = 64

// redactor removes the client's credentials from text that came from the
// platform (error bodies, job errors, log lines): the configured password,
// API key, client secret and static token, the tokens issued to the client
// and the secrets (Stripe keys) it sent. It works on the raw text, before whitespace is collapsed or the
// text is cut, and also matches each value with its whitespace collapsed.
type redactor struct {
	mu       sync.RWMutex
	fixed    []string // configured secrets
	learned  []string // tokens issued to the client and secrets it sent, newest last
	patterns []string // fixed and issued, with collapsed variants, longest first
}

func newRedactor(secrets ...string) *redactor {
	r := &redactor{}
	for _, s := range secrets {
		if s != "" && !slices.Contains(r.fixed, s) {
			r.fixed = append(r.fixed, s)
		}
	}
	r.rebuild()
	return r
}

// learn remembers tokens issued to the client or secrets it sent.
func (r *redactor) learn(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	changed := false
	for _, v := range values {
		if v == "" || slices.Contains(r.fixed, v) || slices.Contains(r.learned, v) {
			continue
		}
		r.learned = append(r.learned, v)
		changed = true
	}
	if !changed {
		return
	}
	if len(r.learned) > maxLearned {
		r.learned = r.learned[len(r.learned)-maxLearned:]
	}
	r.rebuild()
}

// rebuild recomputes patterns; the caller holds r.mu (or owns r).
func (r *redactor) rebuild() {
	var p []string
	for _, s := range append(slices.Clone(r.fixed), r.learned...) {
		p = append(p, s)
		if c := strings.Join(strings.Fields(s), " "); c != s && c != "" {
			p = append(p, c)
		}
	}
	// Longest first, so a secret containing another is replaced whole.
	slices.SortStableFunc(p, func(a, b string) int { return len(b) - len(a) })
	r.patterns = slices.Compact(p)
}

// text returns s without the client's credentials, the extra values (for
// instance the secrets of the request that failed) and Stripe secret keys.
func (r *redactor) text(s string, extra ...string) string {
	if r != nil {
		r.mu.RLock()
		for _, p := range r.patterns {
			s = strings.ReplaceAll(s, p, masked)
		}
		r.mu.RUnlock()
	}
	for _, p := range extra {
		if p != "" {
			s = strings.ReplaceAll(s, p, masked)
		}
	}
	return redactStripeKeys(s)
}

// clean is text without extra values.
func (r *redactor) clean(s string) string { return r.text(s) }

// bytes is text for a body.
func (r *redactor) bytes(b []byte, extra ...string) []byte {
	if len(b) == 0 {
		return b
	}
	return []byte(r.text(string(b), extra...))
}

// sensitiveValues collects the string values under secret keys (see
// isSensitiveKey) of a JSON request body, at any depth: the secrets a
// request sent, which its error answer must not repeat.
func sensitiveValues(body []byte) []string {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	var out []string
	var walk func(v any, secret bool)
	walk = func(v any, secret bool) {
		switch t := v.(type) {
		case map[string]any:
			for k, x := range t {
				walk(x, secret || isSensitiveKey(k))
			}
		case []any:
			for _, x := range t {
				walk(x, secret)
			}
		case string:
			if secret && t != "" && t != masked && t != "********" {
				out = append(out, t)
			}
		}
	}
	walk(v, false)
	return out
}
