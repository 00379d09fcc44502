package provider

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

// Hints appended to the detail of a diagnostic for a failed platform (or
// Stripe) call, by cause.
const (
	tlsHint = "The server's TLS certificate could not be verified. If the platform uses a private CA or a self-signed certificate, " +
		"set ca_certificate (APIC_CA_CERTIFICATE) in the provider block to the PEM of that CA or certificate (PEM text or a file path). " +
		"Only on a test system, insecure = true (APIC_INSECURE) skips verification instead."
	authHint = "The platform refused the credentials. Check the provider's credentials: username and password (APIC_USERNAME, APIC_PASSWORD) with realm (APIC_REALM), " +
		"or api_key (APIC_API_KEY), with client_id and client_secret (APIC_CLIENT_ID, APIC_CLIENT_SECRET or credentials_file); or token (APIC_TOKEN), which may have expired."
	staticTokenHint = "The platform refused the bearer token set by token (APIC_TOKEN): it has expired or was revoked (an IBM Cloud IAM token lasts one hour). " +
		"The provider cannot renew a token it was given. Set a new token, or use credentials the provider renews itself when its token expires: " +
		"username and password (APIC_USERNAME, APIC_PASSWORD), api_key (APIC_API_KEY), or client_id and client_secret alone (client_credentials)."
	forbiddenHint = "The credentials are valid, but their user lacks the permission for this operation in the provider organization. " +
		"Billing integrations need a user who owns the organization or whose role has the Settings: Manage permission (API Manager → Members / Roles)."
)

// errDetail is the detail of a diagnostic for err: its text, then a hint
// for the causes a user can fix (an untrusted TLS certificate, refused
// credentials, a missing permission). Errors never carry secrets (the API
// client and the Stripe resolver scrub them).
func errDetail(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	switch {
	case apic.IsCertificateError(err):
		s += "\n\n" + tlsHint
	case errors.Is(err, apic.ErrStaticTokenRefused):
		s += "\n\n" + staticTokenHint
	case apic.IsUnauthorized(err) || (isTokenError(err) && apic.StatusCode(err) >= 400 && apic.StatusCode(err) < 500):
		s += "\n\n" + authHint
	case apic.IsForbidden(err):
		s += "\n\n" + forbiddenHint
	}
	return s
}

// certHint is tlsHint, set apart, when err is a TLS certificate failure.
func certHint(err error) string {
	if apic.IsCertificateError(err) {
		return "\n\n" + tlsHint
	}
	return ""
}

// stripeResolveDetail is the detail of a failed Stripe account lookup. A
// key that Stripe answered and refused is the key's problem; anything else
// (no connection, TLS, a Stripe outage) points at stripe_api_base and at
// stripe_key_check = "mode", which needs no Stripe access.
func stripeResolveDetail(err error, base string) string {
	var ae *stripekey.AccountError
	if errors.As(err, &ae) && !ae.Unreachable && ae.HTTPStatus >= 400 && ae.HTTPStatus < 500 && ae.HTTPStatus != http.StatusTooManyRequests {
		return fmt.Sprintf("%s.\n\nThe key is well formed, but Stripe does not accept it: copy it again from the Stripe Dashboard "+
			"(Developers → API keys) of the account the integration belongs to; a restricted key (rk_…) needs read access to the account. Nothing was changed.", err)
	}
	return fmt.Sprintf("%s.%s\n\nWith stripe_key_check = \"account\" the provider asks Stripe (GET %s/v1/account) which account a key belongs to, "+
		"so that a key of another account is never sent to an existing integration. Check stripe_api_base (APIC_STRIPE_API_BASE) and network access to it, "+
		"or set stripe_key_check = \"mode\" (APIC_STRIPE_KEY_CHECK) to check key prefixes only. Nothing was changed.",
		err, certHint(err), base)
}

// isTokenError reports an error of the token request (POST /token).
func isTokenError(err error) bool {
	var e *apic.Error
	return errors.As(err, &e) && e.Path == "/token"
}

// addAPIError adds the diagnostic for a failed call that changes or reads
// the platform: a 403 is reported on org (the organization in which the user
// lacks the permission), anything else as summary with errDetail.
func addAPIError(diags *diag.Diagnostics, summary, org string, err error) {
	if apic.IsForbidden(err) && !isTokenError(err) {
		diags.AddAttributeError(path.Root("org"), "Permission denied in organization "+fmt.Sprintf("%q", org),
			summary+": "+errDetail(err))
		return
	}
	diags.AddError(summary, errDetail(err))
}

// sensitiveProviderAttrs are the provider block's sensitive attributes
// (TestProvider_sensitiveAttrsListed keeps the list in step with the schema).
var sensitiveProviderAttrs = map[string]bool{"password": true, "api_key": true, "client_secret": true, "token": true}

// addProviderError reports a problem with a provider setting on its
// attribute, except for a sensitive one: Terraform prints the configuration
// line of an attribute diagnostic, so that diagnostic goes on the provider
// block with the attribute named in the summary.
func addProviderError(diags *diag.Diagnostics, attr, summary, detail string) {
	if sensitiveProviderAttrs[attr] {
		if !strings.Contains(summary, attr) {
			summary += " (" + attr + ")"
		}
		diags.AddError(summary, detail)
		return
	}
	diags.AddAttributeError(path.Root(attr), summary, detail)
}

// addSecretKeyError reports a problem with the secret key on the resource,
// naming the attribute (secret_key or secret_key_wo) in the summary: on the
// attribute's path Terraform would print its configuration line, which may
// hold the key itself.
func addSecretKeyError(diags *diag.Diagnostics, attr path.Path, summary, detail string) {
	if name := attr.String(); !strings.Contains(summary, name) {
		summary += " (" + name + ")"
	}
	diags.AddError(summary, detail)
}

// addPublishableKeyError reports a problem with publishable_key on its
// attribute only when the value is empty or looks like a publishable key: a
// secret key put there by mistake must not be printed with the line.
func addPublishableKeyError(diags *diag.Diagnostics, value, summary, detail string) {
	if v := strings.TrimSpace(value); v == "" || strings.HasPrefix(v, "pk_") {
		diags.AddAttributeError(path.Root("publishable_key"), summary, detail)
		return
	}
	diags.AddError(summary+" (publishable_key)", detail)
}
