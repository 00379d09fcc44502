package provider

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/transport"
)

// clientConfigHook, when set (by tests only, before any test runs), may
// adjust the platform client's configuration before Configure builds it,
// e.g. to count the client's retries per endpoint.
var clientConfigHook func(*apic.Config)

// stripeDomain is Stripe's own domain: its API is always verified against
// the system roots.
const stripeDomain = "stripe.com"

// stripeHTTPClient is the HTTP client of the Stripe account resolver. For
// a Stripe fake or proxy it trusts what the platform client trusts (the
// system pool plus ca_certificate, or nothing under insecure), so that one
// served with the platform's private CA works. Stripe's own hosts get the
// system roots only, always verified: secret keys never go to Stripe over a
// connection that insecure or a private CA could let someone intercept.
func stripeHTTPClient(base string, platform *tls.Config, timeout time.Duration) *http.Client {
	cfg := platform.Clone()
	if isStripeHost(base) {
		cfg.InsecureSkipVerify = false
		cfg.RootCAs = nil
	}
	return &http.Client{Transport: transport.New(cfg), Timeout: timeout}
}

// hostOf is the host name of raw in lower case without trailing dots
// ("api.stripe.com." is api.stripe.com), or "" when raw is not a URL.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimRight(strings.ToLower(u.Hostname()), ".")
}

// isStripeHost reports whether base points at Stripe's own API (a host of
// stripe.com); a base that cannot be parsed counts as Stripe, to be safe.
func isStripeHost(base string) bool {
	h := hostOf(base)
	if h == "" {
		return true
	}
	return h == stripeDomain || strings.HasSuffix(h, "."+stripeDomain)
}

// isLoopback reports whether raw points at this machine (localhost or a
// loopback address), as in tests and the demo.
func isLoopback(raw string) bool {
	h := hostOf(raw)
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// addCleartextWarnings warns about a platform endpoint or a Stripe base
// that would carry secrets in clear (http:// to another machine), and about
// a Stripe base that is not Stripe's: it receives every secret key checked.
func addCleartextWarnings(diags *diag.Diagnostics, endpoint, stripeBase setting) {
	if strings.HasPrefix(strings.ToLower(endpoint.value), "http://") && !isLoopback(endpoint.value) {
		diags.AddAttributeWarning(path.Root("endpoint"), "The platform API endpoint is not encrypted",
			fmt.Sprintf("endpoint %s (set by %s) uses http:// to another machine: the login (password, api_key or client_secret), the bearer tokens "+
				"and the Stripe secret keys of the integrations travel in clear. Use https://.", endpoint.value, endpoint.source()))
	}
	if stripeBase.value == "" || isStripeHost(stripeBase.value) || isLoopback(stripeBase.value) {
		return
	}
	detail := fmt.Sprintf("stripe_api_base %s (set by %s) is neither Stripe's API nor this machine: the provider sends it every Stripe secret key it checks "+
		"(GET /v1/account). Use it only for a Stripe mock or proxy you control; otherwise unset it (the default is https://api.stripe.com).",
		stripeBase.value, stripeBase.source())
	if strings.HasPrefix(strings.ToLower(stripeBase.value), "http://") {
		detail += " It also uses http://: the secret keys travel in clear."
	}
	diags.AddAttributeWarning(path.Root("stripe_api_base"), "Stripe secret keys go to a host that is not Stripe", detail)
}
