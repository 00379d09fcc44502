package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// cliFeature gates an acceptance test on a feature of the CLI that runs it.
// OpenTofu reports its own version as terraform_version, so tfversion alone
// would treat OpenTofu 1.14 as Terraform 1.14: the CLI's name decides too.
type cliFeature struct {
	name      string
	terraform *version.Version // first Terraform with the feature
	openTofu  *version.Version // first OpenTofu with it; nil: OpenTofu has none
}

var (
	// Provider-defined functions: Terraform 1.8, OpenTofu 1.7.
	featureFunctions = cliFeature{name: "provider-defined functions", terraform: tfversion.Version1_8_0, openTofu: tfversion.Version1_7_0}
	// Resource identity and import blocks with identity: Terraform 1.12, OpenTofu 1.12.
	featureIdentity = cliFeature{name: "resource identity", terraform: tfversion.Version1_12_0, openTofu: tfversion.Version1_12_0}
	// List resources and terraform query: Terraform 1.14; not in OpenTofu.
	featureQuery = cliFeature{name: "list resources (terraform query)", terraform: tfversion.Version1_14_0}
	// Actions (action blocks, action_trigger, apply -invoke): Terraform 1.14; not in OpenTofu.
	featureActions = cliFeature{name: "actions", terraform: tfversion.Version1_14_0}
)

// CheckTerraformVersion skips, with a one-line reason, on a CLI without the feature.
func (f cliFeature) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	v := req.TerraformVersion.Core()
	if cliIsOpenTofu() {
		switch {
		case f.openTofu == nil:
			resp.Skip = fmt.Sprintf("OpenTofu %s has no %s: skipping test", v, f.name)
		case v.LessThan(f.openTofu):
			resp.Skip = fmt.Sprintf("OpenTofu %s is below %s, the first with %s: skipping test", v, f.openTofu, f.name)
		}
		return
	}
	if v.LessThan(f.terraform) {
		resp.Skip = fmt.Sprintf("Terraform %s is below %s, the first with %s: skipping test", v, f.terraform, f.name)
	}
}

var openTofuCLI = sync.OnceValue(func() bool {
	p := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if p == "" {
		return false
	}
	out, err := exec.CommandContext(context.Background(), p, "version").Output() //nolint:gosec // test binary chosen by the runner
	return err == nil && strings.HasPrefix(strings.TrimSpace(string(out)), "OpenTofu")
})

// cliIsOpenTofu reports whether TF_ACC_TERRAFORM_PATH is OpenTofu.
func cliIsOpenTofu() bool { return openTofuCLI() }
