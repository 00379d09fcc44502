package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

var (
	_ resource.ResourceWithConfigure   = (*catalogBillingResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*catalogBillingResource)(nil)
	_ resource.ResourceWithImportState = (*catalogBillingResource)(nil)
)

// ibmTestKeysRule is IBM's rule for Stripe test keys, quoted in the error
// raised when a test-mode integration is added to a production Catalog.
const ibmTestKeysRule = "If you want to use your Stripe test keys, you must create a separate Catalog for testing, and not add your Stripe test keys to production Catalogs."

// billingURLPattern is the shape of a billing integration's url:
// .../orgs/{org}/billings/{name-or-id}.
var billingURLPattern = regexp.MustCompile(`^https?://[^/]+(/[^?#]*)?/orgs/[^/?#]+/billings/[^/?#]+/?$`)

// NewCatalogBillingResource is the apiconnect_catalog_billing factory.
func NewCatalogBillingResource() resource.Resource { return &catalogBillingResource{} }

type catalogBillingResource struct {
	data *providerData
}

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

func (r *catalogBillingResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog_billing"
}

func (r *catalogBillingResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Adds a billing integration to a Catalog (a *configured billing*). " +
			"To publish monetized Plans, the integration must be added to the target Catalog **and** to the Sandbox Catalog. " +
			"The platform has no update for it: every change replaces it. " +
			"An integration with Stripe **test** keys cannot be added to a Catalog whose settings say `production_mode = true` " +
			"(checked at plan when the integration is known, else at apply before anything is changed). " +
			"Reference the integration's `url` attribute in `billing_url`, so that Terraform replaces this resource when the integration is replaced, " +
			"and removes it from the Catalog before the integration is deleted.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Platform id of the configured billing (the integration's copy in the Catalog).",
				PlanModifiers:       stable,
			},
			"org": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Provider organization (name or id). Defaults to the provider's `org`. Changing it forces replacement.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"catalog": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Catalog (name or id), for example `sandbox`. Changing it forces replacement.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"billing_url": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "URL of the billing integration to add, `…/orgs/{org}/billings/{name-or-id}`: normally `apiconnect_billing_integration.<name>.url`. " +
					"A name-based URL is kept as written while it refers to the same integration. Changing it forces replacement.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators: []validator.String{
					httpURLValidator{},
					stringvalidator.RegexMatches(billingURLPattern, "must be the url of a billing integration, …/orgs/{org}/billings/{name-or-id} (use the url attribute of apiconnect_billing_integration)"),
				},
			},
			"url": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Platform URL of the configured billing.",
				PlanModifiers:       stable,
			},
			"name": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Name of the configured billing in the Catalog, as the platform reports it.",
				PlanModifiers:       stable,
			},
			"mode": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Stripe mode of the integration's keys: `test` or `live` (from the platform's metadata).",
				PlanModifiers:       stable,
			},
			"stripe_account_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Stripe account (`acct_…`) of the integration, from the platform's metadata; null when the platform does not report it.",
				PlanModifiers:       stable,
			},
		},
	}
}

func (r *catalogBillingResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fills org from the provider and, for a new configured billing
// whose integration is known, applies the production guard and shows the
// integration's mode and account in the plan. A replacement is planned by
// Terraform as a create (null prior state), so it is checked here too.
func (r *catalogBillingResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // destroy, or provider not configured yet
	}
	var plan, config catalogBillingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	var state *catalogBillingModel
	if !req.State.Raw.IsNull() {
		state = &catalogBillingModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.planOrg(config.Org, &plan.Org, &resp.Diagnostics) {
		return
	}
	if state != nil {
		if !plan.Org.IsUnknown() && !plan.Org.Equal(state.Org) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("org"))
		}
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	if !known(plan.Org) || !known(plan.Catalog) || !known(plan.BillingURL) {
		// The integration is created or replaced in this apply: Create
		// checks it before adding it to the Catalog.
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	b, ok := r.checkCatalogBilling(ctx, plan.Org.ValueString(), plan.Catalog.ValueString(), plan.BillingURL.ValueString(), true, &resp.Diagnostics)
	if !ok {
		return
	}
	mode, account := integrationModeAccount(b.Metadata, publishableKey(b))
	plan.Mode = optionalString(mode)
	plan.StripeAccountID = optionalString(account)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *catalogBillingResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan catalogBillingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, catalog, billingURL := plan.Org.ValueString(), plan.Catalog.ValueString(), plan.BillingURL.ValueString()
	if plan.Org.IsUnknown() || org == "" {
		org = r.data.org
	}
	// The production guard again, before any change, unless this apply's
	// final plan has just checked it (the mode is then known): when the
	// integration is created in the same apply, the first plan could not.
	var b *apic.Billing
	billingName := apic.BillingRef(billingURL)
	if !known(plan.Mode) {
		var ok bool
		if b, ok = r.checkCatalogBilling(ctx, org, catalog, billingURL, false, &resp.Diagnostics); !ok {
			return
		}
		billingName = b.Name
	}
	tflog.Debug(ctx, "adding billing integration to catalog", map[string]any{"org": org, "catalog": catalog, "billing": billingName})
	cb, err := r.data.client.CreateConfiguredBilling(ctx, org, catalog, billingURL)
	if err != nil {
		if apic.IsConflict(err) {
			detail := fmt.Sprintf("Billing integration %q is already configured in Catalog %q.", billingName, catalog)
			if found, ferr := r.data.client.FindConfiguredBilling(ctx, org, catalog, billingURL); ferr == nil && found != nil {
				detail += fmt.Sprintf(" Import it: terraform import <address> %s/%s/%s", org, catalog, found.ID)
			}
			resp.Diagnostics.AddAttributeError(path.Root("billing_url"), "Billing integration already configured in the Catalog", detail+"\n\n"+err.Error())
			return
		}
		addAPIError(&resp.Diagnostics, "Cannot add the billing integration to the Catalog", org, err)
		return
	}
	state := plan
	state.Org = types.StringValue(org)
	r.fromAPI(ctx, &state, cb, b, &resp.Diagnostics)
	state.BillingURL = plan.BillingURL // as configured: it names the integration just checked
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *catalogBillingResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state catalogBillingModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, catalog := state.Org.ValueString(), state.Catalog.ValueString()
	cb, err := r.data.client.GetConfiguredBilling(ctx, org, catalog, state.ID.ValueString())
	if apic.IsNotFound(err) {
		tflog.Warn(ctx, "configured billing not found, removing it from state", map[string]any{"org": org, "catalog": catalog, "id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the configured billing", errDetail(err))
		return
	}
	r.fromAPI(ctx, &state, cb, nil, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update is never called: every configurable attribute forces replacement.
func (r *catalogBillingResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan catalogBillingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *catalogBillingResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state catalogBillingModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	tflog.Debug(ctx, "removing billing integration from catalog", map[string]any{"org": state.Org.ValueString(), "catalog": state.Catalog.ValueString(), "id": state.ID.ValueString()})
	err := r.data.client.DeleteConfiguredBilling(ctx, state.Org.ValueString(), state.Catalog.ValueString(), state.ID.ValueString())
	if err != nil && !apic.IsNotFound(err) {
		addAPIError(&resp.Diagnostics, "Cannot remove the billing integration from the Catalog", state.Org.ValueString(), err)
	}
}

// ImportState accepts org/catalog/id, or catalog/id with the provider's org.
func (r *catalogBillingResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts := strings.Split(req.ID, "/")
	var org, catalog, id string
	switch {
	case len(parts) == 3 && parts[0] != "" && parts[1] != "" && parts[2] != "":
		org, catalog, id = parts[0], parts[1], parts[2]
	case len(parts) == 2 && parts[0] != "" && parts[1] != "" && r.data != nil && r.data.org != "":
		org, catalog, id = r.data.org, parts[0], parts[1]
	default:
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Import ID %q must be <org>/<catalog>/<id> (or <catalog>/<id> with the provider's org), where id is the configured billing's id.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("org"), org)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("catalog"), catalog)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}

// checkCatalogBilling reads the integration named by billingURL and the
// Catalog's settings, and refuses a test-mode integration in a production
// Catalog. atPlan only changes the wording of the errors.
func (r *catalogBillingResource) checkCatalogBilling(ctx context.Context, org, catalog, billingURL string, atPlan bool, diags *diag.Diagnostics) (*apic.Billing, bool) {
	if !r.data.checkOrg(ctx, org, diags) {
		return nil, false
	}
	ref := apic.BillingRef(billingURL)
	b, err := r.data.client.GetBilling(ctx, org, ref)
	if apic.IsNotFound(err) {
		hint := ""
		if atPlan {
			hint = " If the integration is created in this same configuration, set billing_url to its url attribute " +
				"(apiconnect_billing_integration.<name>.url, known once it exists) instead of building the URL from its name."
		}
		diags.AddAttributeError(path.Root("billing_url"), "Billing integration not found",
			fmt.Sprintf("billing_url %s names billing integration %q, which does not exist in org %q.%s\n\n%s", billingURL, ref, org, hint, err))
		return nil, false
	}
	if err != nil {
		diags.AddAttributeError(path.Root("billing_url"), "Cannot read the billing integration",
			fmt.Sprintf("Reading billing integration %q (from billing_url) in org %q failed: %s", ref, org, errDetail(err)))
		return nil, false
	}
	settings, err := r.data.getCatalogSettings(ctx, org, catalog)
	if apic.IsNotFound(err) {
		diags.AddAttributeError(path.Root("catalog"), "Catalog not found",
			fmt.Sprintf("Catalog %q does not exist in org %q.\n\n%s", catalog, org, err))
		return nil, false
	}
	if err != nil {
		diags.AddAttributeError(path.Root("catalog"), "Cannot read the Catalog settings",
			fmt.Sprintf("Reading the settings of Catalog %q in org %q failed: %s", catalog, org, errDetail(err)))
		return nil, false
	}
	mode, _ := integrationModeAccount(b.Metadata, publishableKey(b))
	if settings.ProductionMode && mode == string(stripekey.ModeTest) {
		when := "Nothing was changed."
		if !atPlan {
			when = "Nothing was changed: the integration's mode was only known at apply."
		}
		diags.AddAttributeError(path.Root("billing_url"), "Stripe test keys in a production Catalog",
			fmt.Sprintf("Billing integration %q uses Stripe test keys, and Catalog %q has production_mode = true. "+
				"Use a separate Catalog for Stripe test keys. IBM API Connect: %q\n\n"+
				"Add this integration to a test Catalog instead, or add an integration with live keys to %q. %s",
				b.Name, catalog, ibmTestKeysRule, catalog, when))
		return nil, false
	}
	return b, true
}

// fromAPI copies the platform's view of a configured billing into m. b is
// the integration when already read (nil: read it only if needed). The
// configured billing_url is kept while it refers to the same integration,
// since the platform answers it in id form.
func (r *catalogBillingResource) fromAPI(ctx context.Context, m *catalogBillingModel, cb *apic.ConfiguredBilling, b *apic.Billing, diags *diag.Diagnostics) {
	m.ID = types.StringValue(cb.ID)
	m.URL = optionalString(cb.URL)
	m.Name = optionalString(cb.Name)
	org := m.Org.ValueString()
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
