package apic

import "encoding/json"

// BillingConfiguration carries the Stripe keys. The platform answers
// full_access_key masked as "********".
type BillingConfiguration struct {
	PublishableKey string `json:"publishable_key,omitempty"`
	FullAccessKey  string `json:"full_access_key,omitempty"`
}

// BillingMetadata is what the platform learned from Stripe about the keys.
// testmode is documented as a string ("true"); AccountID is "acct_...".
type BillingMetadata struct {
	TestMode  FlexBool `json:"testmode,omitempty"`
	AccountID string   `json:"account_id,omitempty"`
}

// JobQueueStatus is the read-only job_queue_status of a billing. No public
// source documents its shape, so it is decoded tolerantly (see
// UnmarshalJSON): a field the platform does not send stays empty.
type JobQueueStatus struct {
	State         string `json:"state,omitempty"` // as sent; see QueueState
	PendingJobs   *int64 `json:"pending_jobs,omitempty"`
	BlockedReason string `json:"blocked_reason,omitempty"`
}

// Billing is a provider-org billing integration as the platform returns it.
type Billing struct {
	ID             string                `json:"id,omitempty"`
	Name           string                `json:"name,omitempty"`
	Title          string                `json:"title,omitempty"`
	Summary        string                `json:"summary,omitempty"`
	IntegrationURL string                `json:"integration_url,omitempty"`
	Configuration  *BillingConfiguration `json:"configuration,omitempty"`
	Metadata       *BillingMetadata      `json:"metadata,omitempty"`
	JobQueueStatus *JobQueueStatus       `json:"job_queue_status,omitempty"`
	URL            string                `json:"url,omitempty"`
	CreatedAt      string                `json:"created_at,omitempty"`
	UpdatedAt      string                `json:"updated_at,omitempty"`
}

// BillingCreate is the POST body for a new billing.
type BillingCreate struct {
	Name           string               `json:"name,omitempty"`
	Title          string               `json:"title"`
	Summary        string               `json:"summary,omitempty"`
	IntegrationURL string               `json:"integration_url"`
	Configuration  BillingConfiguration `json:"configuration"`
}

// BillingPatch is the PATCH body; nil fields are not sent. Summary is a
// pointer so that an empty string clears it.
type BillingPatch struct {
	Title          *string               `json:"title,omitempty"`
	Summary        *string               `json:"summary,omitempty"`
	IntegrationURL *string               `json:"integration_url,omitempty"`
	Configuration  *BillingConfiguration `json:"configuration,omitempty"`
}

// Catalog is GET /catalogs/{org}/{catalog}.
type Catalog struct {
	ID      string `json:"id,omitempty"`
	Name    string `json:"name,omitempty"`
	Title   string `json:"title,omitempty"`
	Summary string `json:"summary,omitempty"`
	URL     string `json:"url,omitempty"`
}

// CatalogSettings is GET /catalogs/{org}/{catalog}/settings (the fields used here).
type CatalogSettings struct {
	ProductionMode bool `json:"production_mode"`
}

// ConfiguredBilling is a billing added to a Catalog.
type ConfiguredBilling struct {
	ID         string           `json:"id,omitempty"`
	Name       string           `json:"name,omitempty"`
	Title      string           `json:"title,omitempty"`
	BillingURL string           `json:"billing_url,omitempty"`
	OriginalID string           `json:"original_id,omitempty"`
	Metadata   *BillingMetadata `json:"metadata,omitempty"`
	CatalogURL string           `json:"catalog_url,omitempty"`
	OrgURL     string           `json:"org_url,omitempty"`
	URL        string           `json:"url,omitempty"`
	CreatedAt  string           `json:"created_at,omitempty"`
	UpdatedAt  string           `json:"updated_at,omitempty"`
}

// Job is an entry of a billing's job queue, decoded tolerantly (see
// UnmarshalJSON).
type Job struct {
	ID        string `json:"id,omitempty"`
	Name      string `json:"name,omitempty"`
	State     string `json:"state,omitempty"` // running, blocked, failed (lower case on the wire)
	Error     string `json:"error,omitempty"`
	CreatedAt string `json:"created_at,omitempty"`
	UpdatedAt string `json:"updated_at,omitempty"`
}

// FlexBool decodes true, "true", "True" and "1" alike: the platform documents
// metadata.testmode as a string.
type FlexBool bool

// UnmarshalJSON accepts a JSON bool or a string holding one.
func (b *FlexBool) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch t := v.(type) {
	case bool:
		*b = FlexBool(t)
	case string:
		*b = FlexBool(t == "true" || t == "True" || t == "TRUE" || t == "1")
	default:
		*b = false
	}
	return nil
}

// redactable is a decoded answer holding text the platform wrote (job
// errors), which may repeat a credential: it is redacted before use.
type redactable interface {
	redact(clean func(string) string)
}

func (b *Billing) redact(clean func(string) string) {
	if b.JobQueueStatus != nil && b.JobQueueStatus.BlockedReason != "" {
		b.JobQueueStatus.BlockedReason = clean(b.JobQueueStatus.BlockedReason)
	}
}

func (j *Job) redact(clean func(string) string) {
	if j.Error != "" {
		j.Error = clean(j.Error)
	}
}
