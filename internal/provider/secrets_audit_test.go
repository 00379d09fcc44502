package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// traceLog turns on TRACE logging of Terraform and of the provider served
// in-process for the rest of the test, into a file whose path it returns.
// The log holds, besides the CLI's and the provider's lines, every
// diagnostic the provider returns (terraform-plugin-go logs summary and
// detail) and the human-readable plan of each step (terraform-plugin-testing
// logs it as test_terraform_plan).
func traceLog(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", p)
	return p
}

// auditText fails the test for each secret found in text.
func auditText(t *testing.T, where, text string, secrets map[string]string) {
	t.Helper()
	for what, secret := range secrets {
		if secret == "" || !strings.Contains(text, secret) {
			continue
		}
		t.Errorf("%s appears in %s", what, where)
		if os.Getenv("LEAK_DEBUG") != "" {
			for _, line := range strings.Split(text, "\n") {
				if strings.Contains(line, secret) {
					t.Logf("  %.400s", line)
				}
			}
		}
	}
}

// readTrace reads the TRACE log and checks that it covers what it should.
func readTrace(t *testing.T, p string, want ...string) string {
	t.Helper()
	b, err := os.ReadFile(p) //nolint:gosec // a file of t.TempDir()
	if err != nil {
		t.Fatalf("read the trace log: %v", err)
	}
	for _, w := range append([]string{"[TRACE]"}, want...) {
		if !strings.Contains(string(b), w) {
			t.Fatalf("the trace log (%d bytes) lacks %q: it does not cover what it should", len(b), w)
		}
	}
	return string(b)
}

// TestAccSecrets_errorPaths runs every bad input of TestAccBadInputs with
// TF_LOG=TRACE and searches the log (which holds the diagnostics) and each
// error output of the CLI (the rendered diagnostics) for the Stripe secret
// keys, passwords, client secret, API key, static token and bearer tokens
// of the run.
func TestAccSecrets_errorPaths(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	logPath := traceLog(t)
	secrets := map[string]string{}
	outputs := map[string]string{}
	for _, bc := range badInputs() {
		t.Run(strings.ReplaceAll(bc.name, " ", "_"), func(t *testing.T) {
			run := runBadInput(t, bc, false)
			outputs[bc.name] = run.out
			for i, s := range run.secrets {
				secrets[fmt.Sprintf("%s: secret %d", bc.name, i)] = s
			}
		})
	}
	if t.Failed() {
		return
	}
	log := readTrace(t, logPath, "Response contains error diagnostic", "diagnostic_detail", "Permission denied", "Stripe rejected the secret key")
	// Every secret of every case, in every log line and every output.
	auditText(t, "the TRACE log", log, secrets)
	for name, out := range outputs {
		auditText(t, "the diagnostics of "+name, out, secrets)
	}
	t.Logf("searched %d bytes of TRACE log and %d error outputs for %d secrets", len(log), len(outputs), len(secrets))
}

// TestAccSecrets_apiKeyAndTokenGrants: a full apply (an integration and its
// catalog billing), key rotation, import and destroy, with TF_LOG=TRACE,
// authenticated by the api_key grant, then by a ready bearer token; neither
// the API key, the client secret, the static token, the bearer tokens nor
// the Stripe keys appear in the log, which includes every plan's output.
func TestAccSecrets_apiKeyAndTokenGrants(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	logPath := traceLog(t)
	staticToken := "static-bearer-token-" + strings.Repeat("7", 24)
	srv := emulator.NewServer(emulator.Config{StaticToken: staticToken})
	t.Cleanup(srv.Close)
	e := &accEnv{t: t, srv: srv, org: srv.Config().Org}
	c := srv.Config()

	decl := `
variable "publishable_key" { type = string }
variable "secret_key" {
  type      = string
  sensitive = true
}
variable "credential" {
  type      = string
  sensitive = true
}
variable "client_secret" {
  type      = string
  sensitive = true
}
resource "apiconnect_billing_integration" "test" {
  title           = "Leak check"
  publishable_key = var.publishable_key
  secret_key      = var.secret_key
}
resource "apiconnect_catalog_billing" "sandbox" {
  catalog     = "sandbox"
  billing_url = apiconnect_billing_integration.test.url
}
`
	//nolint:gosec // attribute names and variable references, no credentials
	apiKey := e.providerConfig(map[string]string{"username": "", "password": "", "api_key": "var.credential", "client_secret": "var.client_secret"}) + decl
	//nolint:gosec // attribute names and variable references, no credentials
	token := e.providerConfig(map[string]string{"username": "", "password": "", "client_id": "", "client_secret": "", "token": "var.credential"}) + decl
	vars := func(cred, sk string) config.Variables {
		return config.Variables{
			"publishable_key": config.StringVariable(pkOneTest), "secret_key": config.StringVariable(sk),
			"credential": config.StringVariable(cred), "client_secret": config.StringVariable(c.ClientSecret),
		}
	}
	accTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := e.checkDestroyed(s); err != nil {
				return err
			}
			if n := len(srv.ConfiguredBillings(e.org, "sandbox")); n != 0 {
				return fmt.Errorf("%d configured billings left", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: apiKey, ConfigVariables: vars(c.APIKey, skOneTest), ConfigPlanChecks: planAction(plancheck.ResourceActionCreate)},
			{Config: apiKey, ConfigVariables: vars(c.APIKey, skOneTestRotated), ConfigPlanChecks: planAction(plancheck.ResourceActionUpdate)},
			{Config: token, ConfigVariables: vars(staticToken, skOneTestRotated), ConfigPlanChecks: emptyPlanAfterApply},
			{
				Config: token, ConfigVariables: vars(staticToken, skOneTestRotated),
				ResourceName: billingAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"secret_key"},
			},
		},
	})
	if t.Failed() {
		return
	}
	secrets := map[string]string{
		"Stripe secret key":         skOneTest,
		"rotated Stripe secret key": skOneTestRotated,
		"API key":                   c.APIKey,
		"client secret":             c.ClientSecret,
		"static token":              staticToken,
	}
	tokens := 0
	for _, r := range srv.Requests() {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && r.Route != emulator.RouteStripeAccount && tok != staticToken {
			secrets[fmt.Sprintf("bearer token %d", tokens)] = tok
			tokens++
		}
	}
	if tokens == 0 {
		t.Fatal("the emulator saw no bearer token of the api_key grant: the test would prove nothing")
	}
	log := readTrace(t, logPath, "test_terraform_plan", "will be created", "will be updated in-place", "full_access_key", "grant_type", "configured-billings")
	auditText(t, "the TRACE log", log, secrets)
	t.Logf("searched %d bytes of TRACE log for %d secrets", len(log), len(secrets))
}
