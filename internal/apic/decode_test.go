package apic

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeError(t *testing.T) {
	huge := strings.Repeat("A", 5000)
	cases := []struct {
		name   string
		status int
		body   string
		want   []string
	}{
		{"string", 400, `{"status":400,"message":"bad thing"}`, []string{"bad thing"}},
		{"array", 400, `{"status":400,"message":["one","two"]}`, []string{"one", "two"}},
		{"errors strings", 409, `{"errors":["dup"]}`, []string{"dup"}},
		{"errors objects", 422, `{"errors":[{"message":"m1"},{"code":"x","message":["m2"]}]}`, []string{"m1", "m2"}},
		{"errors object without message", 422, `{"errors":[{"field":"name"}]}`, []string{`{"field":"name"}`}},
		{"message and errors deduped", 400, `{"message":["a"],"errors":["a","b"]}`, []string{"a", "b"}},
		{"oauth", 401, `{"error":"invalid_grant","error_description":"bad password"}`, []string{"bad password"}},
		{"oauth code only", 401, `{"error":"invalid_grant"}`, []string{"invalid_grant"}},
		{"non-JSON", 502, "<html>\n<body>Bad\tGateway</body></html>", []string{"Bad Gateway"}},
		{"HTML page", 503, "<!DOCTYPE html><html><head><title>503</title><style>p{}</style></head><body><h1>Service &amp; Unavailable</h1><script>x()</script></body></html>", []string{"Service & Unavailable"}},
		{"HTML title only", 502, "<html><head><title>Bad Gateway</title></head><body></body></html>", []string{"Bad Gateway"}},
		{"plain text", 500, "upstream timed out <1s>", []string{"upstream timed out <1s>"}},
		{"control chars", 500, "oops\x00\x07 here", []string{"oops here"}},
		{"empty", 503, "", []string{"Service Unavailable"}},
		{"whitespace", 404, "  \n", []string{"Not Found"}},
		{"empty message", 404, `{"message":[]}`, []string{`{"message":[]}`}},
		{"unknown status", 599, "", []string{"HTTP status 599"}},
		{"stripe key redacted", 400, `{"message":"key sk_live_abcDEF123 rejected"}`, []string{"key sk_live_*** rejected"}},
		{"secret in unknown JSON masked", 400, `{"password":"p"}`, []string{`{"password":"***"}`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := DecodeError(tc.status, []byte(tc.body))
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	got := DecodeError(500, []byte(huge))
	if len(got) != 1 || len([]rune(got[0])) != maxMessageLen+1 || !strings.HasSuffix(got[0], "…") {
		t.Fatalf("huge: len %d", len(got[0]))
	}
	got = DecodeError(500, []byte(`{"message":"`+huge+`"}`))
	if len([]rune(got[0])) != maxMessageLen+1 {
		t.Fatalf("huge message: len %d", len(got[0]))
	}
}

func TestErrorString(t *testing.T) {
	e := &Error{StatusCode: 404, Method: "GET", Path: "/orgs/o/billings/b", Messages: []string{"not found", "really"}}
	if e.Error() != "GET /orgs/o/billings/b: Not Found (404): not found; really" {
		t.Fatal(e.Error())
	}
	if !IsNotFound(e) || IsConflict(e) || StatusCode(e) != 404 || StatusCode(nil) != 0 {
		t.Fatal("helpers")
	}
}

func TestMaskJSON(t *testing.T) {
	in := `{"name":"b","configuration":{"publishable_key":"pk_test_1","full_access_key":"sk_test_X"},
	"list":[{"Password":"p1","nested":{"api_key":"k","token":"t","secret":"s"}}],
	"client_secret":"cs","access_token":"at","n":1.50,"nullpw":{"password":null},"note":"uses sk_live_ABC"}`
	out := MaskJSON([]byte(in))
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	s := string(out)
	for _, secret := range []string{"sk_test_X", `"p1"`, `"k"`, `"t"`, `"s"`, `"cs"`, `"at"`, "sk_live_ABC"} {
		if strings.Contains(s, secret) {
			t.Errorf("%s leaked: %s", secret, s)
		}
	}
	for _, keep := range []string{`"pk_test_1"`, `"name":"b"`, `1.50`, `"password":null`, `"full_access_key":"***"`, `"Password":"***"`} {
		if !strings.Contains(s, keep) {
			t.Errorf("%s missing: %s", keep, s)
		}
	}
	// Not JSON (e.g. truncated): textual masking.
	tr := string(MaskJSON([]byte(`{"a":1,"password":"hunter2","token": "abc`)))
	if strings.Contains(tr, "hunter2") || strings.Contains(tr, "abc") {
		t.Fatalf("truncated: %s", tr)
	}
	if string(MaskJSON(nil)) != "" {
		t.Fatal("nil")
	}
	if string(MaskJSON([]byte(`[{"secret":"x"}]`))) != `[{"secret":"***"}]` {
		t.Fatal("array")
	}
}
