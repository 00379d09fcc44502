package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/billingname"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

var (
	_ provider.ProviderWithFunctions = (*apiconnectProvider)(nil)
	_ function.Function              = stripeKeyFunction{}
	_ function.Function              = billingNameFunction{}
)

// Functions are pure and offline (Terraform 1.8+, OpenTofu 1.7+): they
// need no provider configuration and call nothing.
func (p *apiconnectProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{
		func() function.Function { return stripeKeyFunction{} },
		func() function.Function { return billingNameFunction{} },
	}
}

// stripeKeyAttrTypes is the object stripe_key returns.
var stripeKeyAttrTypes = map[string]attr.Type{"kind": types.StringType, "mode": types.StringType}

// stripeKeyFunction is provider::apiconnect::stripe_key(key): what the
// prefix of a Stripe key says about it. Its errors never repeat the key.
type stripeKeyFunction struct{}

func (stripeKeyFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "stripe_key"
}

func (stripeKeyFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Kind and mode of a Stripe API key",
		MarkdownDescription: "Reads a Stripe API key's prefix, offline, and returns `{ kind, mode }`: `kind` is `publishable` (`pk_…`), `secret` (`sk_…`) or `restricted` (`rk_…`); " +
			"`mode` is `test` or `live`. Use it in preconditions and variable validations, for example to accept only live keys in a production module. " +
			"The key's Stripe account is not checked (that needs Stripe; the resource does it). A value that is not a Stripe key is an error that never repeats the value. " +
			"A sensitive argument gives a sensitive result. Terraform 1.8 / OpenTofu 1.7 or later.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "key",
				MarkdownDescription: "A Stripe publishable, secret or restricted key, such as `var.stripe_secret_key`.",
			},
		},
		Return: function.ObjectReturn{AttributeTypes: stripeKeyAttrTypes},
	}
}

func (stripeKeyFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var key string
	if resp.Error = req.Arguments.Get(ctx, &key); resp.Error != nil {
		return
	}
	k, err := stripekey.Parse(key)
	if err != nil {
		// stripekey errors describe the problem without the key.
		resp.Error = function.NewArgumentFuncError(0, "not a Stripe API key: "+err.Error())
		return
	}
	v, diags := types.ObjectValue(stripeKeyAttrTypes, map[string]attr.Value{
		"kind": types.StringValue(k.Kind.Name()),
		"mode": types.StringValue(string(k.Mode)),
	})
	if diags.HasError() {
		resp.Error = function.FuncErrorFromDiags(ctx, diags)
		return
	}
	resp.Error = resp.Result.Set(ctx, v)
}

// billingNameFunction is provider::apiconnect::billing_name(title): the name
// API Manager (and apiconnect_billing_integration) derives from a title.
type billingNameFunction struct{}

func (billingNameFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "billing_name"
}

func (billingNameFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Name derived from a billing integration title",
		MarkdownDescription: "Returns the name that API Manager, and `apiconnect_billing_integration` when `name` is not set, derive from a title: " +
			"lower case, every run of characters other than `a-z` and `0-9` becomes one `-`, and hyphens at either end are dropped " +
			"(`\"Stripe (Live)\"` gives `\"stripe-live\"`). Use it to build an integration's `url` or import id before it exists. " +
			"A title without a letter or digit is an error. Terraform 1.8 / OpenTofu 1.7 or later.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "title",
				MarkdownDescription: "The integration's title.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (billingNameFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var title string
	if resp.Error = req.Arguments.Get(ctx, &title); resp.Error != nil {
		return
	}
	name, err := billingname.FromTitle(title)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error()+"; set the integration's name explicitly")
		return
	}
	resp.Error = resp.Result.Set(ctx, name)
}
