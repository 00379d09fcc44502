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
