package apic

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// TestCreateNeverAdoptsAForeignObject: after an ambiguous create (dropped
// connection, 5xx, or a 409 after one), an integration of the same name
// whose title, publishable key or integration URL differ from what was sent
// is someone else's: the create fails naming it, and nothing is deleted.
func TestCreateNeverAdoptsAForeignObject(t *testing.T) {
	for _, tc := range []struct {
		name    string
		foreign func(in BillingCreate) BillingCreate
		answer  func(t *testing.T, w http.ResponseWriter)
		differs string
	}{
		{"dropped, other title", func(in BillingCreate) BillingCreate { in.Title = "Someone else's"; return in },
			func(t *testing.T, w http.ResponseWriter) { dropConnection(t, w) }, "title"},
		{"503, other publishable key", func(in BillingCreate) BillingCreate { in.Configuration.PublishableKey = "pk_live_other"; return in },
			func(_ *testing.T, w http.ResponseWriter) { writeErr(w, http.StatusServiceUnavailable, "busy") }, "publishable key"},
		{"dropped, other integration URL", func(in BillingCreate) BillingCreate {
			in.IntegrationURL = "https://x/api/cloud/integrations/billing/other"
			return in
		},
			func(t *testing.T, w http.ResponseWriter) { dropConnection(t, w) }, "integration URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			mine := sampleBilling("b1")
			f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
				if route == "POST /billings" && n == 1 {
					f.commitBilling("o", tc.foreign(mine)) // another user wins the race
					tc.answer(t, w)
					return true
				}
				return false
			}
			_, err := mustNew(t, testConfig(f)).CreateBilling(context.Background(), "o", mine)
			var fe *ForeignObjectError
			if !errors.As(err, &fe) || fe.Name != "b1" || fe.ID == "" || !strings.Contains(err.Error(), tc.differs) {
				t.Fatalf("err = %v, want a ForeignObjectError naming %s", err, tc.differs)
			}
			if b := f.findBilling("o", "b1"); b == nil || b.Title == mine.Title && b.Configuration.PublishableKey == mine.Configuration.PublishableKey && b.IntegrationURL == mine.IntegrationURL {
				t.Fatalf("the foreign integration changed: %+v", b)
			}
			if f.count("DELETE /billings/{b}") != 0 || f.count("PATCH /billings/{b}") != 0 || f.count("POST /billings") != 1 {
				t.Fatalf("requests after the foreign object was found: %v", f.counts)
			}
		})
	}
}
