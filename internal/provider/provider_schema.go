package provider

import (
	"context"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/keypolicy"
)

func (p *apiconnectProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages IBM API Connect v10 billing integrations (Stripe) and their Catalog associations through the platform REST API. " +
			"Settings come from the provider block, then environment variables, then the toolkit `credentials_file`.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Platform API base URL, ending in `/api` (for example `https://platform-api.example.com/api`). Env: `APIC_ENDPOINT`; also read from `credentials_file`.",
			},
			"org": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Default provider organization (name or id) for resources and data sources. Env: `APIC_ORG`.",
				Validators:          []validator.String{pathSegmentValidator{}},
			},
			"username": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "User for the `password` grant. Env: `APIC_USERNAME`.",
			},
			"password": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Password for the `password` grant. Env: `APIC_PASSWORD`.",
			},
			"realm": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Realm of the user registry for the `password` grant, `provider/<identity-provider>`. Default `" + apic.DefaultRealm + "`. Env: `APIC_REALM`.",
			},
			"api_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Platform API key for the `api_key` grant. Env: `APIC_API_KEY`.",
			},
			"client_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Client id of the toolkit (or a registered) application. Env: `APIC_CLIENT_ID`; also read from `credentials_file`.",
			},
			"client_secret": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Client secret of that application. Env: `APIC_CLIENT_SECRET`; also read from `credentials_file`.",
			},
			"token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "A ready bearer token (for example an IBM Cloud IAM token); no token request is made. Conflicts with the other credentials. Env: `APIC_TOKEN`.",
			},
			"credentials_file": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Path of the toolkit `credentials.json` downloaded from API Manager; supplies `endpoint`, `client_id` and `client_secret`. Env: `APIC_CREDENTIALS_FILE`.",
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip TLS certificate verification of the platform API, and of `stripe_api_base` unless it is Stripe's own API (whose certificate is always verified). Default `false`; a warning is shown when `true`. Env: `APIC_INSECURE`.",
			},
			"ca_certificate": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "PEM bundle of CA certificates (PEM text or a file path) to trust for the platform API and a `stripe_api_base` that is not Stripe's own API (Stripe's hosts get the system roots only), in addition to the system pool. Env: `APIC_CA_CERTIFICATE`.",
			},
			"max_retries": schema.Int64Attribute{
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 20)},
				MarkdownDescription: "Retries of a request after 429, 5xx or a connection error, with exponential backoff and jitter, honouring `Retry-After`. Default `" + strconv.Itoa(apic.DefaultMaxRetries) + "`.",
			},
			"request_timeout": schema.StringAttribute{
				Optional:            true,
				Validators:          []validator.String{durationValidator{}},
				MarkdownDescription: "Timeout of one HTTP request, as a Go duration. Default `" + strconv.Itoa(int(apic.DefaultRequestTimeout.Seconds())) + "s`.",
			},
			"stripe_api_base": schema.StringAttribute{
				Optional:            true,
				Validators:          []validator.String{httpURLValidator{}},
				MarkdownDescription: "Stripe API base URL used to resolve the account of a secret key: it receives every secret key the provider checks. Default `https://api.stripe.com`; a base that is neither a Stripe host nor loopback gets a warning. Env: `APIC_STRIPE_API_BASE` (the generic `STRIPE_API_BASE` is not read).",
			},
			"stripe_key_check": schema.StringAttribute{
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(string(keypolicy.CheckAccount), string(keypolicy.CheckMode))},
				MarkdownDescription: "How keys are checked at plan time. `account` (default): resolve each secret key's Stripe account with `GET /v1/account`, so a key of another account forces replacement. " +
					"`mode`: offline, key prefixes only; an account swap is then only caught by the platform at apply. Env: `APIC_STRIPE_KEY_CHECK`.",
			},
		},
	}
}
