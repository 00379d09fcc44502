package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// TestAccSecrets_notInTraceLogs runs create, rotation, a failing key check,
// import and destroy with TF_LOG=TRACE for both Terraform and the provider,
// then searches every log line for the Stripe secret keys, the platform
// password, the client secret and the bearer tokens the platform issued.
func TestAccSecrets_notInTraceLogs(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	dir := t.TempDir()
	// TF_ACC_LOG_PATH collects Terraform's log and, at TRACE, the log of the
	// provider served in-process (terraform-plugin-log's test sink).
	logPath := filepath.Join(dir, "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)

	e := newAccEnv(t)
	// Credentials come from the environment and keys from sensitive
	// variables, as in a real pipeline: a literal in the configuration would
	// be printed by Terraform itself (source snippets of diagnostics, and the
	// test harness logs the configuration).
	c := e.srv.Config()
	for k, v := range map[string]string{"APIC_USERNAME": c.Username, "APIC_PASSWORD": c.Password, "APIC_CLIENT_ID": c.ClientID, "APIC_CLIENT_SECRET": c.ClientSecret} {
		t.Setenv(k, v)
	}
	cfg := fmt.Sprintf("provider \"apiconnect\" {\n  endpoint = %q\n  org = %q\n  stripe_api_base = %q\n}\n", e.srv.Endpoint(), e.org, e.srv.StripeBase())
	b, err := os.ReadFile(filepath.Join("testdata", "billing_integration_vars.tf"))
	if err != nil {
		t.Fatal(err)
	}
	cfg += string(b)
	keys := func(pk, sk string) config.Variables {
		return config.Variables{"publishable_key": config.StringVariable(pk), "secret_key": config.StringVariable(sk)}
	}
	_, badKey := emulator.StripeKeys("Acct", "test", "") // body too short: the Stripe fake rejects it (401)
	badKey = badKey[:len("sk_test_")+6]
	accTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigVariables:  keys(pkOneTest, skOneTest),
				ConfigPlanChecks: planAction(plancheck.ResourceActionCreate),
			},
			{
				Config:           cfg,
				ConfigVariables:  keys(pkOneTest, skOneTestRotated),
				ConfigPlanChecks: planAction(plancheck.ResourceActionUpdate),
			},
			{
				Config:          cfg,
				ConfigVariables: keys(pkOneTest, badKey),
				ExpectError:     regexp.MustCompile(`Stripe rejected the secret key`),
			},
			{
				Config:                  cfg,
				ConfigVariables:         keys(pkOneTest, skOneTestRotated),
				ResourceName:            billingAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"secret_key"},
			},
		},
	})

	secrets := map[string]string{
		"Stripe secret key":          skOneTest,
		"rotated Stripe secret key":  skOneTestRotated,
		"rejected Stripe secret key": badKey,
		"platform password":          e.srv.Config().Password,
		"client secret":              e.srv.Config().ClientSecret,
	}
	tokens := 0
	for _, r := range e.srv.Requests() {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && r.Route != emulator.RouteStripeAccount {
			secrets[fmt.Sprintf("bearer token %d", tokens)] = tok
			tokens++
		}
	}
	if tokens == 0 {
		t.Fatal("the emulator saw no bearer token: the test would prove nothing")
	}
	b, err = os.ReadFile(logPath) //nolint:gosec // a file of t.TempDir()
	if err != nil {
		t.Fatalf("read the trace log: %v", err)
	}
	log := string(b)
	// The log must be a real TRACE log of this run with the provider's own
	// request lines, or the test proves nothing.
	for _, want := range []string{"[TRACE]", "Calling provider defined Resource ModifyPlan", "creating billing integration", "/billings", "full_access_key"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the trace log (%d bytes) lacks %q: it does not cover what it should", len(b), want)
		}
	}
	for what, secret := range secrets {
		if secret != "" && strings.Contains(log, secret) {
			t.Errorf("%s appears in the TRACE log", what)
			if os.Getenv("LEAK_DEBUG") != "" {
				for _, line := range strings.Split(log, "\n") {
					if strings.Contains(line, secret) {
						t.Logf("  %.400s", line)
					}
				}
			}
		}
	}
	t.Logf("searched %d bytes of TRACE log for %d secrets", len(b), len(secrets))
}
