package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

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
			"org": resourceOrgAttribute(),
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
			"job_queue": jobQueueResourceAttribute(),
		},
	}
}
