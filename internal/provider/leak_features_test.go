package provider

import "fmt"

// leakQuery lists the integrations with their attributes: the query output
// and the generated configuration are searched for the secrets.
const leakQuery = `
list "apiconnect_billing_integration" "all" {
  provider         = apiconnect
  include_resource = true
}
`

const leakAction = `
action "apiconnect_billing_jobs_retry" "leak" {
  config {
    billing = %q
  }
}
`

// featureLeakCases are the outputs of terraform query, of the configuration
// it generates, and of the job retry action, with literal secrets in main.tf
// (the integration "leak-check" holds the literal secret key too).
func featureLeakCases() []leakCase {
	return []leakCase{
		{name: "query and generated configuration", steps: func(e *leakEnv) []leakStep {
			e.skipUnless(featureQuery)
			seedLeakIntegration(e)
			query := map[string]string{"leak.tfquery.hcl": leakQuery}
			return []leakStep{
				{config: e.provider(), files: query, args: []string{"query", "-no-color", "-json"}, want: []string{`"leak-check"`, `"publishable_key":"` + pkOneTest}},
				{config: e.provider(), files: query, args: []string{"query", "-no-color", "-generate-config-out=generated.tf"}, want: []string{"leak-check"}, writes: []string{"generated.tf"}},
				plan(e.provider(), true, "Missing secret key", "secret_key_wo_version"),
			}
		}},
		{name: "action output", steps: func(e *leakEnv) []leakStep {
			e.skipUnless(featureActions)
			seedLeakIntegration(e)
			e.enqueue("leak-check", "blocked")
			invoke := []string{"apply", "-auto-approve", "-invoke=action.apiconnect_billing_jobs_retry.leak"}
			return []leakStep{
				{config: e.provider() + fmt.Sprintf(leakAction, "leak-check"), args: invoke, want: []string{"Retried 1 blocked or failed job(s)"}},
				{config: e.provider() + fmt.Sprintf(leakAction, "missing"), args: invoke, fails: true, want: []string{"Billing integration not found"}},
			}
		}},
	}
}

// skipUnless skips the case, counted as skipped, on a CLI without f.
func (e *leakEnv) skipUnless(f cliFeature) {
	if reason := f.missingOn(e.cli); reason != "" {
		registerAcc(e.t, 0)
		e.t.Skip(reason)
	}
}
