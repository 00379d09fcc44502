package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

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
			"org": resourceOrgAttribute(),
			"catalog": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Catalog (name or id), for example `sandbox`. Changing it forces replacement.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1), pathSegmentValidator{}},
			},
			"billing_url": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "URL of the billing integration to add, `…/orgs/{org}/billings/{name-or-id}`: normally `apiconnect_billing_integration.<name>.url`. " +
					"A name-based URL is kept as written while it refers to the same integration. It must be on the server of the provider's `endpoint`: " +
					"the production guard reads the integration it names there, in the URL's org. Changing it forces replacement.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators: []validator.String{
					httpURLValidator{},
					stringvalidator.RegexMatches(billingURLPattern, "must be the url of a billing integration, …/orgs/{org}/billings/{name-or-id} (use the url attribute of apiconnect_billing_integration)"),
					billingURLSegmentValidator{},
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

// billingURLPattern is the shape of a billing integration's url:
// .../orgs/{org}/billings/{name-or-id}.
var billingURLPattern = regexp.MustCompile(`^https?://[^/]+(/[^?#]*)?/orgs/[^/?#]+/billings/[^/?#]+/?$`)
