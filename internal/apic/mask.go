package apic

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
)

// masked replaces secret values in logs.
const masked = "***"

// sensitiveKeys are JSON keys whose values never reach a log (compared case
// insensitively, at any depth).
var sensitiveKeys = map[string]bool{
	"full_access_key": true,
	"password":        true,
	"api_key":         true,
	"apikey":          true,
	"client_secret":   true,
	"access_token":    true,
	"refresh_token":   true,
	"id_token":        true,
	"token":           true,
	"secret":          true,
	"secret_key":      true,
	"authorization":   true,
}

func isSensitiveKey(k string) bool { return sensitiveKeys[strings.ToLower(k)] }

// sensitiveKVRe catches "key": "value" pairs in text that is not valid JSON
// (for instance a truncated body).
var sensitiveKVRe = regexp.MustCompile(`(?i)("(?:full_access_key|password|api_?key|client_secret|access_token|refresh_token|id_token|token|secret|secret_key|authorization)"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^,}\]\s]+)`)

// MaskJSON returns body with the values of secret keys (full_access_key,
// password, api_key, client_secret, access_token, token, secret, ... at any
// depth) replaced by "***". Valid JSON is re-encoded compactly (object keys
// sorted); anything else is masked textually. Stripe secret keys appearing in
// any string are redacted as well.
func MaskJSON(body []byte) []byte {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return body
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err == nil && !dec.More() {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(maskValue(v)); err == nil {
			return bytes.TrimRight(buf.Bytes(), "\n")
		}
	}
	s := sensitiveKVRe.ReplaceAllString(string(body), `${1}"`+masked+`"`)
	return []byte(redactStripeKeys(s))
}

func maskValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if isSensitiveKey(k) {
				if x != nil {
					t[k] = masked
				}
				continue
			}
			t[k] = maskValue(x)
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = maskValue(x)
		}
		return t
	case string:
		return redactStripeKeys(t)
	default:
		return v
	}
}
