package provider

import (
	"context"
	"fmt"
	"net/url"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
)

// pathSegmentValidator refuses an org, Catalog, or integration name or id
// that cannot be one segment of a platform URL path (apic.CheckPathSegment):
// a dot segment, "/", whitespace or a control character. The platform takes
// a name or an id there; an empty value is left to LengthAtLeast(1).
type pathSegmentValidator struct{}

const pathSegmentRule = "a name or id: not `.` or `..`, without `/`, whitespace or control characters"

func (pathSegmentValidator) Description(context.Context) string { return "must be " + pathSegmentRule }
func (v pathSegmentValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (pathSegmentValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueString() == "" {
		return
	}
	if err := apic.CheckPathSegment(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid name or id",
			fmt.Sprintf("%s %q cannot be used in the platform's URLs: %s. It must be %s.", req.Path, req.ConfigValue.ValueString(), err, pathSegmentRule))
	}
}

// billingURLSegmentValidator refuses a billing_url whose org or
// integration segment, once unescaped, is not a name or id: a URL ending in
// %2e%2e would otherwise address the parent collection.
type billingURLSegmentValidator struct{}

// billingURLParts is …/orgs/{org}/billings/{ref} (escaped).
var billingURLParts = regexp.MustCompile(`/orgs/([^/?#]+)/billings/([^/?#]+)/?(?:[?#].*)?$`)

func (billingURLSegmentValidator) Description(context.Context) string {
	return "its org and integration must each be " + pathSegmentRule
}
func (v billingURLSegmentValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (billingURLSegmentValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkBillingURLSegments(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid billing_url", err.Error())
	}
}

// checkBillingURLSegments checks the org and integration of a billing URL.
func checkBillingURLSegments(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return nil //nolint:nilerr // httpURLValidator reports it
	}
	m := billingURLParts.FindStringSubmatch(u.EscapedPath())
	if m == nil {
		return nil // the pattern validator reports it
	}
	for i, what := range []string{"org", "integration"} {
		seg, err := url.PathUnescape(m[i+1])
		if err != nil {
			return fmt.Errorf("billing_url %s: the %s segment is not valid URL escaping: %w", raw, what, err)
		}
		if err := apic.CheckPathSegment(seg); err != nil {
			return fmt.Errorf("billing_url %s: its %s %q cannot be used: %w. Use the url attribute of apiconnect_billing_integration", raw, what, seg, err)
		}
	}
	return nil
}

// checkImportSegments adds an error for the first part of an import (id or
// identity) that cannot be a path segment, and reports whether all can.
// pairs are name, value.
func checkImportSegments(diags *diag.Diagnostics, importID string, pairs ...string) bool {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := apic.CheckPathSegment(pairs[i+1]); err != nil {
			diags.AddError("Invalid import ID",
				fmt.Sprintf("Import %s: its %s %q cannot be used in the platform's URLs: %s. It must be %s.", importID, pairs[i], pairs[i+1], err, pathSegmentRule))
			return false
		}
	}
	return true
}
