package apic

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// sensitiveKeyList is the fuzzers' choice of secret-bearing JSON keys.
var sensitiveKeyList = []string{
	"full_access_key", "password", "api_key", "apikey", "client_secret", "access_token",
	"refresh_token", "id_token", "token", "secret", "secret_key", "authorization",
	"Password", "ACCESS_TOKEN", "Api_Key",
}

// FuzzDecodeError feeds arbitrary error bodies to DecodeError. Whatever the
// body (JSON of any shape, HTML, binary, huge), DecodeError must not panic
// and must return 1 to 20 non-empty, valid UTF-8 messages of at most
// maxMessageLen characters (+ "…"), free of control characters and of
// unredacted Stripe secret keys; and for a JSON body, no value found under a
// secret key (password, token, full_access_key, ...) may reach a message.
func FuzzDecodeError(f *testing.F) {
	seeds := []struct {
		status int
		body   string
	}{
		{400, `{"status":400,"message":["Invalid configuration: publishable_key and full_access_key must be strings"]}`},
		{404, `{"status":404,"message":"Billing integration \"x\" not found"}`},
		{409, `{"errors":[{"message":"dup"},{"code":"x","token":"tok-abcdef123"}]}`},
		{401, `{"error":"invalid_grant","error_description":"bad password"}`},
		{403, `{"status":403,"message":["Forbidden: user apic-viewer is not authorized"]}`},
		{502, "<html>\n<body><h1>502 Bad Gateway</h1></body></html>"},
		{500, `{"message":{"password":"hunter2hunter2"}}`},
		{500, `{"password":"hunter2hunter2","client_secret":"cs-0123456789"`},
		{400, `{"message":"key sk_live_abcDEF1234567890 rejected"}`},
		{503, ""},
		{599, "\x00\x01\xff\xfe"},
		{429, `[{"message":["a","a","b"]}]`},
		{500, `{"message":[[[[[{"token":"deep-secret-value"}]]]]]}`},
	}
	for _, s := range seeds {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		msgs := DecodeError(status, body)
		checkMessages(t, msgs)
		for _, secret := range jsonSecrets(body) {
			if len(secret) < 6 || strings.Contains(masked, secret) {
				continue
			}
			if leaked(msgs, secret) && !leaked(DecodeError(status, replaceJSONSecrets(body)), secret) {
				t.Fatalf("DecodeError(%d, %q) = %q leaks the secret value %q", status, body, msgs, secret)
			}
		}
	})
}

// FuzzMaskJSON checks MaskJSON on arbitrary bodies: valid JSON comes back
// as valid JSON whose every value under a secret key (at any depth, any
// case) is "***" or null; and a "<secret key>": "<value>" pair embedded in
// any text, valid JSON or not, never lets the value through MaskJSON or
// DecodeError (a differential check: the value may only appear in the
// output if it also appears when the pair holds another value).
func FuzzMaskJSON(f *testing.F) {
	f.Add([]byte(`{"configuration":{"publishable_key":"pk_test_1","full_access_key":"sk_test_X"}}`), "{\"a\":1,", uint8(0), "Xy12345678", "}")
	f.Add([]byte(`[{"Password":"p1","nested":{"api_key":"k","token":"t"}}]`), "", uint8(1), "hunter2hunter2", "")
	f.Add([]byte(`{"a":1,"password":"hunter2","token": "abc`), "<html>", uint8(8), "abcdefgh1234", "</html>")
	f.Add([]byte(`{"password":null,"n":1.50}`), "{\"x\":[", uint8(4), "ZZZZ9999zzzz", "]}")
	f.Add([]byte("not json"), "{\"a\":\"", uint8(11), "Bearer0abc0def", "\"}")
	f.Fuzz(func(t *testing.T, body []byte, prefix string, keyIdx uint8, secret, suffix string) {
		// 1. Structural property on the body itself.
		out := MaskJSON(body)
		if json.Valid(body) && singleJSONValue(body) {
			var v any
			if err := json.Unmarshal(out, &v); err != nil {
				t.Fatalf("MaskJSON(%q) = %q is not valid JSON: %v", body, out, err)
			}
			if path, ok := unmaskedSecret(v, "$"); !ok {
				t.Fatalf("MaskJSON(%q) = %q leaves %s unmasked", body, out, path)
			}
		}

		// 2. Differential property on an embedded "key": "secret" pair.
		if len(secret) < 8 || len(secret) > 64 || !isAlnum(secret) {
			return
		}
		key := sensitiveKeyList[int(keyIdx)%len(sensitiveKeyList)]
		placeholder := strings.Repeat("Q", len(secret))
		if strings.Contains(placeholder, secret) {
			return
		}
		doc := func(value string) []byte {
			return []byte(prefix + `"` + key + `":"` + value + `"` + suffix)
		}
		with, without := doc(secret), doc(placeholder)
		if bytes.Contains(MaskJSON(with), []byte(secret)) && !bytes.Contains(MaskJSON(without), []byte(secret)) {
			t.Fatalf("MaskJSON(%q) = %q leaks the value of %q", with, MaskJSON(with), key)
		}
		if leaked(DecodeError(500, with), secret) && !leaked(DecodeError(500, without), secret) {
			t.Fatalf("DecodeError(500, %q) = %q leaks the value of %q", with, DecodeError(500, with), key)
		}
	})
}

// checkMessages asserts DecodeError's output invariants.
func checkMessages(t *testing.T, msgs []string) {
	t.Helper()
	if len(msgs) == 0 || len(msgs) > 20 {
		t.Fatalf("%d messages: %q", len(msgs), msgs)
	}
	for _, m := range msgs {
		if m == "" {
			t.Fatalf("empty message in %q", msgs)
		}
		if !utf8.ValidString(m) {
			t.Fatalf("invalid UTF-8: %q", m)
		}
		if n := utf8.RuneCountInString(m); n > maxMessageLen+1 {
			t.Fatalf("message of %d characters", n)
		}
		for _, r := range m {
			if unicode.IsControl(r) {
				t.Fatalf("control character %U in %q", r, m)
			}
		}
		if loc := stripeSecretRe.FindStringIndex(m); loc != nil {
			t.Fatalf("unredacted Stripe secret key %q in %q", m[loc[0]:loc[1]], m)
		}
	}
}

func leaked(msgs []string, secret string) bool {
	for _, m := range msgs {
		if strings.Contains(m, secret) {
			return true
		}
	}
	return false
}

func singleJSONValue(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	var v any
	return dec.Decode(&v) == nil && !dec.More()
}

// jsonSecrets returns the string values found under secret keys of a JSON
// body (nil when it is not JSON).
func jsonSecrets(body []byte) []string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any, bool)
	walk = func(x any, under bool) {
		switch t := x.(type) {
		case map[string]any:
			for k, y := range t {
				walk(y, under || isSensitiveKey(k))
			}
		case []any:
			for _, y := range t {
				walk(y, under)
			}
		case string:
			if under {
				out = append(out, t)
			}
		}
	}
	walk(v, false)
	return out
}

// replaceJSONSecrets re-encodes a JSON body with every value under a secret
// key replaced by "REPLACED".
func replaceJSONSecrets(body []byte) []byte {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return body
	}
	var walk func(any) any
	walk = func(x any) any {
		switch t := x.(type) {
		case map[string]any:
			for k, y := range t {
				if isSensitiveKey(k) {
					t[k] = "REPLACED"
				} else {
					t[k] = walk(y)
				}
			}
		case []any:
			for i, y := range t {
				t[i] = walk(y)
			}
		}
		return x
	}
	b, err := json.Marshal(walk(v))
	if err != nil {
		return body
	}
	return b
}

// unmaskedSecret walks a decoded document; ok is false with the path of the
// first value under a secret key that is neither "***" nor null.
func unmaskedSecret(v any, path string) (string, bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, y := range t {
			if isSensitiveKey(k) {
				if y != nil && y != masked {
					return path + "." + k, false
				}
				continue
			}
			if p, ok := unmaskedSecret(y, path+"."+k); !ok {
				return p, false
			}
		}
	case []any:
		for _, y := range t {
			if p, ok := unmaskedSecret(y, path+"[]"); !ok {
				return p, false
			}
		}
	}
	return "", true
}

func isAlnum(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// TestDecodeErrorNonJSONMasked: a body that is not JSON (an echo of the
// request in an error page, a truncated document) is masked textually.
func TestDecodeErrorNonJSONMasked(t *testing.T) {
	msgs := DecodeError(http.StatusBadGateway, []byte(`<pre>upstream said {"password":"hunter2hunter2","client_secret": "cs-123456789"</pre>`))
	if leaked(msgs, "hunter2hunter2") || leaked(msgs, "cs-123456789") {
		t.Fatalf("leak: %q", msgs)
	}
}
