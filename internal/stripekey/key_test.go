package stripekey

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in      string
		want    Key
		wantErr string
	}{
		{in: "pk_test_abc123", want: Key{KindPublishable, ModeTest}},
		{in: "pk_live_abc123", want: Key{KindPublishable, ModeLive}},
		{in: "sk_test_51Hxyz", want: Key{KindSecret, ModeTest}},
		{in: "sk_live_51Hxyz", want: Key{KindSecret, ModeLive}},
		{in: "rk_test_abc", want: Key{KindRestricted, ModeTest}},
		{in: "rk_live_abc_def", want: Key{KindRestricted, ModeLive}},
		{in: "", wantErr: "empty"},
		{in: "   ", wantErr: "empty"},
		{in: " sk_test_abc", wantErr: "whitespace"},
		{in: "sk_test_ab c", wantErr: "whitespace"},
		{in: "sk_test_abc\n", wantErr: "whitespace"},
		{in: "sk_abc", wantErr: "not of the form"},
		{in: "skabc", wantErr: "not of the form"},
		{in: "xk_test_abc", wantErr: "unknown key prefix"},
		{in: "whsec_test_abc", wantErr: "unknown key prefix"},
		{in: "sk_prod_abc", wantErr: "unknown key mode"},
		{in: "sk_TEST_abc", wantErr: "unknown key mode"},
		{in: "sk_test_", wantErr: "no characters"},
		{in: "sk_test_abc-def", wantErr: "characters Stripe keys never have"},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("Parse(%q) error = %v, want it to contain %q", c.in, err, c.wantErr)
			}
			if err != nil && strings.TrimSpace(c.in) != "" && len(c.in) > 6 && strings.Contains(err.Error(), c.in) {
				t.Errorf("Parse(%q) error echoes the key: %v", c.in, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

func TestParseKinds(t *testing.T) {
	if _, err := ParsePublishable("sk_test_abc"); err == nil || !strings.Contains(err.Error(), "publishable key") {
		t.Errorf("ParsePublishable(sk) = %v", err)
	}
	if _, err := ParseSecret("pk_test_abc"); err == nil || !strings.Contains(err.Error(), "publishable_key") {
		t.Errorf("ParseSecret(pk) = %v", err)
	}
	if k, err := ParseSecret("rk_live_abc"); err != nil || k.Mode != ModeLive {
		t.Errorf("ParseSecret(rk_live) = %+v, %v", k, err)
	}
}

func TestFingerprint(t *testing.T) {
	a := Fingerprint([]byte("salt"), "sk_test_abc")
	if a != Fingerprint([]byte("salt"), "sk_test_abc") {
		t.Fatal("fingerprint is not deterministic")
	}
	if a == Fingerprint([]byte("other"), "sk_test_abc") || a == Fingerprint([]byte("salt"), "sk_test_abd") {
		t.Fatal("fingerprint does not depend on salt and key")
	}
	if strings.Contains(a, "abc") {
		t.Fatal("fingerprint contains key material")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"pk_test_abc", "sk_live_51H", "rk_test_a_b", "", " ", "sk__", "pk_test_\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// No error, of any of the parsers, repeats the key or its body (a
		// body with a digit: the messages' own text has none).
		_, prefix, _ := strings.Cut(s, "_")
		_, body, _ := strings.Cut(prefix, "_")
		for _, parse := range []func(string) (Key, error){Parse, ParsePublishable, ParseSecret} {
			if _, err := parse(s); err != nil {
				if len(s) > 12 && strings.Contains(err.Error(), s) || len(body) >= 6 && strings.ContainsAny(body, "0123456789") && strings.Contains(err.Error(), body) {
					t.Fatalf("error %q echoes the key", err)
				}
			}
		}
		k, err := Parse(s)
		if err != nil {
			return
		}
		if !strings.HasPrefix(s, string(k.Kind)+"_"+string(k.Mode)+"_") {
			t.Fatalf("Parse(%q) = %+v does not match the prefix", s, k)
		}
		if body == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s, " \t\r\n") {
			t.Fatalf("Parse(%q) accepted a key without body or with whitespace", s)
		}
		for _, r := range body {
			if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '_' {
				t.Fatalf("Parse(%q) accepted the character %q", s, r)
			}
		}
		if _, err := ParseSecret(s); (err == nil) != k.IsSecret() {
			t.Fatalf("ParseSecret(%q) disagrees with Parse: %v", s, err)
		}
		if _, err := ParsePublishable(s); (err == nil) != (k.Kind == KindPublishable) {
			t.Fatalf("ParsePublishable(%q) disagrees with Parse: %v", s, err)
		}
	})
}
