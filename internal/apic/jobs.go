package apic

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

func jobsPath(org, billing string) string { return billingPath(org, billing) + "/jobs" }

// ListJobs lists the job queue of a billing integration.
func (c *Client) ListJobs(ctx context.Context, org, billing string) ([]Job, error) {
	if err := segments("org", org, "billing", billing); err != nil {
		return nil, err
	}
	return listAll(ctx, c, jobsPath(org, billing), func(j Job) string { return j.ID })
}

// RetryJob re-attempts a blocked or failed job. The POST is retried only
// when it was certainly not processed (429, connection refused). When the
// platform answers without a body, the returned Job only carries the id.
func (c *Client) RetryJob(ctx context.Context, org, billing, job string) (*Job, error) {
	if err := segments("org", org, "billing", billing, "job", job); err != nil {
		return nil, err
	}
	st, err := newCall(http.MethodPost, jobsPath(org, billing)+"/"+esc(job)+"/retry", struct{}{}, policyCreate)
	if err != nil {
		return nil, err
	}
	var out Job
	if err := c.do(ctx, st, &out); err != nil {
		return nil, err
	}
	if out.ID == "" && out.Name == "" {
		out.ID = job
	}
	return &out, nil
}

// RetryOutcome is what RetryBlockedJobs did: the jobs it retried (head
// first), the blocked or failed jobs that were no longer retryable when
// their turn came (they left the queue or started running), and the queue
// after the retries.
type RetryOutcome struct {
	Retried []Job
	Skipped []Job
	Queue   []Job
}

// RetryUnsupportedError is the platform's 404 or 405 to the retry of a job
// that is still queued: the REST path of `apic jobs:retry` is inferred, and
// this platform version may not serve it.
type RetryUnsupportedError struct {
	Job string
	Err error
}

func (e *RetryUnsupportedError) Error() string {
	return fmt.Sprintf("retry of job %s: %v", e.Job, e.Err)
}

func (e *RetryUnsupportedError) Unwrap() error { return e.Err }

// IsRetryable reports a job state that can be retried: blocked or failed.
func IsRetryable(state string) bool {
	s := strings.ToLower(state)
	return s == "blocked" || s == "failed"
}

// RetryBlockedJobs retries every blocked or failed job of a billing
// integration, head first, as API Manager's "Retry blocked jobs" does, then
// reads the queue again. A 404 or 405 to a retry of a job that is still
// queued is a *RetryUnsupportedError. On an error, the outcome holds what
// was done before it.
func (c *Client) RetryBlockedJobs(ctx context.Context, org, billing string) (*RetryOutcome, error) {
	jobs, err := c.ListJobs(ctx, org, billing)
	if err != nil {
		return nil, err
	}
	out := &RetryOutcome{}
	for _, j := range jobs {
		if !IsRetryable(j.State) {
			continue
		}
		id := jobRef(j)
		got, err := c.RetryJob(ctx, org, billing, id)
		switch {
		case err == nil:
			if got.State == "" {
				got.State = "running"
			}
			out.Retried = append(out.Retried, *got)
			continue
		case IsConflict(err):
			out.Skipped = append(out.Skipped, j) // no longer blocked or failed
			continue
		case StatusCode(err) == http.StatusMethodNotAllowed:
			return out, &RetryUnsupportedError{Job: id, Err: err}
		case !IsNotFound(err):
			return out, err
		}
		// 404: the job may have left the queue meanwhile, else the platform
		// does not serve the retry path.
		queued, lerr := c.jobQueued(ctx, org, billing, id)
		if lerr != nil {
			return out, lerr
		}
		if queued {
			return out, &RetryUnsupportedError{Job: id, Err: err}
		}
		out.Skipped = append(out.Skipped, j)
	}
	if out.Queue, err = c.ListJobs(ctx, org, billing); err != nil {
		return out, err
	}
	return out, nil
}

func (c *Client) jobQueued(ctx context.Context, org, billing, id string) (bool, error) {
	jobs, err := c.ListJobs(ctx, org, billing)
	if err != nil {
		return false, err
	}
	for _, j := range jobs {
		if jobRef(j) == id {
			return true, nil
		}
	}
	return false, nil
}

// jobRef is the id of a job, else its name.
func jobRef(j Job) string {
	if j.ID != "" {
		return j.ID
	}
	return j.Name
}
