package apic

import "testing"

func TestBillingRef(t *testing.T) {
	for in, want := range map[string]string{
		"https://h/api/orgs/acme/billings/stripe-live":    "stripe-live",
		"https://h/api/orgs/acme/billings/stripe-live/":   "stripe-live",
		"https://h/api/orgs/o/billings/1234-abcd?x=1":     "1234-abcd",
		"https://h/api/orgs/o/billings/with%20space":      "with space",
		"https://h/api/something/else":                    "",
		"https://h/api/orgs/o/billings/a/jobs/billings/b": "b",
	} {
		if got := BillingRef(in); got != want {
			t.Errorf("BillingRef(%q) = %q, want %q", in, got, want)
		}
	}
	if !RefersToBilling("https://h/api/orgs/acme/billings/Stripe-Live", "id-1", "stripe-live") {
		t.Error("name comparison should ignore case")
	}
	if RefersToBilling("https://h/api/orgs/acme/billings/other", "id-1", "stripe-live") {
		t.Error("another integration matched")
	}
}

func TestBillingOrgAndSameServer(t *testing.T) {
	for in, want := range map[string]string{
		"https://h/api/orgs/acme/billings/stripe-live":  "acme",
		"https://h/api/orgs/1f2e-uuid/billings/b/":      "1f2e-uuid",
		"https://h/api/orgs/%2e%2e/billings/b":          "..",
		"https://h/api/orgs/a%20b/billings/b?x=1":       "a b",
		"https://h/api/orgs/acme/catalogs/x/billings/b": "",
		"https://h/api/something/else":                  "",
	} {
		if got := BillingOrg(in); got != want {
			t.Errorf("BillingOrg(%q) = %q, want %q", in, got, want)
		}
	}
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"https://Platform.Example.com/api", "https://platform.example.com.:443/api/orgs/o/billings/b", true},
		{"http://127.0.0.1:8080/api", "http://127.0.0.1:8080/api/orgs/o/billings/b", true},
		{"http://127.0.0.1:8080/api", "http://127.0.0.1:9090/api/orgs/o/billings/b", false},
		{"https://platform.example.com/api", "http://platform.example.com/api/orgs/o/billings/b", false},
		{"https://platform.example.com/api", "https://other.example.com/api/orgs/o/billings/b", false},
	} {
		if got := SameServer(tc.a, tc.b); got != tc.same {
			t.Errorf("SameServer(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}
