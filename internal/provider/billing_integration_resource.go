package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
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
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/keypolicy"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

var (
	_ resource.ResourceWithConfigure        = (*billingIntegrationResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*billingIntegrationResource)(nil)
	_ resource.ResourceWithImportState      = (*billingIntegrationResource)(nil)
	_ resource.ResourceWithConfigValidators = (*billingIntegrationResource)(nil)
)

// stripeIntegrationPath is the platform's Stripe billing integration, relative
// to the endpoint.
const stripeIntegrationPath = "/cloud/integrations/billing/stripe"

// NewBillingIntegrationResource is the apiconnect_billing_integration factory.
func NewBillingIntegrationResource() resource.Resource { return &billingIntegrationResource{} }

type billingIntegrationResource struct {
	data *providerData
}

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

var jobQueueAttrTypes = map[string]attr.Type{
	"state":          types.StringType,
	"pending_jobs":   types.Int64Type,
	"blocked_reason": types.StringType,
}

func (r *billingIntegrationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_integration"
}

func (r *billingIntegrationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Stripe billing integration of a provider organization. " +
			"A change of the secret key's Stripe **account** or **mode** (test/live) forces replacement, because API Connect could no longer resolve the Stripe objects created with the old keys; " +
			"a new key of the same account and mode (rotation) is updated in place.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Platform id of the integration.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"org": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Provider organization (name or id). Defaults to the provider's `org`. Changing it forces replacement.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"title": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Title shown in API Manager. Updated in place.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"name": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Name (the path key of the integration). Defaults to a slug of `title` at creation: lower case, every run of other characters becomes `-`. Must match `^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`. Changing it forces replacement.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
				Validators: []validator.String{stringvalidator.RegexMatches(namePattern,
					"must be lower-case letters, digits and inner hyphens, starting and ending with a letter or digit")},
			},
			"summary": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Free-text summary. Updated in place.",
			},
			"integration_url": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "URL of the platform's Stripe billing integration. Defaults to `<endpoint>" + stripeIntegrationPath + "`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				Validators:          []validator.String{httpURLValidator{}},
			},
			"publishable_key": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Stripe publishable key, `pk_test_…` or `pk_live_…`. Its mode must match the secret key's.",
				Validators:          []validator.String{stripeKeyValidator{}},
			},
			"secret_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "Stripe secret key (`sk_…`) or restricted key (`rk_…`), stored in state (sensitive). " +
					"Exactly one of `secret_key` and `secret_key_wo` must be set; prefer `secret_key_wo` on Terraform/OpenTofu 1.11 or later.",
				Validators: []validator.String{stripeKeyValidator{secret: true}},
			},
			"secret_key_wo": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				MarkdownDescription: "Write-only Stripe secret key (`sk_…` or `rk_…`), never stored in plan or state (Terraform/OpenTofu 1.11 or later). " +
					"A salted fingerprint in private state detects a changed key; change `secret_key_wo_version` to send a rotated key.",
				Validators: []validator.String{stripeKeyValidator{secret: true}},
			},
			"secret_key_wo_version": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Any string; change it to send `secret_key_wo` to the platform again (key rotation).",
				Validators:          []validator.String{stringvalidator.AlsoRequires(path.MatchRoot("secret_key_wo"))},
			},
			"mode": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Stripe mode of the keys: `test` or `live`.",
			},
			"stripe_account_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Stripe account (`acct_…`) of the secret key; null when the provider's `stripe_key_check` is `mode`.",
			},
			"url": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Platform URL of the integration; use it as `billing_url` of `apiconnect_catalog_billing`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Creation time reported by the platform.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"updated_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Last update time reported by the platform.",
			},
			"job_queue": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Status of the integration's job queue (jobs that map bulk operations to Stripe calls).",
				Attributes: map[string]schema.Attribute{
					"state":          schema.StringAttribute{Computed: true, MarkdownDescription: "`idle`, `running`, `blocked` or `failed` (the head job's state); null when the platform reports no state or another one."},
					"pending_jobs":   schema.Int64Attribute{Computed: true, MarkdownDescription: "Jobs waiting in the queue; null when the platform does not report it."},
					"blocked_reason": schema.StringAttribute{Computed: true, MarkdownDescription: "Error of the head job when it is blocked or failed."},
				},
			},
		},
	}
}

func (r *billingIntegrationResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		secretKeyChoice{},
		preferWriteOnlyKey{},
	}
}

func (r *billingIntegrationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan applies the key rules: both keys share one mode; a secret key of
// another Stripe account or mode than the integration's forces replacement;
// the same account and mode is an in-place rotation.
func (r *billingIntegrationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // destroy, or provider not configured yet
	}
	if r.unchanged(ctx, req) {
		return
	}
	var plan, config billingIntegrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	var state *billingIntegrationModel
	if !req.State.Raw.IsNull() {
		state = &billingIntegrationModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	secret := configuredSecret(config)
	ctx = maskSecrets(ctx, secret.value)

	if !r.data.planOrg(config.Org, &plan.Org, &resp.Diagnostics) {
		return
	}
	if state != nil && !plan.Org.IsUnknown() && !plan.Org.Equal(state.Org) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("org"))
	}
	if state == nil {
		if config.Name.IsNull() && !plan.Title.IsUnknown() {
			name := slugify(plan.Title.ValueString())
			if name == "" {
				resp.Diagnostics.AddAttributeError(path.Root("title"), "Cannot derive a name from the title",
					"The title has no letters or digits to build a name from; set name explicitly.")
				return
			}
			plan.Name = types.StringValue(name)
		}
		if config.IntegrationURL.IsNull() {
			plan.IntegrationURL = types.StringValue(r.data.endpoint + stripeIntegrationPath)
		}
	}

	keys, ok := r.planKeys(ctx, config, state, secret, req.Private, &resp.Diagnostics)
	if !ok {
		return
	}
	if state == nil && known(plan.Org) && !r.data.checkOrg(ctx, plan.Org.ValueString(), &resp.Diagnostics) {
		return
	}
	plan.Mode = keys.mode
	plan.StripeAccountID = keys.account

	if state != nil {
		var reasons []string
		if known(keys.mode) && known(state.Mode) && !keys.mode.Equal(state.Mode) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("mode"))
			reasons = append(reasons, fmt.Sprintf("the keys change Stripe mode from %s to %s", state.Mode.ValueString(), keys.mode.ValueString()))
		}
		if known(keys.account) && known(state.StripeAccountID) && !keys.account.Equal(state.StripeAccountID) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("stripe_account_id"))
			reasons = append(reasons, fmt.Sprintf("the secret key belongs to Stripe account %s, the integration to %s", keys.account.ValueString(), state.StripeAccountID.ValueString()))
		}
		if len(reasons) > 0 {
			resp.Diagnostics.AddWarning("Stripe key change forces replacement",
				fmt.Sprintf("apiconnect_billing_integration %q will be replaced: %s. API Connect cannot switch an integration's keys to another Stripe account or between test and live, "+
					"because it could no longer resolve the Stripe objects created with the old keys. The new integration starts with no Stripe objects, and Catalogs that use it must be configured again.",
					state.Name.ValueString(), strings.Join(reasons, "; ")))
		} else if secret.path.Equal(path.Root("secret_key_wo")) && keys.secretChanged && secret.known && plan.SecretKeyWOVersion.Equal(state.SecretKeyWOVersion) {
			resp.Diagnostics.AddAttributeWarning(path.Root("secret_key_wo_version"), "Write-only secret key changed without a new version",
				"secret_key_wo differs from the key last sent to the platform, but secret_key_wo_version did not change, so the new key will not be sent. Change secret_key_wo_version to rotate the key.")
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// unchanged reports a no-change plan that needs no key checks: the plan
// equals the state, no write-only key could have changed unseen, and the
// provider's org still matches. Large no-change plans then skip decoding
// every attribute of every resource.
func (r *billingIntegrationResource) unchanged(ctx context.Context, req resource.ModifyPlanRequest) bool {
	if req.State.Raw.IsNull() || !req.Plan.Raw.Equal(req.State.Raw) {
		return false
	}
	var wo, configOrg, stateOrg types.String
	if d := req.Config.GetAttribute(ctx, path.Root("secret_key_wo"), &wo); d.HasError() || !wo.IsNull() {
		return false
	}
	if d := req.Config.GetAttribute(ctx, path.Root("org"), &configOrg); d.HasError() {
		return false
	}
	if d := req.State.GetAttribute(ctx, path.Root("org"), &stateOrg); d.HasError() {
		return false
	}
	return !configOrg.IsNull() || stateOrg.ValueString() == r.data.org
}

func (r *billingIntegrationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config billingIntegrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	secret := configuredSecret(config)
	ctx = maskSecrets(ctx, secret.value)
	keys, ok := r.applyKeys(ctx, plan, secret, nil, &resp.Diagnostics)
	if !ok {
		return
	}
	name := plan.Name.ValueString()
	if plan.Name.IsUnknown() {
		name = slugify(plan.Title.ValueString())
	}
	integrationURL := plan.IntegrationURL.ValueString()
	if plan.IntegrationURL.IsUnknown() || integrationURL == "" {
		integrationURL = r.data.endpoint + stripeIntegrationPath
	}
	org := plan.Org.ValueString()
	in := apic.BillingCreate{
		Name:           name,
		Title:          plan.Title.ValueString(),
		Summary:        plan.Summary.ValueString(),
		IntegrationURL: integrationURL,
		Configuration:  apic.BillingConfiguration{PublishableKey: plan.PublishableKey.ValueString(), FullAccessKey: secret.value},
	}
	tflog.Debug(ctx, "creating billing integration", map[string]any{"org": org, "name": name, "mode": keys.mode.ValueString()})
	b, err := r.data.client.CreateBilling(ctx, org, in)
	if err != nil {
		var foreign *apic.ForeignObjectError
		if errors.As(err, &foreign) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "A billing integration of this name exists and is not this one",
				fmt.Sprintf("The create failed ambiguously (the platform's answer was lost), and org %q now has a billing integration named %q whose %s differ from this configuration's. "+
					"It may belong to someone else, so it was not adopted and Terraform will not manage or delete it. Nothing was written to state. "+
					"If it is yours, import it (terraform import <address> %s/%s); otherwise choose another name.\n\n%s",
					org, name, strings.Join(foreign.Differs, ", "), org, name, err))
			return
		}
		if apic.IsConflict(err) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Billing integration already exists",
				fmt.Sprintf("Org %q already has a billing integration named %q. Import it (terraform import <address> %s/%s) or choose another name.\n\n%s", org, name, org, name, err))
			return
		}
		if apic.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("org"), "Provider organization not found",
				fmt.Sprintf("The platform has no organization %q (or the provider's user is not a member of it). Nothing was created.\n\n%s", org, err))
			return
		}
		addAPIError(&resp.Diagnostics, "Cannot create the billing integration", org, err)
		return
	}
	state := plan
	state.Org = types.StringValue(org)
	state.SecretKey = config.SecretKey
	state.SecretKeyWO = types.StringNull()
	r.fromAPI(ctx, &state, b, keys, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	if secret.writeOnly() {
		resp.Diagnostics.Append(setFingerprint(ctx, resp.Private, secret.value)...)
	}
}

func (r *billingIntegrationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state billingIntegrationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = maskSecrets(ctx, state.SecretKey.ValueString())
	b, err := r.data.client.GetBilling(ctx, state.Org.ValueString(), state.ID.ValueString())
	if apic.IsNotFound(err) {
		tflog.Warn(ctx, "billing integration not found, removing it from state", map[string]any{"org": state.Org.ValueString(), "id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the billing integration", errDetail(err))
		return
	}
	keys := resolvedKeys{mode: state.Mode, account: state.StripeAccountID}
	r.fromAPI(ctx, &state, b, keys, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *billingIntegrationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, config billingIntegrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	secret := configuredSecret(config)
	ctx = maskSecrets(ctx, secret.value, state.SecretKey.ValueString())

	fingerprint, diags := readFingerprint(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	secretChanged := secretDiffers(secret.value, state, fingerprint)
	// A new secret_key_wo_version re-sends the write-only key, except when it
	// is set while moving from secret_key to secret_key_wo (a migration).
	versionBump := secret.path.Equal(path.Root("secret_key_wo")) && state.SecretKey.IsNull() &&
		!plan.SecretKeyWOVersion.Equal(state.SecretKeyWOVersion)
	sendKeys := secretChanged || versionBump || !plan.PublishableKey.Equal(state.PublishableKey)

	keys := resolvedKeys{mode: state.Mode, account: state.StripeAccountID}
	if sendKeys {
		var ok bool
		if keys, ok = r.applyKeys(ctx, plan, secret, &state, &resp.Diagnostics); !ok {
			return
		}
	}

	var patch apic.BillingPatch
	if !plan.Title.Equal(state.Title) {
		patch.Title = plan.Title.ValueStringPointer()
	}
	if !plan.Summary.Equal(state.Summary) {
		s := plan.Summary.ValueString() // null clears the summary
		patch.Summary = &s
	}
	if !plan.IntegrationURL.Equal(state.IntegrationURL) && !plan.IntegrationURL.IsUnknown() {
		patch.IntegrationURL = plan.IntegrationURL.ValueStringPointer()
	}
	if sendKeys {
		patch.Configuration = &apic.BillingConfiguration{PublishableKey: plan.PublishableKey.ValueString(), FullAccessKey: secret.value}
	}

	newState := plan
	newState.SecretKey = config.SecretKey
	newState.SecretKeyWO = types.StringNull()
	if patch == (apic.BillingPatch{}) {
		// Only Terraform-side attributes changed (e.g. secret_key moved to
		// secret_key_wo with the same key): nothing to send.
		b, err := r.data.client.GetBilling(ctx, state.Org.ValueString(), state.ID.ValueString())
		if err != nil {
			resp.Diagnostics.AddError("Cannot read the billing integration", errDetail(err))
			return
		}
		r.fromAPI(ctx, &newState, b, keys, &resp.Diagnostics)
	} else {
		tflog.Debug(ctx, "updating billing integration", map[string]any{"org": state.Org.ValueString(), "id": state.ID.ValueString(), "send_keys": sendKeys})
		b, err := r.data.client.UpdateBilling(ctx, state.Org.ValueString(), state.ID.ValueString(), patch)
		if err != nil {
			addAPIError(&resp.Diagnostics, "Cannot update the billing integration", state.Org.ValueString(), err)
			return
		}
		r.fromAPI(ctx, &newState, b, keys, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &newState)...)
	switch {
	case !secret.writeOnly():
		// The state holds the key: plans compare with it, not a fingerprint.
		if fingerprint != nil {
			resp.Diagnostics.Append(clearFingerprint(ctx, resp.Private)...)
		}
	case sendKeys || fingerprint == nil || keypolicy.IsLegacyFingerprint(fingerprint) || !state.SecretKey.IsNull():
		// Sent, missing, of an earlier build, or left from before secret_key.
		resp.Diagnostics.Append(setFingerprint(ctx, resp.Private, secret.value)...)
	}
}

func (r *billingIntegrationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state billingIntegrationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.data.client.DeleteBilling(ctx, state.Org.ValueString(), state.ID.ValueString())
	switch {
	case err == nil, apic.IsNotFound(err):
	case apic.IsConflict(err):
		resp.Diagnostics.AddError("Billing integration is still configured in a Catalog",
			fmt.Sprintf("The platform refused to delete %q because Catalogs still use it. Remove the apiconnect_catalog_billing resources whose billing_url is %s first "+
				"(when both are in this configuration, reference the integration's url from them so that Terraform deletes them first).\n\n%s",
				state.Name.ValueString(), state.URL.ValueString(), err))
	default:
		addAPIError(&resp.Diagnostics, "Cannot delete the billing integration", state.Org.ValueString(), err)
	}
}

// ImportState accepts org/name, org/id, or a name or id in the provider's org.
func (r *billingIntegrationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts := strings.Split(req.ID, "/")
	var org, ref string
	switch {
	case len(parts) == 1 && parts[0] != "":
		if r.data == nil || r.data.org == "" {
			resp.Diagnostics.AddError("Cannot import without an organization",
				fmt.Sprintf("Import ID %q has no org: use <org>/<name-or-id>, or set org (APIC_ORG) on the provider.", req.ID))
			return
		}
		org, ref = r.data.org, parts[0]
	case len(parts) == 2 && parts[0] != "" && parts[1] != "":
		org, ref = parts[0], parts[1]
	default:
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Import ID %q must be <org>/<name>, <org>/<id>, or <name> with the provider's org.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("org"), org)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), ref)...)
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

// resolvedKeys is what the plan can say about the keys: their mode and the
// secret key's Stripe account (unknown when the keys are not yet known).
type resolvedKeys struct {
	mode          types.String
	account       types.String
	secretChanged bool
}

func (r *billingIntegrationResource) planKeys(ctx context.Context, config billingIntegrationModel, state *billingIntegrationModel, secret configuredKey, private privateGetter, diags *diag.Diagnostics) (resolvedKeys, bool) {
	keys := resolvedKeys{mode: types.StringUnknown(), account: types.StringUnknown()}
	if r.data.keyCheck == keyCheckMode {
		keys.account = types.StringNull()
	}
	var pkMode, skMode stripekey.Mode
	if !config.PublishableKey.IsUnknown() {
		k, err := stripekey.ParsePublishable(config.PublishableKey.ValueString())
		if err != nil {
			return keys, false // the attribute validator has reported it
		}
		pkMode = k.Mode
	}
	if secret.known {
		k, err := stripekey.ParseSecret(secret.value)
		if err != nil {
			return keys, false
		}
		skMode = k.Mode
	}
	if pkMode != "" && skMode != "" && pkMode != skMode {
		addSecretKeyError(diags, secret.path, "Stripe keys of different modes",
			fmt.Sprintf("publishable_key is a %s-mode key but %s is a %s-mode key. Both keys of an integration must come from the same Stripe mode; "+
				"use test keys only in a separate test Catalog, never in a production Catalog.", pkMode, secret.path, skMode))
		return keys, false
	}
	switch {
	case skMode != "":
		keys.mode = types.StringValue(string(skMode))
	case pkMode != "":
		keys.mode = types.StringValue(string(pkMode)) // the secret key must match it; checked at apply
	}

	if state == nil {
		keys.secretChanged = true
	} else if secret.known {
		fingerprint, d := readFingerprint(ctx, private)
		diags.Append(d...)
		keys.secretChanged = secretDiffers(secret.value, *state, fingerprint)
	} else {
		keys.secretChanged = true
	}

	if r.data.keyCheck != keyCheckAccount {
		return keys, true
	}
	switch {
	case !secret.known:
		// Unknown until apply: the apply re-checks before any change.
	case !keys.secretChanged && known(state.StripeAccountID):
		keys.account = state.StripeAccountID
	default:
		account, err := r.data.resolver.Account(ctx, secret.value)
		if err != nil {
			addSecretKeyError(diags, secret.path, "Cannot resolve the Stripe account of the secret key", stripeResolveDetail(err, r.data.resolver.APIBase()))
			return keys, false
		}
		keys.account = types.StringValue(account)
	}
	return keys, true
}

// applyKeys re-checks the keys at apply time, when values that were unknown
// at plan are known: it refuses, before any call that changes the
// integration, a key of another mode or account than the integration's.
func (r *billingIntegrationResource) applyKeys(ctx context.Context, plan billingIntegrationModel, secret configuredKey, state *billingIntegrationModel, diags *diag.Diagnostics) (resolvedKeys, bool) {
	pk, err := stripekey.ParsePublishable(plan.PublishableKey.ValueString())
	if err != nil {
		addPublishableKeyError(diags, plan.PublishableKey.ValueString(), "Invalid Stripe publishable key", err.Error())
		return resolvedKeys{}, false
	}
	sk, err := stripekey.ParseSecret(secret.value)
	if err != nil {
		addSecretKeyError(diags, secret.path, "Invalid Stripe secret key", err.Error())
		return resolvedKeys{}, false
	}
	if pk.Mode != sk.Mode {
		addSecretKeyError(diags, secret.path, "Stripe keys of different modes",
			fmt.Sprintf("publishable_key is a %s-mode key but %s is a %s-mode key; both must come from the same Stripe mode. Nothing was changed.", pk.Mode, secret.path, sk.Mode))
		return resolvedKeys{}, false
	}
	keys := resolvedKeys{mode: types.StringValue(string(sk.Mode)), account: types.StringNull()}
	if r.data.keyCheck == keyCheckAccount {
		account, err := r.data.resolver.Account(ctx, secret.value)
		if err != nil {
			addSecretKeyError(diags, secret.path, "Cannot resolve the Stripe account of the secret key", stripeResolveDetail(err, r.data.resolver.APIBase()))
			return keys, false
		}
		keys.account = types.StringValue(account)
	}
	if state != nil {
		if known(state.Mode) && !state.Mode.Equal(keys.mode) {
			addSecretKeyError(diags, secret.path, "Refusing to switch Stripe mode",
				fmt.Sprintf("The keys known only now are %s-mode keys, but integration %q is in %s mode. API Connect cannot switch an integration between test and live. "+
					"Nothing was sent to the platform; run plan again to get a replacement plan.", keys.mode.ValueString(), state.Name.ValueString(), state.Mode.ValueString()))
			return keys, false
		}
		if known(keys.account) && known(state.StripeAccountID) && !state.StripeAccountID.Equal(keys.account) {
			addSecretKeyError(diags, secret.path, "Refusing to switch Stripe account",
				fmt.Sprintf("The secret key known only now belongs to Stripe account %s, but integration %q belongs to %s. API Connect cannot move an integration to another account. "+
					"Nothing was sent to the platform; run plan again to get a replacement plan.", keys.account.ValueString(), state.Name.ValueString(), state.StripeAccountID.ValueString()))
			return keys, false
		}
	}
	if known(plan.Mode) && !plan.Mode.Equal(keys.mode) {
		addSecretKeyError(diags, secret.path, "Stripe mode differs from the plan", "The keys' mode at apply differs from the planned mode. Nothing was changed.")
		return keys, false
	}
	return keys, true
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

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// readFingerprint is the private state's fingerprint of the last write-only
// key sent (keypolicy.NewFingerprint, or an earlier build's); nil when none.
func readFingerprint(ctx context.Context, p privateGetter) ([]byte, diag.Diagnostics) {
	if p == nil {
		return nil, nil
	}
	var diags diag.Diagnostics
	for _, k := range []string{keypolicy.PrivateStateKey, keypolicy.LegacyPrivateStateKey} {
		b, d := p.GetKey(ctx, k)
		diags.Append(d...)
		if _, ok := keypolicy.FingerprintMatches(b, ""); ok {
			return b, diags
		}
	}
	return nil, diags
}

// setFingerprint stores a compact fingerprint of key and drops an earlier
// build's.
func setFingerprint(ctx context.Context, p privateSetter, key string) diag.Diagnostics {
	f := keypolicy.NewFingerprint(key)
	if f == nil {
		return nil
	}
	diags := p.SetKey(ctx, keypolicy.LegacyPrivateStateKey, nil)
	diags.Append(p.SetKey(ctx, keypolicy.PrivateStateKey, f)...)
	return diags
}

func clearFingerprint(ctx context.Context, p privateSetter) diag.Diagnostics {
	diags := p.SetKey(ctx, keypolicy.LegacyPrivateStateKey, nil)
	diags.Append(p.SetKey(ctx, keypolicy.PrivateStateKey, nil)...)
	return diags
}

// secretDiffers reports whether key differs from the key last sent: the
// state's secret_key when set, else the private fingerprint. With neither
// (an imported integration) the key counts as changed.
func secretDiffers(key string, state billingIntegrationModel, f []byte) bool {
	if !state.SecretKey.IsNull() && !state.SecretKey.IsUnknown() {
		return state.SecretKey.ValueString() != key
	}
	matches, ok := keypolicy.FingerprintMatches(f, key)
	return !ok || !matches
}

func known(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }

func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
