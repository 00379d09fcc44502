package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/keypolicy"
)

// integrationView is the platform's view of a billing integration in
// Terraform values, shared by apiconnect_billing_integration and the two
// integration data sources. One null rule: what the platform leaves empty is
// null.
type integrationView struct {
	ID, Name, Title, Summary, IntegrationURL, PublishableKey types.String
	URL, CreatedAt, UpdatedAt                                types.String
	JobQueue                                                 types.Object
	// mode and account are what the platform reports (its metadata, else
	// the publishable key's prefix); "" when it does not.
	mode, account string
}

func viewOf(ctx context.Context, b *apic.Billing, diags *diag.Diagnostics) integrationView {
	mode, account := integrationModeAccount(b.Metadata, publishableKey(b))
	return integrationView{
		ID:             optionalString(b.ID),
		Name:           optionalString(b.Name),
		Title:          optionalString(b.Title),
		Summary:        optionalString(b.Summary),
		IntegrationURL: optionalString(b.IntegrationURL),
		PublishableKey: optionalString(publishableKey(b)),
		URL:            optionalString(b.URL),
		CreatedAt:      optionalString(b.CreatedAt),
		UpdatedAt:      optionalString(b.UpdatedAt),
		JobQueue:       jobQueueValue(ctx, b.JobQueueStatus, diags),
		mode:           mode,
		account:        account,
	}
}

// integrationModeAccount is an integration's (or a Catalog copy's) Stripe
// mode and account as the platform reports them; either is "" when unknown.
func integrationModeAccount(md *apic.BillingMetadata, publishable string) (mode, account string) {
	if md == nil {
		return keypolicy.PlatformModeAccount(false, "", publishable)
	}
	return keypolicy.PlatformModeAccount(bool(md.TestMode), md.AccountID, publishable)
}

func publishableKey(b *apic.Billing) string {
	if b == nil || b.Configuration == nil {
		return ""
	}
	return b.Configuration.PublishableKey
}

// jobQueueFields are the attributes of job_queue, for the resource's and
// the data sources' schemas alike.
var jobQueueFields = []struct {
	name, description string
	count             bool
}{
	{"state", "`idle`, `running`, `blocked` or `failed` (the head job's state); null when the platform reports no state or another one.", false},
	{"pending_jobs", "Jobs waiting in the queue; null when the platform does not report it.", true},
	{"blocked_reason", "Error of the head job when it is blocked or failed.", false},
}

const jobQueueDescription = "Status of the integration's job queue (jobs that map bulk operations to Stripe calls)."

func jobQueueResourceAttribute() rschema.SingleNestedAttribute {
	attrs := map[string]rschema.Attribute{}
	for _, f := range jobQueueFields {
		if f.count {
			attrs[f.name] = rschema.Int64Attribute{Computed: true, MarkdownDescription: f.description}
		} else {
			attrs[f.name] = rschema.StringAttribute{Computed: true, MarkdownDescription: f.description}
		}
	}
	return rschema.SingleNestedAttribute{Computed: true, MarkdownDescription: jobQueueDescription, Attributes: attrs}
}

func jobQueueDataSourceAttribute() dschema.SingleNestedAttribute {
	attrs := map[string]dschema.Attribute{}
	for _, f := range jobQueueFields {
		if f.count {
			attrs[f.name] = dschema.Int64Attribute{Computed: true, MarkdownDescription: f.description}
		} else {
			attrs[f.name] = dschema.StringAttribute{Computed: true, MarkdownDescription: f.description}
		}
	}
	return dschema.SingleNestedAttribute{Computed: true, MarkdownDescription: jobQueueDescription, Attributes: attrs}
}

// jobQueueAttrTypes is the object type of job_queue, from its schema.
var jobQueueAttrTypes = attrTypesOf(jobQueueDataSourceAttribute().GetType())

// attrTypesOf is the attribute types of an object type.
func attrTypesOf(t attr.Type) map[string]attr.Type {
	o, ok := t.(types.ObjectType)
	if !ok {
		panic(fmt.Sprintf("%T is not an object type", t))
	}
	return o.AttrTypes
}

// jobQueueValue is the job_queue attribute: a state the platform does not
// report, or one that is not idle, running, blocked or failed, is null (never
// shown as idle), and so is a pending count it does not report.
func jobQueueValue(_ context.Context, q *apic.JobQueueStatus, diags *diag.Diagnostics) types.Object {
	state, pending, reason := types.StringNull(), types.Int64Null(), types.StringNull()
	if q != nil {
		state = optionalString(apic.QueueState(q.State))
		if q.PendingJobs != nil {
			pending = types.Int64Value(*q.PendingJobs)
		}
		reason = optionalString(q.BlockedReason)
	}
	v, d := types.ObjectValue(jobQueueAttrTypes, map[string]attr.Value{
		"state":          state,
		"pending_jobs":   pending,
		"blocked_reason": reason,
	})
	diags.Append(d...)
	return v
}

func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
