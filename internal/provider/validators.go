package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

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
	if err != nil {
		what := "publishable key"
		if v.secret {
			what = "secret key"
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Stripe "+what,
			fmt.Sprintf("%s: %s.", req.Path, err))
	}
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
