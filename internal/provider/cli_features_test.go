package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/clitest"
)

// cliFeature gates an acceptance test on a feature of the CLI that runs it.
// OpenTofu reports its own version as terraform_version, so tfversion alone
// would treat OpenTofu 1.14 as Terraform 1.14: the CLI's name (from
// clitest.Detect) decides too. Use it in TerraformVersionChecks, or
// skipUnlessCLIHas in a test that runs the CLI itself.
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
	// Write-only attributes: Terraform 1.11, OpenTofu 1.11 (the framework refuses them on older CLIs).
	featureWriteOnly = cliFeature{name: "write-only attributes", terraform: tfversion.Version1_11_0, openTofu: tfversion.Version1_11_0}
	// Actions (action blocks, action_trigger, apply -invoke): Terraform 1.14; not in OpenTofu.
	featureActions = cliFeature{name: "actions", terraform: tfversion.Version1_14_0}
)

// CheckTerraformVersion skips, with a one-line reason, on a CLI without the
// feature (the version is the one terraform-plugin-testing read).
func (f cliFeature) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	cli, err := clitest.Detect()
	if err != nil {
		resp.Error = err
		return
	}
	cli.Version = req.TerraformVersion
	resp.Skip = f.missingOn(cli)
}

// missingOn is why cli lacks the feature ("" when it has it).
func (f cliFeature) missingOn(cli clitest.CLI) string {
	v := cli.Version.Core()
	if cli.Name == clitest.OpenTofu {
		switch {
		case f.openTofu == nil:
			return fmt.Sprintf("OpenTofu %s has no %s: skipping test", v, f.name)
		case v.LessThan(f.openTofu):
			return fmt.Sprintf("OpenTofu %s is below %s, the first with %s: skipping test", v, f.openTofu, f.name)
		}
		return ""
	}
	if v.LessThan(f.terraform) {
		return fmt.Sprintf("Terraform %s is below %s, the first with %s: skipping test", v, f.terraform, f.name)
	}
	return ""
}

// skipUnlessCLIHas skips t, with a one-line reason, unless the CLI of the
// run has every one of features; for tests that run the CLI themselves.
func skipUnlessCLIHas(t *testing.T, features ...cliFeature) clitest.CLI {
	t.Helper()
	cli, err := clitest.Detect()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range features {
		if reason := f.missingOn(cli); reason != "" {
			t.Skip(reason)
		}
	}
	return cli
}

// TestCLIFeature_missingOn: the gates tell OpenTofu from Terraform of the
// same version, and ignore OpenTofu's -dev suffix.
func TestCLIFeature_missingOn(t *testing.T) {
	cli := func(name, v string) clitest.CLI {
		return clitest.CLI{Name: name, Version: version.Must(version.NewVersion(v))}
	}
	tf157, tf1159, tofu := cli(clitest.Terraform, "1.5.7"), cli(clitest.Terraform, "1.15.9"), cli(clitest.OpenTofu, "1.12.6-dev")
	tofu114 := cli(clitest.OpenTofu, "1.14.0")
	cases := []struct {
		f    cliFeature
		cli  clitest.CLI
		want bool
	}{
		{featureWriteOnly, tf157, false}, {featureWriteOnly, tf1159, true}, {featureWriteOnly, tofu, true},
		{featureIdentity, tf157, false}, {featureIdentity, tf1159, true}, {featureIdentity, tofu, true},
		{featureFunctions, tf157, false}, {featureFunctions, tf1159, true}, {featureFunctions, tofu, true},
		{featureQuery, tf1159, true}, {featureQuery, tofu, false}, {featureQuery, tofu114, false},
		{featureActions, tf1159, true}, {featureActions, tofu, false}, {featureActions, tf157, false},
	}
	for _, c := range cases {
		reason := c.f.missingOn(c.cli)
		if (reason == "") != c.want {
			t.Errorf("%s on %s: has=%v, want %v (%s)", c.f.name, c.cli, reason == "", c.want, reason)
		}
	}
}
