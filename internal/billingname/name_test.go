package billingname

import (
	"errors"
	"testing"
)

func TestFromTitle(t *testing.T) {
	cases := []struct {
		title, want string
		err         error
	}{
		{title: "Acme Billing", want: "acme-billing"},
		{title: "Acme Billing (Test)", want: "acme-billing-test"},
		{title: "  Stripe -- live!  ", want: "stripe-live"},
		{title: "ALL CAPS 2025", want: "all-caps-2025"},
		{title: "a", want: "a"},
		{title: "9 lives", want: "9-lives"},
		{title: "Café Zürich", want: "caf-z-rich"},
		{title: "tab\tand\nnewline", want: "tab-and-newline"},
		{title: "already-a-name", want: "already-a-name"},
		{title: "", err: ErrNoName},
		{title: "---", err: ErrNoName},
		{title: "éàü", err: ErrNoName},
	}
	for _, c := range cases {
		got, err := FromTitle(c.title)
		if !errors.Is(err, c.err) || got != c.want {
			t.Errorf("FromTitle(%q) = %q, %v; want %q, %v", c.title, got, err, c.want, c.err)
		}
		if err == nil && !Pattern.MatchString(got) {
			t.Errorf("FromTitle(%q) = %q does not match Pattern", c.title, got)
		}
	}
}

// FuzzFromTitle: every derived name has the platform's shape, and deriving
// again from a derived name changes nothing.
func FuzzFromTitle(f *testing.F) {
	for _, s := range []string{"Acme Billing", "", "--", "Café", "x_y.z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		name, err := FromTitle(title)
		if err != nil {
			return
		}
		if !Pattern.MatchString(name) {
			t.Fatalf("FromTitle(%q) = %q does not match Pattern", title, name)
		}
		if again, err := FromTitle(name); err != nil || again != name {
			t.Fatalf("FromTitle(%q) = %q, %v; want it unchanged", name, again, err)
		}
	})
}
