package apic

import (
	"context"
	"strings"
	"testing"
)

// TestPathSegmentsRejected: an org, Catalog, integration or id that is a
// dot segment, empty, or holds "/", whitespace or a control character is
// refused before any request (url.PathEscape keeps dots, so ".." would
// reach the parent: DELETE /orgs/o/billings/.. deletes nothing named "..").
func TestPathSegmentsRejected(t *testing.T) {
	f := newFake(t)
	c := mustNew(t, testConfig(f))
	ctx := context.Background()
	for _, bad := range []string{"..", ".", "", " ", "a/b", "a b", "a\tb", "a\nb", "a\x00b", "a\u0085b", "\u00a0"} {
		calls := map[string]func() error{
			"DeleteBilling org":     func() error { return c.DeleteBilling(ctx, bad, "b") },
			"DeleteBilling billing": func() error { return c.DeleteBilling(ctx, "o", bad) },
			"GetBilling":            func() error { _, err := c.GetBilling(ctx, "o", bad); return err },
			"UpdateBilling":         func() error { _, err := c.UpdateBilling(ctx, "o", bad, BillingPatch{}); return err },
			"CreateBilling":         func() error { _, err := c.CreateBilling(ctx, bad, sampleBilling("b")); return err },
			"GetOrg":                func() error { _, err := c.GetOrg(ctx, bad); return err },
			"GetCatalogSettings":    func() error { _, err := c.GetCatalogSettings(ctx, "o", bad); return err },
			"CreateConfiguredBilling": func() error {
				_, err := c.CreateConfiguredBilling(ctx, "o", bad, "https://x/api/orgs/o/billings/b")
				return err
			},
			"DeleteConfiguredBilling id":  func() error { return c.DeleteConfiguredBilling(ctx, "o", "sandbox", bad) },
			"DeleteConfiguredBilling org": func() error { return c.DeleteConfiguredBilling(ctx, bad, "sandbox", "id") },
			"ListJobs":                    func() error { _, err := c.ListJobs(ctx, "o", bad); return err },
			"RetryJob":                    func() error { _, err := c.RetryJob(ctx, "o", "b", bad); return err },
		}
		for name, call := range calls {
			err := call()
			if err == nil || !strings.HasPrefix(err.Error(), "apic: ") {
				t.Errorf("%s(%q): err = %v, want it refused", name, bad, err)
			}
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.rawPaths) != 0 {
		t.Fatalf("requests were sent: %v", f.rawPaths)
	}
	for _, good := range []string{"acme", "3f2a-uuid", "billing-1", "Org_Name", "my%org", "ä"} {
		if err := CheckPathSegment(good); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
}
