// Package clitest supports tests that run the Terraform or OpenTofu CLI of
// the acceptance run themselves: it tells the CLIs apart (OpenTofu reports
// its own version as terraform_version, so a version check alone cannot;
// feature gates build on Detect), builds the provider binary once per test
// process, and runs the CLI in a working directory with a
// dev_overrides configuration, capturing stdout, stderr and a TF_LOG=TRACE
// log for leak checks.
package clitest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hashicorp/go-version"
)

// CLI names.
const (
	Terraform = "terraform"
	OpenTofu  = "tofu"
)

// CLI is the binary the acceptance run uses (TF_ACC_TERRAFORM_PATH).
type CLI struct {
	Path    string
	Name    string           // Terraform or OpenTofu
	Version *version.Version // as reported; OpenTofu's may carry -dev
}

// String is "terraform 1.15.9" or "tofu 1.12.6-dev".
func (c CLI) String() string { return c.Name + " " + c.Version.String() }

// RegistryHost is where the CLI resolves a provider source without a host.
func (c CLI) RegistryHost() string {
	if c.Name == OpenTofu {
		return "registry.opentofu.org"
	}
	return "registry.terraform.io"
}

var (
	detectOnce sync.Once
	detected   CLI
	detectErr  error
)

// Detect identifies the CLI named by TF_ACC_TERRAFORM_PATH, once per process.
func Detect() (CLI, error) {
	detectOnce.Do(func() { detected, detectErr = detect(os.Getenv("TF_ACC_TERRAFORM_PATH")) })
	return detected, detectErr
}

// detect runs "<cli> version": its first line is "Terraform v1.15.9" or
// "OpenTofu v1.12.6-dev". TF_ACC_PROVIDER_HOST=registry.opentofu.org (which
// terraform-plugin-testing needs for OpenTofu) must agree with it.
func detect(path string) (CLI, error) {
	if path == "" {
		return CLI{}, fmt.Errorf("TF_ACC_TERRAFORM_PATH is not set")
	}
	cmd := exec.CommandContext(context.Background(), path, "version") //nolint:gosec // the CLI the test run names
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+os.DevNull)
	out, err := cmd.Output()
	if err != nil {
		return CLI{}, fmt.Errorf("%s version: %w", path, err)
	}
	first := strings.Fields(strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0])
	if len(first) < 2 {
		return CLI{}, fmt.Errorf("%s version: unexpected output %q", path, out)
	}
	c := CLI{Path: path}
	switch first[0] {
	case "Terraform":
		c.Name = Terraform
	case "OpenTofu":
		c.Name = OpenTofu
	default:
		return CLI{}, fmt.Errorf("%s version: neither Terraform nor OpenTofu: %q", path, first[0])
	}
	if c.Version, err = version.NewVersion(strings.TrimPrefix(first[1], "v")); err != nil {
		return CLI{}, fmt.Errorf("%s version: %w", path, err)
	}
	if host := os.Getenv("TF_ACC_PROVIDER_HOST"); (host == "registry.opentofu.org") != (c.Name == OpenTofu) {
		return CLI{}, fmt.Errorf("%s is %s but TF_ACC_PROVIDER_HOST is %q (OpenTofu needs registry.opentofu.org, Terraform none)", filepath.Base(path), c.Name, host)
	}
	return c, nil
}
