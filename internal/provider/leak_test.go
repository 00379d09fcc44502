package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/clitest"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// sensitiveAttrs are the sensitive attributes of the provider block and the
// resources: no diagnostic may show their configuration lines.
var sensitiveAttrs = []string{"secret_key", "secret_key_wo", "password", "client_secret", "api_key", "token"}

// leakStep is one CLI command of a leak case and what it must show: the
// phrases prove that the diagnostic path the case is about did fire.
type leakStep struct {
	config string   // main.tf below the terraform block
	args   []string // e.g. plan, apply -auto-approve
	fails  bool
	want   []string
	files  map[string]string // other files of the working directory (a .tfquery.hcl)
	writes []string          // files the command writes (generated configuration), searched too
}

// leakCase is one diagnostic path, run with literal secrets in main.tf.
type leakCase struct {
	name  string
	steps func(e *leakEnv) []leakStep
}

type leakEnv struct {
	*accEnv
	cli clitest.CLI
}

// provider is the provider block with literal credentials; attrs override
// (HCL expressions, "" drops one).
func (e *leakEnv) provider(attrs ...string) string {
	m := map[string]string{}
	for _, a := range attrs {
		k, v, _ := strings.Cut(a, "=")
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return e.providerConfig(m)
}

// integration is an apiconnect_billing_integration with literal keys (sk
// "": no secret_key); extra lines are added or override ("x =" drops x).
func (e *leakEnv) integration(pk, sk string, extra ...string) string {
	lines := map[string]string{"title": `"Leak check"`, "publishable_key": fmt.Sprintf("%q", pk), "secret_key": ""}
	if sk != "" {
		lines["secret_key"] = fmt.Sprintf("%q", sk)
	}
	for _, x := range extra {
		k, v, _ := strings.Cut(x, "=")
		lines[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	keys := make([]string, 0, len(lines))
	for k := range lines {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("resource \"apiconnect_billing_integration\" \"test\" {\n")
	for _, k := range keys {
		if lines[k] != "" {
			fmt.Fprintf(&b, "  %s = %s\n", k, lines[k])
		}
	}
	b.WriteString("}\n")
	return b.String()
}

func (e *leakEnv) writeOnly() bool { return featureWriteOnly.missingOn(e.cli) == "" }

func plan(config string, fails bool, want ...string) leakStep {
	return leakStep{config: config, args: []string{"plan"}, fails: fails, want: want}
}

func apply(config string, fails bool, want ...string) leakStep {
	return leakStep{config: config, args: []string{"apply", "-auto-approve"}, fails: fails, want: want}
}

const (
	woRefused     = "WriteOnly Attribute Not Allowed"
	replaceReason = "Stripe key change forces replacement"
)

var (
	leakInvalidKey  = skOneTest + "$%"
	leakWrongPass   = "Wrong-Literal-Passw0rd-4711"
	leakWrongToken  = "wrong-literal-static-token-0815"
	leakWrongAPIKey = "wrong-literal-api-key-1234"
	leakStaticToken = "literal-static-token-" + strings.Repeat("9", 20)
)

// leakCases are the diagnostic paths of issue 11, one configuration each.
func leakCases() []leakCase {
	return append(append(baseLeakCases(), featureLeakCases()...), hostileLeakCases()...)
}

func baseLeakCases() []leakCase {
	return []leakCase{
		{"create plan", func(e *leakEnv) []leakStep {
			want := []string{"will be created"}
			if e.writeOnly() {
				want = append(want, "secret_key is stored in the state") // the write-only hint
			}
			return []leakStep{plan(e.provider()+e.integration(pkOneTest, skOneTest), false, want...)}
		}},
		{"invalid secret key", func(e *leakEnv) []leakStep {
			return []leakStep{plan(e.provider()+e.integration(pkOneTest, leakInvalidKey), true, "Invalid Stripe secret key")}
		}},
		{"secret key in publishable_key", func(e *leakEnv) []leakStep {
			return []leakStep{plan(e.provider()+e.integration(skOneTest, skOneTest), true, "Invalid Stripe publishable key")}
		}},
		{"publishable key in secret_key", func(e *leakEnv) []leakStep {
			return []leakStep{plan(e.provider()+e.integration(pkOneTest, pkOneTest), true, "Invalid Stripe secret key")}
		}},
		{"both keys set", func(e *leakEnv) []leakStep {
			cfg := e.provider() + e.integration(pkOneTest, skOneTest, fmt.Sprintf("secret_key_wo = %q", skOneTestRotated))
			if !e.writeOnly() {
				return []leakStep{plan(cfg, true, woRefused, "Conflicting secret keys")}
			}
			return []leakStep{plan(cfg, true, "Conflicting secret keys")}
		}},
		{"mixed modes", func(e *leakEnv) []leakStep {
			return []leakStep{plan(e.provider()+e.integration(pkOneTest, skOneLive), true, "Stripe keys of different modes")}
		}},
		{"account swap", func(e *leakEnv) []leakStep {
			return []leakStep{
				apply(e.provider()+e.integration(pkOneTest, skOneTest), false, "1 added"),
				plan(e.provider()+e.integration(pkTwoTest, skTwoTest), false, replaceReason, "# forces replacement", "must be replaced", acctTwo),
			}
		}},
		{"mode swap", func(e *leakEnv) []leakStep {
			return []leakStep{
				apply(e.provider()+e.integration(pkOneTest, skOneTest), false, "1 added"),
				plan(e.provider()+e.integration(pkOneLive, skOneLive), false, replaceReason, "# forces replacement", "from test to live"),
			}
		}},
		{"write-only key changed without a version", func(e *leakEnv) []leakStep {
			wo := func(sk string) string {
				return e.provider() + e.integration(pkOneTest, "", fmt.Sprintf("secret_key_wo = %q", sk), `secret_key_wo_version = "1"`)
			}
			if !e.writeOnly() {
				return []leakStep{plan(wo(skOneTest), true, woRefused)}
			}
			return []leakStep{
				apply(wo(skOneTest), false, "1 added"),
				plan(wo(skOneTestRotated), false, "Write-only secret key changed without a new version"),
			}
		}},
		{"Stripe unreachable", func(e *leakEnv) []leakStep {
			return []leakStep{plan(e.provider(`stripe_api_base = "http://127.0.0.1:1"`)+e.integration(pkOneTest, skOneTest), true, "Cannot resolve the Stripe account")}
		}},
		{"Stripe refuses the key", func(e *leakEnv) []leakStep {
			return []leakStep{plan(e.provider()+e.integration(pkOneTest, skRejected), true, "Stripe does not accept it")}
		}},
		{"conflicting credentials", func(e *leakEnv) []leakStep {
			cfg := e.provider(fmt.Sprintf("token = %q", leakStaticToken), fmt.Sprintf("api_key = %q", e.srv.Config().APIKey))
			return []leakStep{plan(cfg+e.integration(pkOneTest, skOneTest), true, "Conflicting credentials")}
		}},
		{"missing password", func(e *leakEnv) []leakStep {
			return []leakStep{plan(e.provider(`password = ""`)+e.integration(pkOneTest, skOneTest), true, "Missing password")}
		}},
		{"missing username", func(e *leakEnv) []leakStep {
			return []leakStep{plan(e.provider(`username = ""`)+e.integration(pkOneTest, skOneTest), true, "Missing username")}
		}},
		{"refused password", func(e *leakEnv) []leakStep {
			cfg := e.provider(fmt.Sprintf("password = %q", leakWrongPass))
			return []leakStep{plan(cfg+e.integration(pkOneTest, skOneTest), true, "refused the credentials")}
		}},
		{"refused token", func(e *leakEnv) []leakStep {
			cfg := e.provider(`username = ""`, `password = ""`, `client_id = ""`, `client_secret = ""`, fmt.Sprintf("token = %q", leakWrongToken))
			return []leakStep{plan(cfg+e.integration(pkOneTest, skOneTest), true, "Unauthorized (401)")}
		}},
		{"refused API key", func(e *leakEnv) []leakStep {
			cfg := e.provider(`username = ""`, `password = ""`, fmt.Sprintf("api_key = %q", leakWrongAPIKey))
			return []leakStep{plan(cfg+e.integration(pkOneTest, skOneTest), true, "refused the credentials")}
		}},
		{"unknown org", func(e *leakEnv) []leakStep {
			return []leakStep{plan(e.provider()+e.integration(pkOneTest, skOneTest, `org = "no-such-org"`), true, "Provider organization not found")}
		}},
		{"production guard", func(e *leakEnv) []leakStep {
			cfg := e.provider() + e.integration(pkOneTest, skOneTest) +
				"resource \"apiconnect_catalog_billing\" \"prod\" {\n  catalog = \"production\"\n  billing_url = apiconnect_billing_integration.test.url\n}\n"
			return []leakStep{apply(cfg, true, "Stripe test keys in a production Catalog")}
		}},
		{"import", func(e *leakEnv) []leakStep {
			seedLeakIntegration(e)
			cfg := e.provider() + e.integration(pkOneTest, skOneTest)
			return []leakStep{
				{config: cfg, args: []string{"import", billingAddr, e.org + "/no-such-integration"}, fails: true, want: []string{"non-existent remote object"}},
				{config: cfg, args: []string{"import", billingAddr, e.org + "/leak-check"}, want: []string{"Import successful"}},
				plan(cfg, false, "will be updated in-place"),
			}
		}},
		{"key known only at apply", func(e *leakEnv) []leakStep {
			late := fmt.Sprintf("resource \"terraform_data\" \"key\" {\n  input = sensitive(%q)\n}\n", skTwoTest)
			return []leakStep{
				apply(e.provider()+e.integration(pkOneTest, skOneTest), false, "1 added"),
				apply(e.provider()+late+e.integration(pkTwoTest, "", "secret_key = terraform_data.key.output"), true, replaceReason, "changed the planned action"),
			}
		}},
		{"provider setting known only at apply", func(e *leakEnv) []leakStep {
			late := fmt.Sprintf("resource \"terraform_data\" \"password\" {\n  input = sensitive(%q)\n}\n", e.srv.Config().Password)
			cfg := e.provider("password = terraform_data.password.output") + late + e.integration(pkOneTest, skOneTest)
			return []leakStep{plan(cfg, true, "Unknown provider setting")}
		}},
	}
}

// seedLeakIntegration creates the integration "leak-check" through the API.
func seedLeakIntegration(e *leakEnv) {
	_, err := e.client().CreateBilling(context.Background(), e.org, apic.BillingCreate{
		Name: "leak-check", Title: "Leak check", IntegrationURL: e.srv.Endpoint() + stripeIntegrationPath,
		Configuration: apic.BillingConfiguration{PublishableKey: pkOneTest, FullAccessKey: skOneTest},
	})
	if err != nil {
		e.t.Fatalf("seed: %v", err)
	}
}

// leakSecrets are every secret value the cases write literally.
func leakSecrets(c emulator.Config) map[string]string {
	return map[string]string{
		"Stripe secret key": skOneTest, "rotated Stripe secret key": skOneTestRotated, "live Stripe secret key": skOneLive,
		"second account's Stripe secret key": skTwoTest, "refused Stripe secret key": skRejected, "malformed Stripe secret key": leakInvalidKey,
		"password": c.Password, "client secret": c.ClientSecret, "API key": c.APIKey, "static token": leakStaticToken,
		"wrong password": leakWrongPass, "wrong token": leakWrongToken, "wrong API key": leakWrongAPIKey,
	}
}

// TestAccLeak_literalSecrets runs the CLI of the acceptance run itself over
// every diagnostic path, with every secret written literally in main.tf,
// and searches stdout, stderr and the TRACE log of each command for the
// secrets (and the bearer tokens the emulator issued), and the output for
// the configuration line of a sensitive attribute.
func TestAccLeak_literalSecrets(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if realPlatform() {
		t.Skip("skipped on a real platform: uses the emulator's literal credentials")
	}
	cli := skipUnlessCLIHas(t)
	clitest.ProviderDir(t) // build once, before the cases run in parallel
	var mu sync.Mutex
	found := map[string][]string{}
	for _, lc := range leakCases() {
		t.Run(strings.ReplaceAll(lc.name, " ", "_"), func(t *testing.T) {
			t.Parallel()
			var leaks []string
			defer func() { // also when the case stops early
				mu.Lock()
				found[lc.name] = leaks
				mu.Unlock()
			}()
			runLeakCase(t, cli, lc, &leaks)
		})
	}
	t.Cleanup(func() {
		names := make([]string, 0, len(found))
		for n := range found {
			names = append(names, n)
		}
		sort.Strings(names)
		leaky := 0
		for _, n := range names {
			if len(found[n]) > 0 {
				leaky++
				t.Logf("LEAK %s %s: %s", cli, n, strings.Join(found[n], "; "))
			}
		}
		t.Logf("LEAK SUMMARY cli=%s version=%s cases=%d leaking=%d", cli.Name, cli.Version, len(names), leaky)
	})
}

// runLeakCase runs the steps of one case in one working directory and
// appends the leaks found to leaks (the test fails on any).
func runLeakCase(t *testing.T, cli clitest.CLI, lc leakCase, leaks *[]string) {
	e := &leakEnv{accEnv: newAccEnv(t), cli: cli}
	w := clitest.NewWorkdir(t, cli)
	steps := lc.steps(e)
	registerAcc(t, len(steps))
	for i, step := range steps {
		w.Write(step.config)
		for name, content := range step.files {
			writeFile(t, filepath.Join(w.Dir, name), content)
		}
		r := w.Run(step.args...)
		what := fmt.Sprintf("step %d (%s)", i+1, strings.Join(step.args, " "))
		if os.Getenv("LEAK_SHOW") != "" { // the output as the user sees it, secrets redacted
			t.Logf("%s:\n%s", what, redactAll(r.Output(), e))
		}
		if failed := r.ExitCode != 0; failed != step.fails {
			t.Fatalf("%s: exit code %d, want failure=%v:\n%s", what, r.ExitCode, step.fails, redactAll(r.Output(), e))
		}
		for _, want := range step.want {
			if !words(want).MatchString(r.Output()) {
				t.Errorf("%s: the output lacks %q (the path did not fire):\n%s", what, want, redactAll(r.Output(), e))
			}
		}
		for _, l := range clitest.FindLeaks(r, runSecrets(e), sensitiveAttrs) {
			t.Errorf("%s: %s", what, l)
			*leaks = append(*leaks, fmt.Sprintf("%s: %s", what, l))
		}
		for _, name := range step.writes {
			for _, l := range fileLeaks(t, filepath.Join(w.Dir, name), runSecrets(e)) {
				t.Errorf("%s: %s", what, l)
				*leaks = append(*leaks, fmt.Sprintf("%s: %s", what, l))
			}
		}
	}
}

// fileLeaks are the secrets, and the platform's mask of one, in a file a
// command wrote.
func fileLeaks(t *testing.T, name string, secrets map[string]string) []string {
	t.Helper()
	content := readFile(t, name)
	var leaks []string
	for what, s := range secrets {
		if s != "" && strings.Contains(content, s) {
			leaks = append(leaks, fmt.Sprintf("%s in %s", what, filepath.Base(name)))
		}
	}
	if strings.Contains(content, "********") {
		leaks = append(leaks, "the platform's mask ******** in "+filepath.Base(name))
	}
	sort.Strings(leaks)
	return leaks
}

// runSecrets are the literal secrets and the bearer tokens the emulator
// issued so far.
func runSecrets(e *leakEnv) map[string]string {
	s := leakSecrets(e.srv.Config())
	n := 0
	for _, r := range e.srv.Requests() {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && r.Route != emulator.RouteStripeAccount {
			s[fmt.Sprintf("bearer token %d", n)] = tok
			n++
		}
	}
	return s
}

func redactAll(text string, e *leakEnv) string {
	for name, s := range runSecrets(e) {
		text = strings.ReplaceAll(text, s, "<"+name+">")
	}
	return text
}
