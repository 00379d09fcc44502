package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

func TestParseStat(t *testing.T) {
	line := "4242 (terraform-provi) S 4200 4242 4200 0 -1 4194560 100 0 0 0 150 25 0 0 20 0 12 0 1000 1000000 5000 18446744073709551615\n"
	comm, ppid, cpu, ok := parseStat([]byte(line))
	if !ok || comm != "terraform-provi" || ppid != 4200 || cpu != 1750*time.Millisecond {
		t.Fatalf("parseStat = %q %d %s %v", comm, ppid, cpu, ok)
	}
	// A command name may hold spaces and parentheses.
	line = "7 (a (b) c) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 1 1 1 1\n"
	if comm, ppid, cpu, ok = parseStat([]byte(line)); !ok || comm != "a (b) c" || ppid != 1 || cpu != 70*time.Millisecond {
		t.Fatalf("parseStat = %q %d %s %v", comm, ppid, cpu, ok)
	}
	if _, _, _, ok := parseStat([]byte("garbage")); ok {
		t.Fatal("garbage parsed")
	}
}

func TestParseEnv(t *testing.T) {
	env := parseEnv("APIC_ENDPOINT=http://127.0.0.1:1234/api\nAPIC_PASSWORD='it'\\''s'\n\nBROKEN\n")
	if env["APIC_ENDPOINT"] != "http://127.0.0.1:1234/api" || env["APIC_PASSWORD"] != "it's" || len(env) != 2 {
		t.Fatalf("parseEnv = %v", env)
	}
}

func TestAnalyzeAttributesRequestsToProcesses(t *testing.T) {
	procs := []*procStat{
		{PID: 10, Exe: exeAPIConnect, Ports: map[int]bool{5001: true}},
		{PID: 11, Exe: exeAPIConnect, Ports: map[int]bool{5002: true, 5003: true}},
		{PID: 12, Exe: exeTime, Ports: map[int]bool{5004: true}},
	}
	j := []emulatorRequest{
		{Method: "GET", Route: emulator.RouteStripeAccount, Path: "/v1/account", Status: 200, RemoteAddr: "127.0.0.1:5001"},
		{Method: "POST", Route: emulator.RouteToken, Path: "/api/token", Status: 200, RemoteAddr: "127.0.0.1:5002"},
		{Method: "POST", Route: emulator.RouteBillings, Path: "/api/orgs/acme/billings", Status: 201, RemoteAddr: "127.0.0.1:5002"},
		{Method: "GET", Route: emulator.RouteStripeAccount, Path: "/v1/account", Status: 200, Internal: true},
		{Method: "GET", Route: emulator.RouteCatalogSettings, Path: "/api/catalogs/acme/sandbox/settings", Status: 200, RemoteAddr: "127.0.0.1:5003"},
		{Method: "GET", Route: emulator.RouteCatalogSettings, Path: "/api/catalogs/acme/sandbox/settings", Status: 200, RemoteAddr: "127.0.0.1:5003"},
		{Method: "GET", Route: emulator.RouteBilling, Path: "/api/orgs/acme/billings/a", Status: 200, RemoteAddr: "127.0.0.1:5003"},
		{Method: "GET", Route: emulator.RouteBilling, Path: "/api/orgs/acme/billings/a", Status: 404, RemoteAddr: "127.0.0.1:5002"},
		{Method: "GET", Route: emulator.RouteBilling, Path: "/api/orgs/acme/billings/b", Status: 200, RemoteAddr: "127.0.0.1:9999"},
	}
	a := analyze(j, procs, exeAPIConnect)
	if a.Token != 1 || a.Stripe != 1 || a.EmulatorStripe != 1 || a.API != 6 || a.NotOK != 1 || a.Unattributed != 1 {
		t.Fatalf("analysis = %+v", a)
	}
	if rc := a.Resources["GET "+emulator.RouteBilling]; rc.Distinct != 2 || rc.Max != 2 {
		t.Fatalf("per resource = %+v", rc)
	}
	if len(a.Procs) != 2 || a.procsWithRequests() != 2 {
		t.Fatalf("procs = %+v", a.Procs)
	}
	p11 := a.Procs[1]
	if p11.PID != 11 || p11.Token != 1 || p11.API != 5 || p11.SettingsMax != 2 || p11.Routes["GET "+emulator.RouteCatalogSettings] != 2 {
		t.Fatalf("process 11 = %+v", p11)
	}
	if got := perResourceExtras(a, "POST "+emulator.RouteBillings); len(got) != 1 || got["GET "+emulator.RouteBilling] != 3 {
		t.Fatalf("perResourceExtras = %v", got)
	}
}

func TestWriteMarkdownKeepsHandWrittenText(t *testing.T) {
	p := filepath.Join(t.TempDir(), "B.md")
	if err := writeMarkdown(p, "first\n"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p) //nolint:gosec // a test temp file
	if !strings.HasPrefix(string(b), "# Benchmarks") || !strings.Contains(string(b), "first") {
		t.Fatalf("new file:\n%s", b)
	}
	text := strings.Replace(string(b), beginMarker, "intro kept\n\n"+beginMarker, 1) + "\n## Findings\nkept too\n"
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil { //nolint:gosec // a test temp file
		t.Fatal(err)
	}
	if err := writeMarkdown(p, "second\n"); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(p) //nolint:gosec // a test temp file
	s := string(b)
	if strings.Contains(s, "first") || !strings.Contains(s, "second") || !strings.Contains(s, "intro kept") || !strings.Contains(s, "## Findings\nkept too") {
		t.Fatalf("rewritten file:\n%s", s)
	}
	if strings.Count(s, beginMarker) != 1 || strings.Count(s, endMarker) != 1 {
		t.Fatalf("markers duplicated:\n%s", s)
	}
}

func TestMedian(t *testing.T) {
	if m := medianDur([]time.Duration{3, 1, 2}); m != 2 {
		t.Errorf("median = %d", m)
	}
	if m := medianInt([]int64{4, 1, 3, 2}); m != 2 {
		t.Errorf("median = %d", m)
	}
}

func TestPadMap(t *testing.T) {
	got := padMap(7, 3)
	if got != `{p00="xxx",p01="xx",p02="xx",}` {
		t.Fatalf("padMap(7, 3) = %s", got)
	}
	if got := padMap(0, 1); got != `{p00="",}` {
		t.Fatalf("padMap(0, 1) = %s", got)
	}
}

func TestSummaryMarksMisses(t *testing.T) {
	if got := cell(1.12, 1.0); got != "**1.12** (MISS)" {
		t.Errorf("cell over the limit = %q", got)
	}
	if got := cell(0.93, 1.0); got != "0.93 (PASS)" {
		t.Errorf("cell within the limit = %q", got)
	}
	if got := cell(0.93, 0); got != "0.93" {
		t.Errorf("cell without a limit = %q", got)
	}
}

// measuredFigure matches a measured value: a ratio, a percentage, a size, or
// a time with decimals. Settings such as "N = 300", "5 runs", "50 ms" or a
// version (1.15.9) do not match.
var measuredFigure = regexp.MustCompile(`\d+(\.\d+)?\s*(×|%|MiB|KiB|GiB|MB|KB|bytes)|\b\d+\.\d+\s*(s|ms)\b|\b\d+\.\d+x\b`)

// TestBenchmarksHandWrittenTextHasNoFigures: every figure of BENCHMARKS.md
// comes from the generated section; the text around it, written by hand,
// refers to the generated rows instead of repeating (and staling) numbers.
func TestBenchmarksHandWrittenTextHasNoFigures(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "BENCHMARKS.md"))
	if err != nil {
		t.Skip("no BENCHMARKS.md next to the module: " + err.Error())
	}
	text := string(b)
	i, j := strings.Index(text, beginMarker), strings.Index(text, endMarker)
	if i < 0 || j < i {
		t.Fatal("BENCHMARKS.md has no generated section between the bench markers")
	}
	hand := text[:i] + text[j+len(endMarker):]
	for _, line := range strings.Split(hand, "\n") {
		if m := measuredFigure.FindString(line); m != "" {
			t.Errorf("hand-written line %q holds the figure %q: let the harness generate it", strings.TrimSpace(line), m)
		}
	}
}

func TestMeasuredFigurePattern(t *testing.T) {
	for _, s := range []string{"1.18 ×", "0.92x", "74 MiB", "16 %", "248 bytes", "3.65s", "0.5 ms"} {
		if !measuredFigure.MatchString(s) {
			t.Errorf("%q is not taken for a figure", s)
		}
	}
	for _, s := range []string{"N = 300", "5 runs", "50 ms latency", "terraform 1.5.7", "Terraform 1.15.9", "v0.14.2", "-parallelism=10"} {
		if measuredFigure.MatchString(s) {
			t.Errorf("%q is taken for a figure", s)
		}
	}
}
