package apic

import (
	"context"
	"net/http"
)

func jobsPath(org, billing string) string { return billingPath(org, billing) + "/jobs" }

// ListJobs lists the job queue of a billing integration.
func (c *Client) ListJobs(ctx context.Context, org, billing string) ([]Job, error) {
	if err := required("org", org, "billing", billing); err != nil {
		return nil, err
	}
	return listAll(ctx, c, jobsPath(org, billing), func(j Job) string { return j.ID })
}

// RetryJob re-attempts a blocked or failed job. The POST is retried only
// when it was certainly not processed (429, connection refused). When the
// platform answers without a body, the returned Job only carries the id.
func (c *Client) RetryJob(ctx context.Context, org, billing, job string) (*Job, error) {
	if err := required("org", org, "billing", billing, "job", job); err != nil {
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
