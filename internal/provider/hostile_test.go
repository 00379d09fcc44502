package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// manyIntegrations is n integrations whose password comes from a sensitive
// variable.
func manyIntegrations(n int) string {
	var b strings.Builder
	b.WriteString("variable \"password\" {\n  type = string\n  sensitive = true\n}\n")
	for i := range n {
		fmt.Fprintf(&b, `
resource "apiconnect_billing_integration" "i%d" {
  title           = "Lockout %d"
  publishable_key = %q
  secret_key      = %q
}
`, i, i, pkOneTest, skOneTest)
	}
	return b.String()
}

// TestAccWrongPasswordOneTokenRequest: a refused login is remembered for the
// provider process (here the test process, which serves the provider to
// every step), so plans of many resources with a wrong password, run again
// and again, cost a single POST /token: an account lockout counts failed
// logins.
func TestAccWrongPasswordOneTokenRequest(t *testing.T) {
	e := newAccEnv(t)
	const n = 8
	cfg := e.providerConfig(map[string]string{"password": "var.password"}) + manyIntegrations(n)
	step := resource.TestStep{
		Config:          cfg,
		ConfigVariables: config.Variables{"password": config.StringVariable("Wrong-Passw0rd-123")},
		PlanOnly:        true,
		ExpectError:     regexp.MustCompile(`(?s)The platform refused the credentials`),
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{step, step, step},
	})
	if t.Skipped() {
		return
	}
	if got := e.srv.Count("POST", emulator.RouteToken); got != 1 {
		t.Fatalf("POST /token = %d for 3 plans of %d resources, want 1", got, n)
	}
}
