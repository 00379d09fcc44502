package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/clitest"
)

// preIdentityCommit is the last commit of main whose provider had no
// resource identity: the state it writes has none.
const preIdentityCommit = "4a7fb4a0e195ff36e44f28a4d669a275b0938c05"

const upgradeConfig = `
variable "secret_key" {
  type      = string
  sensitive = true
}

resource "apiconnect_billing_integration" "live" {
  title           = "Before Identity"
  publishable_key = %[1]q
  secret_key      = var.secret_key
}

resource "apiconnect_catalog_billing" "sandbox" {
  catalog     = "sandbox"
  billing_url = apiconnect_billing_integration.live.url
}

resource "apiconnect_catalog_billing" "production" {
  catalog     = "production"
  billing_url = apiconnect_billing_integration.live.url
}
`

// TestAccUpgrade_identityFromEarlierBuild: objects created by the build
// before identity existed (their state has none) get their identity at the
// first refresh of this build, with an empty plan; an object of such state
// deleted meanwhile is planned again, without an error.
func TestAccUpgrade_identityFromEarlierBuild(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	registerAcc(t, 6) // counted as skipped on a CLI without the feature
	cli := skipUnlessCLIHas(t, featureIdentity)
	e := newAccEnv(t)
	earlierDir, err := clitest.BuildProviderAt(t, preIdentityCommit)
	if errors.Is(err, clitest.ErrNoHistory) {
		t.Skipf("no build before identity: %v (needs the repository's git history)", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	w := clitest.NewWorkdir(t, cli)
	w.Env = append(w.Env, "TF_VAR_secret_key="+cbSkLiveOne)
	w.Write(e.providerBlock() + fmt.Sprintf(upgradeConfig, cbPkLiveOne))

	w.UseProviders(earlierDir)
	mustRun(t, w, 0, "apply", "-auto-approve")
	for addr, id := range stateIdentities(t, w) {
		if id != nil {
			t.Fatalf("the build before identity wrote an identity for %s: %v (is %s the right commit?)", addr, id, preIdentityCommit)
		}
	}
	// Removed in API Manager while the earlier build managed it.
	gone := stateAttr(t, w, "apiconnect_catalog_billing.production", "id")
	if err := e.client().DeleteConfiguredBilling(context.Background(), e.org, "production", gone); err != nil {
		t.Fatal(err)
	}

	w.UseProviders(clitest.ProviderDir(t))
	r := mustRun(t, w, 2, "plan", "-detailed-exitcode")
	if !words("Plan: 1 to add, 0 to change, 0 to destroy").MatchString(r.Stdout) {
		t.Fatalf("the first plan of this build should only add the deleted association again:\n%s", r.Stdout)
	}
	mustRun(t, w, 0, "apply", "-auto-approve")
	mustRun(t, w, 0, "plan", "-detailed-exitcode")

	want := map[string]map[string]any{
		"apiconnect_billing_integration.live": {"org": e.org, "name": "before-identity"},
		"apiconnect_catalog_billing.sandbox": {"org": e.org, "catalog": "sandbox",
			"id": stateAttr(t, w, "apiconnect_catalog_billing.sandbox", "id")},
		"apiconnect_catalog_billing.production": {"org": e.org, "catalog": "production",
			"id": stateAttr(t, w, "apiconnect_catalog_billing.production", "id")},
	}
	got := stateIdentities(t, w)
	for addr, id := range want {
		if fmt.Sprint(got[addr]) != fmt.Sprint(id) {
			t.Errorf("identity of %s: %v, want %v", addr, got[addr], id)
		}
	}
	if want["apiconnect_catalog_billing.production"]["id"] == gone {
		t.Errorf("the production association kept the id of the deleted one")
	}
}

// mustRun runs the CLI and requires an exit code.
func mustRun(t *testing.T, w *clitest.Workdir, exit int, args ...string) clitest.Result {
	t.Helper()
	r := w.Run(args...)
	if r.ExitCode != exit {
		t.Fatalf("%v: exit code %d, want %d:\n%s", args, r.ExitCode, exit, r.Output())
	}
	return r
}

// tfState is the part of a local terraform.tfstate these tests read.
type tfState struct {
	Resources []struct {
		Type, Name string
		Instances  []struct {
			Attributes map[string]any `json:"attributes"`
			Identity   map[string]any `json:"identity"`
		} `json:"instances"`
	} `json:"resources"`
}

func readState(t *testing.T, w *clitest.Workdir) tfState {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(w.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var s tfState
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// stateIdentities is the identity of every resource instance by address
// (nil: none stored).
func stateIdentities(t *testing.T, w *clitest.Workdir) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, r := range readState(t, w).Resources {
		for _, i := range r.Instances {
			out[r.Type+"."+r.Name] = i.Identity
		}
	}
	return out
}

func stateAttr(t *testing.T, w *clitest.Workdir, addr, attr string) string {
	t.Helper()
	for _, r := range readState(t, w).Resources {
		if r.Type+"."+r.Name == addr && len(r.Instances) == 1 {
			s, _ := r.Instances[0].Attributes[attr].(string)
			return s
		}
	}
	t.Fatalf("%s not in the state", addr)
	return ""
}
