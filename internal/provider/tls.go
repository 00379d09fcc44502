package provider

import (
	"crypto/tls"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/transport"
)

// clientConfigHook, when set (by tests only, before any test runs), may
// adjust the platform client's configuration before Configure builds it,
// e.g. to count the client's retries per endpoint.
var clientConfigHook func(*apic.Config)

// stripeAPIHost is Stripe's own API, whose certificate is always verified.
const stripeAPIHost = "api.stripe.com"

// stripeHTTPClient is the HTTP client of the Stripe account resolver. It
// trusts what the platform client trusts (the system pool plus
// ca_certificate), so that a Stripe fake or proxy served with the platform's
// private CA works. insecure applies to it as well, except towards Stripe's
// own API: secret keys are never sent to api.stripe.com over an unverified
// connection.
func stripeHTTPClient(base string, platform *tls.Config, timeout time.Duration) *http.Client {
	cfg := platform.Clone()
	if cfg.InsecureSkipVerify && isStripeHost(base) {
		cfg.InsecureSkipVerify = false
	}
	tr := transport.New(cfg)
	return &http.Client{Transport: tr, Timeout: timeout}
}

// isStripeHost reports whether base points at Stripe's production API.
func isStripeHost(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return true // be safe: verify
	}
	h := strings.ToLower(u.Hostname())
	return h == stripeAPIHost || strings.HasSuffix(h, ".stripe.com")
}
