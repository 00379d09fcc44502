package clitest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeCLI writes a script that prints out for "version".
func fakeCLI(t *testing.T, out string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "cli")
	if err := os.WriteFile(p, []byte("#!/bin/sh\nprintf '%s\\n' '"+out+"'\n"), 0o700); err != nil { //nolint:gosec // a test script
		t.Fatal(err)
	}
	return p
}

func TestDetect(t *testing.T) {
	cases := []struct {
		out, host, name, version, err string
	}{
		{out: "Terraform v1.5.7\non linux_amd64", name: Terraform, version: "1.5.7"},
		{out: "Terraform v1.15.9\non linux_amd64", name: Terraform, version: "1.15.9"},
		{out: "OpenTofu v1.12.6-dev\non linux_amd64", host: "registry.opentofu.org", name: OpenTofu, version: "1.12.6-dev"},
		{out: "OpenTofu v1.12.6", err: "TF_ACC_PROVIDER_HOST"},
		{out: "Terraform v1.15.9", host: "registry.opentofu.org", err: "TF_ACC_PROVIDER_HOST"},
		{out: "Pulumi v3", err: "neither Terraform nor OpenTofu"},
	}
	for _, c := range cases {
		t.Setenv("TF_ACC_PROVIDER_HOST", c.host)
		got, err := detect(fakeCLI(t, c.out))
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want one with %q", c.out, err, c.err)
			}
		case err != nil:
			t.Errorf("%q: %v", c.out, err)
		case got.Name != c.name || got.Version.String() != c.version:
			t.Errorf("%q: got %s %s", c.out, got.Name, got.Version)
		}
	}
	if h := (CLI{Name: OpenTofu}).RegistryHost(); h != "registry.opentofu.org" {
		t.Errorf("OpenTofu's registry host is %s", h)
	}
	if h := (CLI{Name: Terraform}).RegistryHost(); h != "registry.terraform.io" {
		t.Errorf("Terraform's registry host is %s", h)
	}
}

func TestFindLeaks(t *testing.T) {
	secrets := map[string]string{"key": "sk_test_abc123", "password": "Passw0rd-1"}
	r := Result{
		Stdout: "Plan: 1 to add\n  18:   secret_key = \"sk_test_abc123\"\n",
		Stderr: "Error: Missing password\n\n  12:   password = var.password\n\n  with apiconnect_billing_integration.test,\n  5: resource \"x\" \"y\" {\n",
		Trace:  "[TRACE] body={\"password\":\"Passw0rd-1\"}\n",
	}
	var got []string
	for _, l := range FindLeaks(r, secrets, []string{"secret_key", "password"}) {
		got = append(got, l.String())
		if strings.Contains(l.Line, "sk_test_abc123") || strings.Contains(l.Line, "Passw0rd-1") {
			t.Errorf("the report repeats a secret: %s", l)
		}
	}
	want := []string{
		`key in stdout: 18:   secret_key = "<key>"`,
		`line of secret_key in stdout: 18:   secret_key = "<key>"`,
		`line of password in stderr: 12:   password = var.password (under Error: Missing password)`,
		`password in the TRACE log: [TRACE] body={"password":"<password>"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if leaks := FindLeaks(Result{Stdout: "nothing here", Trace: "[TRACE] ok"}, secrets, []string{"secret_key"}); len(leaks) != 0 {
		t.Errorf("clean run: %v", leaks)
	}
}
