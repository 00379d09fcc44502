package apic

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

// jobQueueFake serves one billing's job queue on top of fakeAPI. retry
// decides the answer to POST .../retry of a job (0: the platform's
// behaviour: a blocked or failed job runs and leaves the queue).
type jobQueueFake struct {
	mu      sync.Mutex
	jobs    []Job
	retried []string
	retry   func(id string) int
}

func (q *jobQueueFake) serve(w http.ResponseWriter, r *http.Request) bool {
	const base = "/api/orgs/o/billings/b1/jobs"
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/api/orgs/o/billings/gone/jobs":
		writeErr(w, 404, "Billing gone not found")
	case r.Method == http.MethodGet && r.URL.Path == base:
		writeJSON(w, 200, map[string]any{"total_results": len(q.jobs), "results": q.jobs})
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, base+"/") && strings.HasSuffix(r.URL.Path, "/retry"):
		id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, base+"/"), "/retry")
		q.retried = append(q.retried, id)
		if q.retry != nil {
			if st := q.retry(id); st != 0 {
				writeErr(w, st, "answer "+http.StatusText(st))
				return true
			}
		}
		i := slices.IndexFunc(q.jobs, func(j Job) bool { return j.ID == id })
		switch {
		case i < 0:
			writeErr(w, 404, "Job not found")
		case !IsRetryable(q.jobs[i].State):
			writeErr(w, 409, "Only blocked or failed jobs can be retried")
		default:
			j := q.jobs[i]
			j.State = "running"
			q.jobs = slices.Delete(q.jobs, i, i+1)
			writeJSON(w, 200, j)
		}
	default:
		return false
	}
	return true
}

func newJobQueue(t *testing.T, jobs ...Job) (*Client, *jobQueueFake) {
	t.Helper()
	f := newFake(t)
	q := &jobQueueFake{jobs: slices.Clone(jobs)}
	f.fault = func(w http.ResponseWriter, r *http.Request, _ string, _ int) bool { return q.serve(w, r) }
	return mustNew(t, testConfig(f)), q
}

func ids(jobs []Job) []string {
	out := make([]string, 0, len(jobs))
	for _, j := range jobs {
		out = append(out, jobRef(j))
	}
	return out
}

func TestRetryBlockedJobs(t *testing.T) {
	ctx := context.Background()
	queue := []Job{{ID: "j1", State: "Blocked"}, {ID: "j2", State: "failed"}, {ID: "j3", State: "running"}}

	t.Run("retries blocked and failed jobs head first", func(t *testing.T) {
		c, q := newJobQueue(t, queue...)
		out, err := c.RetryBlockedJobs(ctx, "o", "b1")
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(out.Retried); !slices.Equal(got, []string{"j1", "j2"}) {
			t.Errorf("retried %v, want [j1 j2]", got)
		}
		if !slices.Equal(q.retried, []string{"j1", "j2"}) {
			t.Errorf("POST retry for %v, want [j1 j2] (never the running job)", q.retried)
		}
		if got := ids(out.Queue); !slices.Equal(got, []string{"j3"}) || len(out.Skipped) != 0 {
			t.Errorf("queue after %v, skipped %v; want [j3], none", got, out.Skipped)
		}
	})

	t.Run("nothing to retry", func(t *testing.T) {
		c, q := newJobQueue(t, Job{ID: "j3", State: "running"})
		out, err := c.RetryBlockedJobs(ctx, "o", "b1")
		if err != nil || len(out.Retried) != 0 || len(q.retried) != 0 || len(out.Queue) != 1 {
			t.Fatalf("out %+v, err %v, POSTs %v", out, err, q.retried)
		}
	})

	unsupported := []struct {
		name   string
		status int
	}{{"405", http.StatusMethodNotAllowed}, {"404 while the job is queued", http.StatusNotFound}}
	for _, c := range unsupported {
		t.Run(c.name+" is unsupported", func(t *testing.T) {
			cl, qf := newJobQueue(t, queue...)
			qf.retry = func(string) int { return c.status }
			out, err := cl.RetryBlockedJobs(ctx, "o", "b1")
			var ue *RetryUnsupportedError
			if !errors.As(err, &ue) || ue.Job != "j1" || StatusCode(err) != c.status {
				t.Fatalf("err %v, want a RetryUnsupportedError for j1 with status %d", err, c.status)
			}
			if out == nil || len(out.Retried) != 0 {
				t.Errorf("outcome %+v, want nothing retried", out)
			}
		})
	}

	t.Run("a job that left the queue before its retry is skipped", func(t *testing.T) {
		c, q := newJobQueue(t, queue...)
		q.retry = func(id string) int {
			if id == "j1" {
				q.jobs = q.jobs[1:] // finished meanwhile (the lock is held by serve)
				return http.StatusNotFound
			}
			return 0
		}
		out, err := c.RetryBlockedJobs(ctx, "o", "b1")
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(out.Skipped); !slices.Equal(got, []string{"j1"}) || !slices.Equal(ids(out.Retried), []string{"j2"}) {
			t.Errorf("skipped %v, retried %v; want [j1], [j2]", got, ids(out.Retried))
		}
	})

	t.Run("a job no longer blocked (409) is skipped", func(t *testing.T) {
		c, q := newJobQueue(t, queue...)
		q.retry = func(id string) int {
			if id == "j2" {
				return http.StatusConflict
			}
			return 0
		}
		out, err := c.RetryBlockedJobs(ctx, "o", "b1")
		if err != nil || !slices.Equal(ids(out.Skipped), []string{"j2"}) || !slices.Equal(ids(out.Retried), []string{"j1"}) {
			t.Fatalf("out %+v, err %v", out, err)
		}
	})

	t.Run("unknown integration", func(t *testing.T) {
		c, _ := newJobQueue(t)
		_, err := c.RetryBlockedJobs(ctx, "o", "gone")
		var ue *RetryUnsupportedError
		if !IsNotFound(err) || errors.As(err, &ue) {
			t.Fatalf("err %v, want a plain 404", err)
		}
	})
}
