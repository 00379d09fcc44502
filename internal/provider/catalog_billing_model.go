package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
)

type catalogBillingModel struct {
	ID              types.String `tfsdk:"id"`
	Org             types.String `tfsdk:"org"`
	Catalog         types.String `tfsdk:"catalog"`
	BillingURL      types.String `tfsdk:"billing_url"`
	URL             types.String `tfsdk:"url"`
	Name            types.String `tfsdk:"name"`
	Mode            types.String `tfsdk:"mode"`
	StripeAccountID types.String `tfsdk:"stripe_account_id"`
}

// fromAPI copies the platform's view of a configured billing into m. b is
// the integration when already read (nil: read it only if needed). The
// configured billing_url is kept while it refers to the same integration,
// since the platform answers it in id form.
func (r *catalogBillingResource) fromAPI(ctx context.Context, m *catalogBillingModel, cb *apic.ConfiguredBilling, b *apic.Billing, diags *diag.Diagnostics) {
	m.ID = types.StringValue(cb.ID)
	m.URL = optionalString(cb.URL)
	m.Name = optionalString(cb.Name)
	// The integration's org is the one its URL names (else the resource's).
	org := apic.BillingOrg(cb.BillingURL)
	if org == "" {
		org = m.Org.ValueString()
	}
	billingID := apic.BillingRef(cb.BillingURL)
	if billingID == "" {
		billingID = cb.OriginalID
	}
	getBilling := func() *apic.Billing {
		if b == nil && billingID != "" {
			got, err := r.data.client.GetBilling(ctx, org, billingID)
			switch {
			case err == nil:
				b = got
			case apic.IsNotFound(err):
				tflog.Warn(ctx, "the integration of a configured billing no longer exists", map[string]any{"org": org, "billing": billingID})
			default:
				diags.AddWarning("Cannot read the billing integration", fmt.Sprintf("Reading billing integration %q failed: %s", billingID, err))
			}
			billingID = "" // read at most once
		}
		return b
	}

	configured := m.BillingURL.ValueString()
	switch {
	case configured == "" || m.BillingURL.IsUnknown():
		m.BillingURL = types.StringValue(cb.BillingURL)
	case apic.SameBillingURL(configured, cb.BillingURL) || apic.RefersToBilling(configured, apic.BillingRef(cb.BillingURL), cb.OriginalID):
		// Same integration, written as configured.
	default:
		if got := getBilling(); got == nil || !apic.RefersToBilling(configured, got.ID, got.Name) {
			m.BillingURL = types.StringValue(cb.BillingURL)
		}
	}

	mode, account := integrationModeAccount(cb.Metadata, "")
	if mode == "" || account == "" {
		if got := getBilling(); got != nil {
			bm, ba := integrationModeAccount(got.Metadata, publishableKey(got))
			if mode == "" {
				mode = bm
			}
			if account == "" {
				account = ba
			}
		}
	}
	if mode == "" && known(m.Mode) {
		mode = m.Mode.ValueString() // the integration is gone; the mode cannot have changed
	}
	if account == "" && known(m.StripeAccountID) {
		account = m.StripeAccountID.ValueString()
	}
	m.Mode = optionalString(mode)
	m.StripeAccountID = optionalString(account)
}
