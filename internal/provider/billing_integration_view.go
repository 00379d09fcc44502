package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

var jobQueueAttrTypes = map[string]attr.Type{
	"state":          types.StringType,
	"pending_jobs":   types.Int64Type,
	"blocked_reason": types.StringType,
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

// integrationModeAccount reads an integration's Stripe mode and account from
// the platform's metadata (testmode, account_id), else the mode from the
// publishable key's prefix. Either may be "" when unknown.
func integrationModeAccount(md *apic.BillingMetadata, publishable string) (mode, account string) {
	if md != nil {
		account = md.AccountID
		switch {
		case bool(md.TestMode):
			mode = string(stripekey.ModeTest)
		case md.AccountID != "":
			mode = string(stripekey.ModeLive)
		}
	}
	if mode == "" && publishable != "" {
		if k, err := stripekey.Parse(publishable); err == nil {
			mode = string(k.Mode)
		}
	}
	return mode, account
}

func publishableKey(b *apic.Billing) string {
	if b == nil || b.Configuration == nil {
		return ""
	}
	return b.Configuration.PublishableKey
}
