package clitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// ProviderType is the provider's type name; ProviderNamespace its
// registry namespace (the binary is served as <host>/<namespace>/<type>).
const (
	ProviderType      = "apiconnect"
	ProviderNamespace = "apiconnect-community"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// ProviderDir builds the provider (the module's main package, as users run
// it) once per test process and returns the directory holding the binary.
// RemoveProviderDir deletes it at the end of the run.
func ProviderDir(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() { buildDir, buildErr = buildProvider() })
	if buildErr != nil {
		t.Fatalf("build the provider: %v", buildErr)
	}
	return buildDir
}

func buildProvider() (string, error) {
	ctx := context.Background()
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "clitest-provider-")
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, "terraform-provider-"+ProviderType), ".") //nolint:gosec // fixed arguments
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return dir, nil
}

// RemoveProviderDir deletes the binary ProviderDir built, if any.
func RemoveProviderDir() {
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
}

// Workdir is a Terraform working directory whose CLI configuration points
// the provider at the binary of ProviderDir (dev_overrides: no init, no
// registry). Each Run keeps its own TRACE log.
type Workdir struct {
	t   testing.TB
	cli CLI
	Dir string
	rc  string
	Env []string // extra environment of every run
}

// NewWorkdir prepares an empty working directory in t.TempDir().
func NewWorkdir(t testing.TB, cli CLI) *Workdir {
	t.Helper()
	w := &Workdir{t: t, cli: cli, Dir: t.TempDir()}
	w.rc = filepath.Join(t.TempDir(), "cli.tfrc")
	w.UseProviders(ProviderDir(t))
	return w
}

// UseProviders points the runs that follow at the provider binary in dir
// (ProviderDir, or an earlier build from BuildProviderAt).
func (w *Workdir) UseProviders(dir string) {
	w.t.Helper()
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
		w.cli.RegistryHost()+"/"+ProviderNamespace+"/"+ProviderType, dir)
	if err := os.WriteFile(w.rc, []byte(rc), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// Write replaces main.tf; the provider's source is declared for the CLI.
func (w *Workdir) Write(config string) {
	w.t.Helper()
	header := fmt.Sprintf("terraform {\n  required_providers {\n    %s = { source = %q }\n  }\n}\n", ProviderType, ProviderNamespace+"/"+ProviderType)
	if err := os.WriteFile(filepath.Join(w.Dir, "main.tf"), []byte(header+config), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// Result is what one CLI run printed and logged.
type Result struct {
	Args     []string
	Stdout   string
	Stderr   string
	Trace    string // the TF_LOG=TRACE log of the run (CLI and provider)
	ExitCode int
}

// Output is stdout and stderr: what the user sees.
func (r Result) Output() string { return r.Stdout + "\n" + r.Stderr }

// flags are added after the command: plain text, never a prompt.
var flags = map[string][]string{
	"plan": {"-no-color", "-input=false"}, "apply": {"-no-color", "-input=false"}, "destroy": {"-no-color", "-input=false"},
	"import": {"-no-color", "-input=false"}, "refresh": {"-no-color", "-input=false"},
	"validate": {"-no-color"}, "show": {"-no-color"}, "output": {"-no-color"},
}

// Run runs the CLI with args (and -no-color, -input=false where they
// apply), with TRACE logging into a file of its own.
func (w *Workdir) Run(args ...string) Result {
	w.t.Helper()
	trace := filepath.Join(w.t.TempDir(), "trace.log")
	full := append([]string{}, args...)
	if len(args) > 0 {
		full = append(append(append([]string{}, args[0]), flags[args[0]]...), args[1:]...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.cli.Path, full...) //nolint:gosec // the CLI of the test run
	cmd.Dir = w.Dir
	cmd.Env = append(cleanEnv(), "TF_CLI_CONFIG_FILE="+w.rc, "TF_LOG=TRACE", "TF_LOG_PATH="+trace,
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_INPUT=0")
	cmd.Env = append(cmd.Env, w.Env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := Result{Args: args, Stdout: stdout.String(), Stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.ExitCode = exit.ExitCode()
	case err != nil:
		w.t.Fatalf("%s %s: %v", w.cli.Name, strings.Join(args, " "), err)
	}
	b, err := os.ReadFile(trace) //nolint:gosec // a file of t.TempDir()
	if err != nil || !bytes.Contains(b, []byte("[TRACE]")) {
		w.t.Fatalf("%s %s: no TRACE log (%v): the run could not be checked", w.cli.Name, strings.Join(args, " "), err)
	}
	r.Trace = string(b)
	return r
}

// cleanEnv is the test process's environment without the settings that
// would change the CLI's behaviour or logging.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "APIC_") || name == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	return env
}
