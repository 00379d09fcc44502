package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/keypolicy"
)

type billingIntegrationModel struct {
	ID                 types.String `tfsdk:"id"`
	Org                types.String `tfsdk:"org"`
	Title              types.String `tfsdk:"title"`
	Name               types.String `tfsdk:"name"`
	Summary            types.String `tfsdk:"summary"`
	IntegrationURL     types.String `tfsdk:"integration_url"`
	PublishableKey     types.String `tfsdk:"publishable_key"`
	SecretKey          types.String `tfsdk:"secret_key"`
	SecretKeyWO        types.String `tfsdk:"secret_key_wo"`
	SecretKeyWOVersion types.String `tfsdk:"secret_key_wo_version"`
	Mode               types.String `tfsdk:"mode"`
	StripeAccountID    types.String `tfsdk:"stripe_account_id"`
	URL                types.String `tfsdk:"url"`
	CreatedAt          types.String `tfsdk:"created_at"`
	UpdatedAt          types.String `tfsdk:"updated_at"`
	JobQueue           types.Object `tfsdk:"job_queue"`
}

// fromAPI copies the platform's view into the model. The secret key is never
// read back (the platform masks it); mode and account are the ones decided
// (or the state's), unless the platform reports its own.
func (r *billingIntegrationResource) fromAPI(ctx context.Context, m *billingIntegrationModel, b *apic.Billing, mode, account keypolicy.Value, diags *diag.Diagnostics) {
	v := viewOf(ctx, b, diags)
	m.ID, m.Name, m.Title, m.Summary, m.IntegrationURL = v.ID, v.Name, v.Title, v.Summary, v.IntegrationURL
	m.URL, m.CreatedAt, m.UpdatedAt, m.JobQueue = v.URL, v.CreatedAt, v.UpdatedAt, v.JobQueue
	if !v.PublishableKey.IsNull() {
		m.PublishableKey = v.PublishableKey
	}
	// The platform's view wins over what the plan expected.
	if v.mode != "" {
		mode = keypolicy.Known(v.mode)
	}
	if v.account != "" && r.data.keyCheck != keypolicy.CheckMode {
		account = keypolicy.Known(v.account)
	}
	if r.data.keyCheck == keypolicy.CheckMode {
		account = keypolicy.Null()
	}
	m.Mode, m.StripeAccountID = stateValue(mode), stateValue(account)
}

func known(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }

// stateValue is a decided value in state: unknown is null there.
func stateValue(v keypolicy.Value) types.String {
	if !v.IsKnown() {
		return types.StringNull()
	}
	return types.StringValue(v.String())
}

// planValue is a decided value in a plan.
func planValue(v keypolicy.Value) types.String {
	if v.IsUnknown() {
		return types.StringUnknown()
	}
	return stateValue(v)
}

// valueOf is the state's value of mode or stripe_account_id.
func valueOf(v types.String) keypolicy.Value {
	if v.IsUnknown() {
		return keypolicy.Unknown()
	}
	return keypolicy.Known(v.ValueString())
}
