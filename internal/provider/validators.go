package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/billingname"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

// namePattern is the platform's name shape (lower case, digits, inner hyphens).
var namePattern = billingname.Pattern

// slugify derives a name from a title the way API Manager's UI does (the rule
// of billingname.FromTitle, shared with the billing_name function); "" when
// the title has no letter or digit.
func slugify(title string) string {
	name, _ := billingname.FromTitle(title)
	return name
}

// stripeKeyValidator checks a key's prefix at plan time. It reports the
// problem without ever repeating the key.
type stripeKeyValidator struct {
	secret bool
}

func (v stripeKeyValidator) Description(context.Context) string {
	if v.secret {
		return "must be a Stripe secret or restricted key: sk_test_…, sk_live_…, rk_test_… or rk_live_…"
	}
	return "must be a Stripe publishable key: pk_test_… or pk_live_…"
}

func (v stripeKeyValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v stripeKeyValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var err error
	if v.secret {
		_, err = stripekey.ParseSecret(req.ConfigValue.ValueString())
	} else {
		_, err = stripekey.ParsePublishable(req.ConfigValue.ValueString())
	}
	if err == nil {
		return
	}
	detail := fmt.Sprintf("%s: %s.", req.Path, err)
	if v.secret {
		// Never on the secret's path: Terraform would print its line.
		addSecretKeyError(&resp.Diagnostics, req.Path, "Invalid Stripe secret key", detail)
		return
	}
	addPublishableKeyError(&resp.Diagnostics, req.ConfigValue.ValueString(), "Invalid Stripe publishable key", detail)
}

type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive Go duration such as 30s or 2m"
}
func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d, err := time.ParseDuration(req.ConfigValue.ValueString()); err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", v.Description(ctx)+".")
	}
}

type httpURLValidator struct{}

func (httpURLValidator) Description(context.Context) string {
	return "must be an absolute http(s) URL"
}
func (v httpURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v httpURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkHTTPURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL", err.Error())
	}
}

// secretKeyChoice requires exactly one of secret_key and secret_key_wo and
// reports on the resource: resourcevalidator.ExactlyOneOf reports on the
// path of secret_key, whose configuration line Terraform then prints.
type secretKeyChoice struct{}

func (secretKeyChoice) Description(context.Context) string {
	return "exactly one of secret_key and secret_key_wo must be set"
}
func (v secretKeyChoice) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (secretKeyChoice) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var set, unknown int
	for _, attr := range []string{"secret_key", "secret_key_wo"} {
		var v types.String
		if d := req.Config.GetAttribute(ctx, path.Root(attr), &v); d.HasError() {
			resp.Diagnostics.Append(d...)
			return
		}
		switch {
		case v.IsUnknown():
			unknown++
		case !v.IsNull():
			set++
		}
	}
	switch {
	case set > 1: // an unknown one may still turn out null
		resp.Diagnostics.AddError("Conflicting secret keys",
			"Both secret_key and secret_key_wo are set: set exactly one. secret_key_wo (Terraform/OpenTofu 1.11 or later) keeps the key out of plan and state.")
	case set+unknown == 0:
		resp.Diagnostics.AddError("Missing secret key",
			"Exactly one of secret_key and secret_key_wo must be set to the Stripe secret key (sk_…) or restricted key (rk_…).")
	}
}

// preferWriteOnlyKey replaces stringvalidator.PreferWriteOnlyAttribute,
// whose warning is attached to secret_key (Terraform then prints the line
// with the key): on a client that supports write-only attributes, a
// configured secret_key gets a warning on the resource instead.
type preferWriteOnlyKey struct{}

func (preferWriteOnlyKey) Description(context.Context) string {
	return "secret_key_wo is preferred over secret_key where the client supports write-only attributes"
}
func (v preferWriteOnlyKey) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (preferWriteOnlyKey) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if !req.ClientCapabilities.WriteOnlyAttributesAllowed {
		return
	}
	var v types.String
	if d := req.Config.GetAttribute(ctx, path.Root("secret_key"), &v); d.HasError() || v.IsNull() {
		return
	}
	resp.Diagnostics.AddWarning("secret_key is stored in the state",
		"This Terraform/OpenTofu supports write-only attributes: set the key in secret_key_wo instead (with secret_key_wo_version to rotate it), "+
			"and it is kept out of plan and state. Moving the same key from secret_key to secret_key_wo updates the integration in place.")
}
