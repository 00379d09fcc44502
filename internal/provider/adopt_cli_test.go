package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/clitest"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// adoptQuery lists every integration of the org and the Sandbox Catalog's
// associations, as README's brownfield path does.
const adoptQuery = `
list "apiconnect_billing_integration" "all" {
  provider = apiconnect
}

list "apiconnect_catalog_billing" "sandbox" {
  provider = apiconnect
  config {
    catalog = "sandbox"
  }
}
`

// brownfieldSecrets are the secret keys of makeBrownfield, by integration
// name: generated configuration and every output must hold none of them.
func brownfieldSecrets() map[string]string {
	return map[string]string{"stripe-eu-live": bfSkLive, "stripe-us-live": bfSkLive2, "stripe-test": bfSkTest}
}

// TestAccAdopt_generateConfig follows README's brownfield path with the CLI
// itself (terraform-plugin-testing does not pass -generate-config-out in
// query mode): terraform query -generate-config-out writes configuration
// without any secret; plan refuses it and says what to add; once the keys
// are added, plan imports every object, updates each integration in place
// (the key is sent) and replaces nothing; after apply the plan is empty.
func TestAccAdopt_generateConfig(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	registerAcc(t, 5) // counted as skipped on a CLI without the feature
	cli := skipUnlessCLIHas(t, featureQuery)
	e := newAccEnv(t)
	bf := e.makeBrownfield(t)
	w := clitest.NewWorkdir(t, cli)
	w.Write(e.providerBlock())
	writeFile(t, filepath.Join(w.Dir, "adopt.tfquery.hcl"), adoptQuery)

	r := adoptRun(t, w, 0, "query", "-no-color", "-generate-config-out=adopted.tf")
	for _, want := range []string{"stripe-eu-live", "stripe-us-live", "stripe-test"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("query output lacks %s:\n%s", want, r.Stdout)
		}
	}
	generated := readFile(t, filepath.Join(w.Dir, "adopted.tf"))
	checkGenerated(t, generated, bf)

	// As generated: no key, and the error says what to add, on the resource.
	r = adoptRun(t, w, 1, "plan")
	for _, want := range []string{"Missing secret key", "secret_key_wo = <key> together with secret_key_wo_version", "or secret_key = <key>"} {
		if !words(want).MatchString(r.Output()) {
			t.Errorf("plan of the generated configuration lacks %q:\n%s", want, r.Output())
		}
	}

	// The user adds each integration's key (write-only, from a variable).
	writeFile(t, filepath.Join(w.Dir, "adopted.tf"), addKeys(t, generated))
	for name, sk := range brownfieldSecrets() {
		w.Env = append(w.Env, "TF_VAR_"+strings.ReplaceAll(name, "-", "_")+"="+sk)
	}
	patches := e.srv.Count(http.MethodPatch, emulator.RouteBilling)
	adoptRun(t, w, 0, "plan", "-out=adopt.tfplan")
	checkAdoptPlan(t, adoptRun(t, w, 0, "show", "-json", "adopt.tfplan").Stdout)
	adoptRun(t, w, 0, "apply", "adopt.tfplan")
	if got := e.srv.Count(http.MethodPatch, emulator.RouteBilling) - patches; got != 3 {
		t.Errorf("%d PATCHes of integrations, want 3 (each key sent once)", got)
	}
	for name, sk := range brownfieldSecrets() {
		if err := e.checkStoredKey(name, sk)(nil); err != nil {
			t.Error(err)
		}
	}
	if len(e.srv.Billings(e.org)) != 3 || len(e.srv.ConfiguredBillings(e.org, "sandbox")) != 2 {
		t.Errorf("objects were created or deleted: %d integrations, %d in sandbox", len(e.srv.Billings(e.org)), len(e.srv.ConfiguredBillings(e.org, "sandbox")))
	}
	adoptRun(t, w, 0, "plan", "-detailed-exitcode")
}

// adoptRun runs the CLI, requires an exit code, and fails on any secret in
// what it printed or logged, or on the configuration line of a secret
// attribute in its output.
func adoptRun(t *testing.T, w *clitest.Workdir, exit int, args ...string) clitest.Result {
	t.Helper()
	r := mustRun(t, w, exit, args...)
	for _, l := range clitest.FindLeaks(r, brownfieldSecrets(), []string{"secret_key", "secret_key_wo"}) {
		t.Errorf("%v: %s", args, l)
	}
	return r
}

// checkGenerated: five resources with import blocks by identity, and no
// secret: no key, no platform mask, every secret attribute null.
func checkGenerated(t *testing.T, generated string, bf *brownfield) {
	t.Helper()
	for name, sk := range brownfieldSecrets() {
		// (The emulator's publishable keys share the secret key's body, so
		// only the whole key is looked for.)
		if strings.Contains(generated, sk) {
			t.Errorf("the generated configuration holds the secret key of %s", name)
		}
	}
	if strings.Contains(generated, "********") {
		t.Error("the generated configuration holds the platform's mask ********")
	}
	if n := strings.Count(generated, "import {"); n != 5 {
		t.Errorf("%d import blocks, want 5 (3 integrations, 2 sandbox associations):\n%s", n, generated)
	}
	if n := len(regexp.MustCompile(`(?m)^\s*identity\s*=\s*\{`).FindAllString(generated, -1)); n != 5 {
		t.Errorf("%d import blocks by identity, want 5", n)
	}
	for _, attr := range []string{"secret_key", "secret_key_wo", "secret_key_wo_version"} {
		re := regexp.MustCompile(`(?m)^\s*` + attr + `\s*=\s*(.*)$`)
		for _, m := range re.FindAllStringSubmatch(generated, -1) {
			if !strings.HasPrefix(m[1], "null") {
				t.Errorf("generated %s = %s, want null", attr, m[1])
			}
		}
	}
	for name := range bf.ids {
		if !strings.Contains(generated, fmt.Sprintf("name = %q", name)) {
			t.Errorf("the generated configuration lacks integration %s", name)
		}
	}
}

// addKeys sets secret_key_wo and secret_key_wo_version in each generated
// integration block, from a variable named after the integration.
func addKeys(t *testing.T, generated string) string {
	t.Helper()
	blocks := regexp.MustCompile(`(?s)resource "apiconnect_billing_integration" "[^"]+" \{.*?\n\}`)
	var vars strings.Builder
	out := blocks.ReplaceAllStringFunc(generated, func(block string) string {
		m := regexp.MustCompile(`(?m)^\s*name\s*=\s*"([^"]+)"`).FindStringSubmatch(block)
		if m == nil {
			t.Fatalf("no name in %s", block)
		}
		v := strings.ReplaceAll(m[1], "-", "_")
		fmt.Fprintf(&vars, "variable %q {\n  type      = string\n  sensitive = true\n  ephemeral = true\n}\n", v)
		block = regexp.MustCompile(`(?m)^(\s*)secret_key_wo\s*=.*$`).ReplaceAllString(block, "${1}secret_key_wo = var."+v)
		return regexp.MustCompile(`(?m)^(\s*)secret_key_wo_version\s*=.*$`).ReplaceAllString(block, `${1}secret_key_wo_version = "1"`)
	})
	if strings.Count(out, "secret_key_wo = var.") != 3 {
		t.Fatalf("could not add the keys to the generated configuration:\n%s", out)
	}
	return vars.String() + out
}

// checkAdoptPlan: every object imported; integrations updated in place,
// associations unchanged; nothing created, deleted or replaced.
func checkAdoptPlan(t *testing.T, planJSON string) {
	t.Helper()
	var p struct {
		ResourceChanges []struct {
			Address, Type string
			Change        struct {
				Actions   []string        `json:"actions"`
				Importing json.RawMessage `json:"importing"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(planJSON), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.ResourceChanges) != 5 {
		t.Errorf("%d resource changes, want 5", len(p.ResourceChanges))
	}
	for _, rc := range p.ResourceChanges {
		want := "[no-op]"
		if rc.Type == "apiconnect_billing_integration" {
			want = "[update]"
		}
		if got := fmt.Sprint(rc.Change.Actions); got != want || len(rc.Change.Importing) == 0 {
			t.Errorf("%s: actions %s, importing %s; want %s with an import", rc.Address, got, rc.Change.Importing, want)
		}
	}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name) //nolint:gosec // a file of the test's working directory
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
