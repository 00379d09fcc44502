package provider

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// TestAccRealPlatformSelection proves the target selection: with
// APIC_ACC_REAL=1 the portable tests go to the platform named by
// APIC_ENDPOINT. The emulator's standalone command stands in for a remote
// platform (its own process, reached only over HTTP), and its request counts
// show where the requests went.
func TestAccRealPlatformSelection(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if realPlatform() {
		t.Skip("already running against a real platform")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "apic-emulator")
	build := exec.CommandContext(context.Background(), "go", "build", "-o", bin, "../cmd/apic-emulator") //nolint:gosec // the test builds its own emulator into t.TempDir()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the emulator command: %v\n%s", err, out)
	}
	envFile := filepath.Join(dir, "remote.env")
	cmd := exec.CommandContext(context.Background(), bin, "-addr", "127.0.0.1:0", "-env-file", envFile) //nolint:gosec // the binary built above
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	remote := waitForEnvFile(t, envFile)

	// The environment a maintainer sets for a real platform.
	t.Setenv("APIC_ACC_REAL", "1")
	for _, k := range []string{"APIC_ENDPOINT", "APIC_ORG", "APIC_USERNAME", "APIC_PASSWORD", "APIC_CLIENT_ID", "APIC_CLIENT_SECRET", "APIC_STRIPE_API_BASE"} {
		t.Setenv(k, remote[k])
	}
	pk, sk := emulator.StripeKeys("RemoteOne", "test", "a")
	_, skRotated := emulator.StripeKeys("RemoteOne", "test", "b")
	pk2, sk2 := emulator.StripeKeys("RemoteTwo", "test", "a")
	for k, v := range map[string]string{
		"APIC_ACC_STRIPE_TEST_PK": pk, "APIC_ACC_STRIPE_TEST_SK": sk, "APIC_ACC_STRIPE_TEST_SK_ROTATED": skRotated,
		"APIC_ACC_STRIPE_TEST2_PK": pk2, "APIC_ACC_STRIPE_TEST2_SK": sk2,
	} {
		t.Setenv(k, v)
	}
	if !realPlatform() {
		t.Fatal("APIC_ACC_REAL=1 with APIC_ENDPOINT did not select the real platform")
	}

	// A portable test targets the remote; an emulator-only one skips with its reason.
	t.Run("portable", TestAccBillingIntegration_rotateKeyInPlace)
	t.Run("swap", TestAccBillingIntegration_otherAccountReplaces)
	t.Run("emulatorOnly", func(t *testing.T) {
		newAccEnv(t)
		t.Error("an emulator-only test ran against a real platform")
	})
	t.Run("liveKeys", TestAccBillingIntegration_testToLiveReplaces)
	t.Run("catalog", TestAccCatalogBilling_portable)
	t.Run("inferredFacts", TestAccRealPlatform_inferredFacts)

	counts := remoteCounts(t, remote["APIC_ENDPOINT"])
	// rotate: 1 create + 1 PATCH; swap: 2 creates, no PATCH; catalog: 1
	// create and 1 configured billing; inferred facts: 1 create, its DELETE
	// and a cleanup DELETE (404); then the destroys.
	for route, want := range map[string]int{
		"POST " + emulator.RouteBillings:            5,
		"PATCH " + emulator.RouteBilling:            1,
		"DELETE " + emulator.RouteBilling:           6,
		"POST " + emulator.RouteConfiguredList:      1,
		"DELETE " + emulator.RouteConfiguredBilling: 1,
		"POST " + emulator.RouteToken + "":          1,
	} {
		got := counts[route]
		if strings.HasPrefix(route, "POST /api/token") {
			if got < want {
				t.Errorf("remote saw %d %s, want at least %d", got, route, want)
			}
			continue
		}
		if got != want {
			t.Errorf("remote saw %d %s, want %d", got, route, want)
		}
	}
	t.Logf("requests seen by the remote platform: %v", counts)
}

func waitForEnvFile(t *testing.T, name string) map[string]string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		f, err := os.Open(name) //nolint:gosec // a file of t.TempDir()
		if err == nil {
			env := map[string]string{}
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if k, v, ok := strings.Cut(sc.Text(), "="); ok {
					env[k] = strings.Trim(v, `'"`)
				}
			}
			_ = f.Close()
			if env["APIC_ENDPOINT"] != "" && env["APIC_STRIPE_API_BASE"] != "" {
				return env
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the emulator command did not write its environment")
	return nil
}

func remoteCounts(t *testing.T, endpoint string) map[string]int {
	t.Helper()
	base := strings.TrimSuffix(endpoint, "/api")
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, base+emulator.AdminCounts, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var out emulator.AdminCountsResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Counts
}
