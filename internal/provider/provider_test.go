package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/clitest"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// testAccProtoV6ProviderFactories runs the provider in-process, behind the
// same diagnostic guard as main.go; the real terraform (or tofu) binary
// named by TF_ACC_TERRAFORM_PATH drives it.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"apiconnect": NewProtocol6Server("test"),
}

// Counters for the summary line that make test prints.
var accTests, accSteps, accSkipped atomic.Int64

// TestMain runs the tests, or the sweepers with -sweep=<org> (make sweep),
// through terraform-plugin-testing.
func TestMain(m *testing.M) {
	resource.TestMain(summaryRunner{m})
}

// summaryRunner prints the acceptance summary line after the tests.
type summaryRunner struct{ m *testing.M }

func (r summaryRunner) Run() int {
	code := r.m.Run()
	clitest.RemoveProviderDir()
	clitest.RemoveEarlierBuilds()
	if os.Getenv("TF_ACC") != "" {
		fmt.Printf("ACCEPTANCE SUMMARY cli=%s version=%s tests=%d steps=%d skipped=%d\n",
			cliName(), cliVersion(), accTests.Load(), accSteps.Load(), accSkipped.Load())
	}
	return code
}

// accTest runs an acceptance test case (in parallel with the others) and
// counts its steps for the summary.
func accTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	registerAcc(t, len(tc.Steps))
	if realPlatform() {
		resource.Test(t, tc) // one at a time on a shared platform
		return
	}
	resource.ParallelTest(t, tc)
}

// accTestSerial is accTest for cases that set process environment.
func accTestSerial(t *testing.T, tc resource.TestCase) {
	t.Helper()
	registerAcc(t, len(tc.Steps))
	resource.Test(t, tc)
}

func registerAcc(t *testing.T, steps int) {
	t.Cleanup(func() {
		switch {
		case t.Skipped():
			accSkipped.Add(1)
		case !t.Failed():
			accTests.Add(1)
			accSteps.Add(int64(steps))
		}
	})
}

// cliName is "terraform" or "tofu" (from the CLI's own version output, so
// bin/terraform-1.15 is terraform too).
func cliName() string {
	if cli, err := clitest.Detect(); err == nil {
		return cli.Name
	}
	return "unknown"
}

func cliVersion() string {
	if cli, err := clitest.Detect(); err == nil {
		return cli.Version.String()
	}
	return "unknown"
}

// accEnv is the target of one acceptance test: an in-process emulator, or
// (newPortableAccEnv with APIC_ACC_REAL=1) a real platform, where srv is nil.
type accEnv struct {
	t      *testing.T
	srv    *emulator.Server
	org    string
	keys   stripeKeySet
	prefix string // of object names and titles; tfacc-<random>- on a real platform
}

// newAccEnv starts an emulator for a test that needs its control (request
// journal, out-of-band changes, faults). On a real platform it skips.
func newAccEnv(t *testing.T) *accEnv {
	t.Helper()
	if realPlatform() {
		t.Skip("skipped on a real platform: needs the emulator's control (request journal, out-of-band changes or faults)")
	}
	srv := emulator.NewServer(emulator.Config{})
	t.Cleanup(srv.Close)
	return &accEnv{t: t, srv: srv, org: srv.Config().Org, keys: emulatorKeySet()}
}

// providerBlock is the provider configuration pointing at the emulator;
// extra lines go inside the block. On a real platform everything but the
// org comes from the APIC_* environment.
func (e *accEnv) providerBlock(extra ...string) string {
	if e.srv == nil {
		return fmt.Sprintf("\nprovider \"apiconnect\" {\n  org = %q\n%s\n}\n", e.org, strings.Join(extra, "\n"))
	}
	c := e.srv.Config()
	return fmt.Sprintf(`
provider "apiconnect" {
  endpoint        = %q
  org             = %q
  username        = %q
  password        = %q
  client_id       = %q
  client_secret   = %q
  stripe_api_base = %q
  max_retries     = 3
%s
}
`, e.srv.Endpoint(), c.Org, c.Username, c.Password, c.ClientID, c.ClientSecret, e.srv.StripeBase(), strings.Join(extra, "\n"))
}

// fixture reads testdata/<name>.tf and fills %[n]s-style placeholders.
func (e *accEnv) fixture(name string, args ...any) string {
	e.t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".tf")) //nolint:gosec // fixture names are constants of the tests
	if err != nil {
		e.t.Fatalf("fixture %s: %v", name, err)
	}
	return e.providerBlock() + fmt.Sprintf(string(b), args...)
}
