package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
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

// configuredKey is the secret key from configuration (never from the plan:
// a write-only value exists only there) and the attribute that holds it.
type configuredKey struct {
	path  path.Path
	value string
	known bool
}

func (k configuredKey) writeOnly() bool { return k.path.Equal(path.Root("secret_key_wo")) }

func configuredSecret(config billingIntegrationModel) configuredKey {
	if !config.SecretKeyWO.IsNull() {
		return configuredKey{path: path.Root("secret_key_wo"), value: config.SecretKeyWO.ValueString(), known: !config.SecretKeyWO.IsUnknown()}
	}
	return configuredKey{path: path.Root("secret_key"), value: config.SecretKey.ValueString(), known: !config.SecretKey.IsUnknown() && !config.SecretKey.IsNull()}
}

// fromAPI copies the platform's view into the model. The secret key is never
// read back (the platform masks it); keys carries mode and account as planned.
func (r *billingIntegrationResource) fromAPI(ctx context.Context, m *billingIntegrationModel, b *apic.Billing, keys resolvedKeys, diags *diag.Diagnostics) {
	m.ID = types.StringValue(b.ID)
	m.Name = types.StringValue(b.Name)
	m.Title = types.StringValue(b.Title)
	m.Summary = optionalString(b.Summary)
	m.IntegrationURL = types.StringValue(b.IntegrationURL)
	m.URL = types.StringValue(b.URL)
	m.CreatedAt = types.StringValue(b.CreatedAt)
	m.UpdatedAt = types.StringValue(b.UpdatedAt)

	publishable := publishableKey(b)
	if publishable != "" {
		m.PublishableKey = types.StringValue(publishable)
	}
	// The platform's view wins over what the plan expected.
	mode, account := keys.mode, keys.account
	apiMode, apiAccount := integrationModeAccount(b.Metadata, publishable)
	if apiMode != "" {
		mode = types.StringValue(apiMode)
	}
	if apiAccount != "" && r.data.keyCheck == keyCheckAccount {
		account = types.StringValue(apiAccount)
	}
	if r.data.keyCheck == keyCheckMode || account.IsUnknown() {
		account = types.StringNull()
	}
	if mode.IsUnknown() {
		mode = types.StringNull()
	}
	m.Mode = mode
	m.StripeAccountID = account
	m.JobQueue = jobQueueValue(ctx, b.JobQueueStatus, diags)
}

func known(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }

func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
