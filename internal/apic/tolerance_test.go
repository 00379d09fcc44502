package apic

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestToleratesPlatformVariants: where IBM's documentation leaves the shape
// open, the client accepts each plausible variant: unknown extra fields,
// metadata.testmode as a string or a bool, a missing job_queue_status.
func TestToleratesPlatformVariants(t *testing.T) {
	cases := []struct {
		name     string
		body     string
		testMode bool
		queue    *JobQueueStatus
	}{
		{
			name:     "documented fixture shape with extra fields",
			body:     `{"type":"billing","api_version":"2.0.0","id":"b1","name":"n","scope":"org","future_field":{"nested":[1,2]},"configuration":{"publishable_key":"pk_test_x","full_access_key":"********","extra":true},"metadata":{"testmode":"true","account_id":"acct_1"},"job_queue_status":{"state":"blocked","pending_jobs":2,"blocked_reason":"card","extra":1}}`,
			testMode: true,
			queue:    &JobQueueStatus{State: "blocked", PendingJobs: 2, BlockedReason: "card"},
		},
		{
			name:     "testmode as a JSON bool",
			body:     `{"id":"b1","name":"n","metadata":{"testmode":true,"account_id":"acct_1"}}`,
			testMode: true,
		},
		{
			name: "live: testmode false as a string, no job queue",
			body: `{"id":"b1","name":"n","metadata":{"testmode":"false","account_id":"acct_1"}}`,
		},
		{
			name: "no metadata at all",
			body: `{"id":"b1","name":"n"}`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(c.body))
			}))
			defer srv.Close()
			client, err := New(Config{Endpoint: srv.URL + "/api", Token: "t", MaxRetries: 0})
			if err != nil {
				t.Fatal(err)
			}
			b, err := client.GetBilling(context.Background(), "org", "n")
			if err != nil {
				t.Fatalf("GetBilling: %v", err)
			}
			if b.ID != "b1" {
				t.Errorf("id = %q", b.ID)
			}
			got := b.Metadata != nil && bool(b.Metadata.TestMode)
			if got != c.testMode {
				t.Errorf("testmode = %v, want %v", got, c.testMode)
			}
			if c.queue != nil && (b.JobQueueStatus == nil || *b.JobQueueStatus != *c.queue) {
				t.Errorf("job_queue_status = %+v, want %+v", b.JobQueueStatus, c.queue)
			}
		})
	}
}
