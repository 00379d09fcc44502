package provider

import (
	"fmt"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// hostileLeakCases are the diagnostic paths of issue 14 (a hostile or
// unusual platform), with literal secrets in main.tf.
func hostileLeakCases() []leakCase {
	jobs := func(org string) string {
		return fmt.Sprintf(`
data "apiconnect_billing_integration" "seeded" {
  org  = %[1]q
  name = "leak-check"
}
data "apiconnect_billing_jobs" "seeded" {
  org  = %[1]q
  name = "leak-check"
}
output "blocked_reason" {
  value = data.apiconnect_billing_integration.seeded.job_queue.blocked_reason
}
output "job_error" {
  value = data.apiconnect_billing_jobs.seeded.jobs[0].error
}
`, org)
	}
	return []leakCase{
		{"echoed secrets on a refused login", func(e *leakEnv) []leakStep {
			e.srv.SetHostile(emulator.Hostile{EchoSecrets: true})
			cfg := e.provider(fmt.Sprintf("password = %q", leakWrongPass))
			return []leakStep{plan(cfg+e.integration(pkOneTest, skOneTest), true, "refused the credentials", "request rejected for")}
		}},
		{"echoed secrets on a failed create", func(e *leakEnv) []leakStep {
			e.srv.SetHostile(emulator.Hostile{EchoSecrets: true})
			e.srv.SetFaults(emulator.Faults{Rate503: 1, Routes: []string{"POST " + emulator.RouteBillings}})
			return []leakStep{apply(e.provider("max_retries = 0")+e.integration(pkOneTest, skOneTest), true, "Cannot create the billing integration", "request rejected for")}
		}},
		{"job errors repeating secrets", func(e *leakEnv) []leakStep {
			seedLeakIntegration(e)
			c := e.srv.Config()
			e.srv.EnqueueJob(e.org, "leak-check", "blocked", fmt.Sprintf("Stripe refused %s (login %s, client %s)", skOneTest, c.Password, c.ClientSecret))
			return []leakStep{apply(e.provider()+jobs(e.org), false, `blocked_reason = "Stripe refused sk_test_*** (login ***, client ***)"`, `job_error = "Stripe refused sk_test_***`)}
		}},
		{"expired static token", func(e *leakEnv) []leakStep {
			e.srv.SetStaticToken(leakStaticToken)
			e.srv.SetHostile(emulator.Hostile{StaticTokenExpired: true})
			cfg := e.provider(`username = ""`, `password = ""`, `client_id = ""`, `client_secret = ""`, fmt.Sprintf("token = %q", leakStaticToken))
			return []leakStep{plan(cfg+e.integration(pkOneTest, skOneTest), true, "refused the bearer token set by token (APIC_TOKEN)", "renews itself")}
		}},
		{"Stripe redirect", func(e *leakEnv) []leakStep {
			e.srv.SetHostile(emulator.Hostile{RedirectTo: "http://127.0.0.1:1", RedirectRoutes: []string{emulator.RouteStripeAccount}})
			return []leakStep{plan(e.provider()+e.integration(pkOneTest, skOneTest), true, "not followed (it would carry the secret key)")}
		}},
		{"foreign object after a dropped create", func(e *leakEnv) []leakStep {
			e.srv.SetHostile(emulator.Hostile{ForeignOnDroppedCreate: true})
			return []leakStep{apply(e.provider()+e.integration(pkOneTest, skOneTest), true, "is not this one", "Nothing was written to state")}
		}},
		{"org that is a dot segment", func(e *leakEnv) []leakStep {
			return []leakStep{plan(e.provider()+e.integration(pkOneTest, skOneTest, `org = ".."`), true, "Invalid name or id")}
		}},
		{"Stripe base that is not Stripe", func(e *leakEnv) []leakStep {
			cfg := e.provider(`stripe_api_base = "http://stripe-proxy.invalid:1"`) + e.integration(pkOneTest, skOneTest)
			return []leakStep{plan(cfg, true, "Stripe secret keys go to a host that is not Stripe", "Cannot resolve the Stripe account")}
		}},
		{"import identity with a dot segment", func(e *leakEnv) []leakStep {
			e.skipUnless(featureIdentity)
			imp := "import {\n  to       = apiconnect_billing_integration.test\n  identity = {\n    org  = \"acme\"\n    name = \"..\"\n  }\n}\n"
			return []leakStep{plan(e.provider()+e.integration(pkOneTest, skOneTest)+imp, true, "Invalid import ID", `its name ".." cannot be used`)}
		}},
		{"billing_url on another server", func(e *leakEnv) []leakStep {
			cfg := e.provider() + e.integration(pkOneTest, skOneTest) +
				"resource \"apiconnect_catalog_billing\" \"other\" {\n  catalog = \"sandbox\"\n  billing_url = \"http://platform.invalid/api/orgs/acme/billings/leak-check\"\n}\n"
			return []leakStep{plan(cfg, true, "Billing integration on another server")}
		}},
	}
}
