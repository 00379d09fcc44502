package apic

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
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
			queue:    &JobQueueStatus{State: "blocked", PendingJobs: ptr(int64(2)), BlockedReason: "card"},
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
			if c.queue != nil && !reflect.DeepEqual(b.JobQueueStatus, c.queue) {
				t.Errorf("job_queue_status = %+v, want %+v", b.JobQueueStatus, c.queue)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestOddJobQueueShapes: job_queue_status and jobs in shapes no public source
// rules out decode without failing the read; a missing or unknown state is
// "" (never idle) and a missing count nil.
func TestOddJobQueueShapes(t *testing.T) {
	for _, c := range []struct {
		name, queue string
		want        *JobQueueStatus
		state       string
	}{
		{"missing", ``, nil, ""},
		{"null", `,"job_queue_status":null`, nil, ""},
		{"a bare state", `,"job_queue_status":"Running"`, &JobQueueStatus{State: "Running"}, StateRunning},
		{"capitalised, count as a string", `,"job_queue_status":{"state":"Blocked","pending_jobs":"3","blocked_reason":"card declined"}`,
			&JobQueueStatus{State: "Blocked", PendingJobs: ptr(int64(3)), BlockedReason: "card declined"}, StateBlocked},
		{"unknown state", `,"job_queue_status":{"state":"paused","pending_jobs":1}`, &JobQueueStatus{State: "paused", PendingJobs: ptr(int64(1))}, ""},
		{"no state", `,"job_queue_status":{"pending_jobs":0}`, &JobQueueStatus{PendingJobs: ptr(int64(0))}, ""},
		{"status and an error object", `,"job_queue_status":{"status":"failed","pending":2,"error":{"message":"Stripe unreachable"}}`,
			&JobQueueStatus{State: "failed", PendingJobs: ptr(int64(2)), BlockedReason: "Stripe unreachable"}, StateFailed},
		{"an array", `,"job_queue_status":[1,2]`, &JobQueueStatus{}, ""},
		{"a number", `,"job_queue_status":7`, &JobQueueStatus{}, ""},
		{"a nested state object and a negative count", `,"job_queue_status":{"state":{"name":"running"},"pending_jobs":-1}`, &JobQueueStatus{State: `{"name":"running"}`}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b Billing
			if err := json.Unmarshal([]byte(`{"id":"b1","name":"n"`+c.queue+`}`), &b); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(b.JobQueueStatus, c.want) {
				t.Errorf("job_queue_status = %+v, want %+v", b.JobQueueStatus, c.want)
			}
			got := ""
			if b.JobQueueStatus != nil {
				got = QueueState(b.JobQueueStatus.State)
			}
			if got != c.state {
				t.Errorf("state = %q, want %q", got, c.state)
			}
		})
	}
	var jobs []Job
	body := `[{"id":"j1","state":"Blocked","error":{"message":["card declined","retry later"]},"created_at":1700000000},` +
		`{"id":2,"status":"failed","error":"boom"},{"id":"j3","state":["x"]},"not an object"]`
	if err := json.Unmarshal([]byte(body), &jobs); err != nil {
		t.Fatalf("jobs: %v", err)
	}
	want := []Job{
		{ID: "j1", State: "Blocked", Error: "card declined; retry later", CreatedAt: "1700000000"},
		{ID: "2", State: "failed", Error: "boom"},
		{ID: "j3", State: "x"},
		{},
	}
	if !reflect.DeepEqual(jobs, want) {
		t.Fatalf("jobs = %+v, want %+v", jobs, want)
	}
	if JobState("Blocked") != StateBlocked || JobState("idle") != "" || JobState("paused") != "" {
		t.Fatal("JobState")
	}
}
