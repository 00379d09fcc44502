package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
)

var (
	_ provider.ProviderWithActions = (*apiconnectProvider)(nil)
	_ action.ActionWithConfigure   = (*billingJobsRetryAction)(nil)
)

// Actions need Terraform 1.14 or later; older CLIs and OpenTofu never call them.
func (p *apiconnectProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{NewBillingJobsRetryAction}
}

// NewBillingJobsRetryAction is the apiconnect_billing_jobs_retry factory.
func NewBillingJobsRetryAction() action.Action { return &billingJobsRetryAction{} }

type billingJobsRetryAction struct {
	data *providerData
}

type billingJobsRetryModel struct {
	Org     types.String `tfsdk:"org"`
	Billing types.String `tfsdk:"billing"`
}

func (a *billingJobsRetryAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_jobs_retry"
}

func (a *billingJobsRetryAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Retries the blocked or failed jobs of a billing integration's job queue, head first: API Manager's *Retry blocked jobs*, " +
			"or `apic jobs:retry` of the toolkit. It reports how many jobs it retried and the queue after the retry. " +
			"Jobs block when Stripe was unreachable or the integration's keys were rolled; retry once the cause is fixed. " +
			"The toolkit asks for `--confirm`; here the approval of `terraform apply -invoke=action.apiconnect_billing_jobs_retry.<name>`, " +
			"or of the plan that triggers the action, is the confirmation. " +
			"The REST call (`POST …/billings/{billing}/jobs/{job}/retry`) is inferred from the toolkit: a platform that answers it 404 or 405 " +
			"may not support retry over the API, and the action says so. Terraform 1.14 or later (OpenTofu has no actions).",
		Attributes: map[string]schema.Attribute{
			"org": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Provider organization (name or id). Defaults to the provider's `org`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1), pathSegmentValidator{}},
			},
			"billing": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name or id of the billing integration, for example `apiconnect_billing_integration.live.name`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1), pathSegmentValidator{}},
			},
		},
	}
}

func (a *billingJobsRetryAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (a *billingJobsRetryAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg billingJobsRetryModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if a.data == nil {
		resp.Diagnostics.AddError("Provider not configured", "The apiconnect provider was not configured before the action ran.")
		return
	}
	org, ok := dataSourceOrg(a.data, cfg.Org, &resp.Diagnostics)
	if !ok {
		return
	}
	billing := cfg.Billing.ValueString()
	tflog.Debug(ctx, "retrying blocked and failed billing jobs", map[string]any{"org": org, "billing": billing})
	out, err := a.data.client.RetryBlockedJobs(ctx, org, billing)
	var unsupported *apic.RetryUnsupportedError
	switch {
	case err == nil:
	case apic.IsNotFound(err) && !errors.As(err, &unsupported):
		resp.Diagnostics.AddAttributeError(path.Root("billing"), "Billing integration not found",
			fmt.Sprintf("Org %q has no billing integration %q (name or id).\n\n%s", org, billing, errDetail(err)))
		return
	default:
		resp.Diagnostics.AddError(retryErrorSummary(err), retryErrorDetail(org, billing, out, err))
		return
	}
	progress(resp, retrySummary(org, billing, out))
	if still := countRetryable(out.Queue); still > 0 {
		resp.Diagnostics.AddWarning("Jobs still blocked or failed after the retry",
			fmt.Sprintf("%d job(s) of billing integration %q are blocked or failed again. Read their errors with the apiconnect_billing_jobs data source "+
				"or on API Manager's Billing page, fix the cause (Stripe keys, connectivity), then retry again.", still, billing))
	}
}

// progress sends a message to the CLI when it listens (apply -invoke and
// action_trigger runs both do).
func progress(resp *action.InvokeResponse, msg string) {
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: msg})
	}
}

// retrySummary is the report of a successful run: what was retried, and the
// queue after.
func retrySummary(org, billing string, out *apic.RetryOutcome) string {
	var b strings.Builder
	switch n := len(out.Retried); n {
	case 0:
		fmt.Fprintf(&b, "Billing integration %q (org %q) had no blocked or failed jobs: nothing retried.", billing, org)
	default:
		fmt.Fprintf(&b, "Retried %d blocked or failed job(s) of billing integration %q (org %q).", n, billing, org)
	}
	if n := len(out.Skipped); n > 0 {
		fmt.Fprintf(&b, " %d job(s) finished or started running before their retry.", n)
	}
	fmt.Fprintf(&b, " Job queue after the retry: %s.", queueState(out.Queue))
	return b.String()
}

// queueState describes a queue as the resource's job_queue does: the head
// job's state (idle when empty) and the number of jobs.
func queueState(jobs []apic.Job) string {
	if len(jobs) == 0 {
		return "idle, 0 jobs"
	}
	head := strings.ToLower(jobs[0].State)
	if head == "" {
		head = "unknown"
	}
	return fmt.Sprintf("%s, %d job(s)", head, len(jobs))
}

func countRetryable(jobs []apic.Job) int {
	n := 0
	for _, j := range jobs {
		if apic.IsRetryable(j.State) {
			n++
		}
	}
	return n
}

func retryErrorSummary(err error) string {
	var unsupported *apic.RetryUnsupportedError
	switch {
	case errors.As(err, &unsupported):
		return "Job retry not supported over the API"
	default:
		return "Cannot retry the billing jobs"
	}
}

func retryErrorDetail(org, billing string, out *apic.RetryOutcome, err error) string {
	done := ""
	if out != nil && len(out.Retried) > 0 {
		done = fmt.Sprintf(" %d job(s) were retried before the error.", len(out.Retried))
	}
	var unsupported *apic.RetryUnsupportedError
	switch {
	case errors.As(err, &unsupported):
		return fmt.Sprintf("The platform answered %d to the retry of job %q of billing integration %q (org %q), which is still queued: "+
			"this platform version may not support retrying jobs over the API (the REST call behind `apic jobs:retry` is inferred). "+
			"Retry the jobs in API Manager (Billing, the integration's menu, Retry blocked jobs) or with `apic jobs:retry --confirm`.%s\n\n%s",
			apic.StatusCode(err), unsupported.Job, billing, org, done, errDetail(err))
	default:
		return fmt.Sprintf("Retrying the blocked or failed jobs of billing integration %q (org %q) failed.%s\n\n%s", billing, org, done, errDetail(err))
	}
}
