// Command bench is the harness of `make bench` (scripts/bench.sh): it times
// terraform apply, a no-change plan and destroy of N resources of the
// apiconnect provider against the standalone API Connect emulator, next to
// the same commands on hashicorp/time's time_static (the plugin floor) and
// on the built-in terraform_data (the in-process floor), reads the request
// journal of the emulator after every command, samples the plugin
// processes' peak RSS, and writes the results into BENCHMARKS.md.
//
//	go run ./internal/cmd/bench [-terraform terraform,terraform-1.15] [-n 300] [-runs 5] [-out BENCHMARKS.md]
//
// It expects the terraform CLIs in bin/ (bin/terraform, bin/terraform-1.15),
// bin/terraform-provider-apiconnect, bin/terraform-provider-time and
// bin/apic-emulator (scripts/bench.sh installs and builds them). Every CLI
// runs every scenario; runs of the CLIs and scenarios are interleaved so that
// the load of a shared machine hits all of them alike. Linux only: it reads
// /proc.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// Commands timed for every scenario, in this order.
const (
	cmdApply   = "apply"
	cmdPlan    = "plan"
	cmdDestroy = "destroy"
)

var commands = []string{cmdApply, cmdPlan, cmdDestroy}

// Scenario kinds.
const (
	kindData         = "terraform_data"
	kindTime         = "time_static"
	kindTimePair     = "time_static+time_offset"
	kindTimePadded   = "time_static+pad"
	kindTimePairPad  = "time_static+time_offset+pad"
	kindIntegrations = "integrations"
	kindCatalog      = "integrations+catalog"
)

type scenario struct {
	ID       string // unique, used in tables and file names
	Kind     string
	Latency  bool   // run against the emulator with -latency
	Provider string // executable of the plugin under test ("" for terraform_data)
	// Floor is the scenario of hashicorp/time with the same shape (resource
	// count and references between resources) that this one is compared to.
	Floor string
	// Baseline: served by the provider of -baseline-provider-dir (an
	// earlier build), to compare side by side; no target looks at it.
	Baseline bool
}

func (s scenario) resourcesPerN() int {
	if s.Kind == kindCatalog || s.Kind == kindTimePair || s.Kind == kindTimePairPad {
		return 2
	}
	return 1
}

func (s scenario) usesAPI() bool { return s.Kind == kindIntegrations || s.Kind == kindCatalog }

const (
	exeTime       = "terraform-provider-time"
	exeAPIConnect = "terraform-provider-apiconnect"
)

// allScenarios lists every scenario; the default set leaves out the
// catalog billings with latency (slow, and no target depends on it).
func allScenarios(latency time.Duration) (all []scenario, defaults map[string]bool) {
	lat := "@" + latency.String()
	all = []scenario{
		{ID: kindData, Kind: kindData},
		{ID: kindTime, Kind: kindTime, Provider: exeTime},
		// A control, not a floor: time_static whose state is padded (a
		// sensitive trigger) to the size of an integration's, to tell the
		// cost of state size in terraform from the provider's own work.
		{ID: kindTimePadded, Kind: kindTimePadded, Provider: exeTime, Floor: kindTime},
		{ID: kindTimePair, Kind: kindTimePair, Provider: exeTime},
		// The same control for the 600-resource pair: time_static padded
		// like an integration, time_offset like a catalog billing.
		{ID: kindTimePairPad, Kind: kindTimePairPad, Provider: exeTime, Floor: kindTimePair},
		{ID: kindIntegrations, Kind: kindIntegrations, Provider: exeAPIConnect, Floor: kindTime},
		{ID: kindCatalog, Kind: kindCatalog, Provider: exeAPIConnect, Floor: kindTimePair},
		{ID: kindIntegrations + lat, Kind: kindIntegrations, Latency: true, Provider: exeAPIConnect, Floor: kindTime},
		{ID: kindCatalog + lat, Kind: kindCatalog, Latency: true, Provider: exeAPIConnect, Floor: kindTimePair},
	}
	for _, s := range all {
		if s.usesAPI() && !s.Latency {
			s.ID += baselineSuffix
			s.Baseline = true
			all = append(all, s)
		}
	}
	defaults = map[string]bool{}
	for _, s := range all {
		if (s.Kind != kindCatalog || !s.Latency) && !s.Baseline {
			defaults[s.ID] = true
		}
	}
	return all, defaults
}

// baselineSuffix marks the scenarios of the baseline provider.
const baselineSuffix = "-baseline"

type options struct {
	root         string
	clis         []string
	ns           []int
	runs         int
	parallelism  int
	latency      time.Duration
	pollEvery    time.Duration
	out          string
	jsonOut      string
	scenarioFlag string
	keep         bool
	warmup       bool
	goBench      string
	providerDir  string
	baselineDir  string
	tmp          string
	pad          string
	padValues    int
	pairsFull    bool
}

// cliInfo is one terraform CLI under test.
type cliInfo struct {
	Path    string `json:"path"`
	Version string `json:"version"` // e.g. "1.5.7"
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	var o options
	var nsFlag, scFlag, cliFlag, reportFromFlag string
	flag.StringVar(&o.root, "root", ".", "repository root (holds bin/ and BENCHMARKS.md)")
	flag.StringVar(&cliFlag, "terraform", "terraform,terraform-1.15", "comma-separated terraform CLIs: names in bin/ or paths; each runs every scenario")
	flag.StringVar(&nsFlag, "n", "300", "comma-separated resource counts N (e.g. 100,300)")
	flag.IntVar(&o.runs, "runs", 5, "runs per measurement (the tables show the median)")
	flag.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism")
	flag.DurationVar(&o.latency, "latency", 50*time.Millisecond, "emulated latency per platform API request in the @latency scenarios")
	flag.DurationVar(&o.pollEvery, "poll", 10*time.Millisecond, "sampling interval of /proc for the plugin processes")
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "markdown file to write (relative to -root); its generated section is replaced, the rest kept")
	flag.StringVar(&o.jsonOut, "json", ".test-output/bench-results.json", "raw results (relative to -root); empty: none")
	flag.StringVar(&scFlag, "scenarios", "", "comma-separated scenario ids to run, or \"all\" (default: all but integrations+catalog@<latency>)")
	flag.BoolVar(&o.keep, "keep", false, "keep the working directory (configs, state, logs)")
	flag.BoolVar(&o.warmup, "warmup", true, "run every scenario once with N=5 first, unrecorded")
	flag.StringVar(&o.baselineDir, "baseline-provider-dir", "", "directory of an earlier build of terraform-provider-apiconnect: adds the scenarios "+kindIntegrations+baselineSuffix+" and "+kindCatalog+baselineSuffix+" served by it, interleaved with the others (select them with -scenarios)")
	flag.StringVar(&o.providerDir, "provider-dir", "", "directory of the terraform-provider-apiconnect used through dev_overrides (default: bin/; e.g. a build of internal/cmd/bench/profprovider)")
	flag.StringVar(&o.tmp, "tmp", "", "parent of the working directory (default: the system temp dir); e.g. /dev/shm to take disk syncs of the state file out")
	flag.StringVar(&o.pad, "pad", "auto", "padded controls: characters of padding per time_static, or \"auto\" (calibrated in the warm-up to the state bytes of an integration, and of a catalog billing for time_offset)")
	flag.BoolVar(&o.pairsFull, "pairs-full", false, "time plan and destroy of "+kindTimePair+" and "+kindTimePairPad+" too (by default only their apply, the floor and control of the 600-resource apply target)")
	flag.IntVar(&o.padValues, "pad-values", 16, "padded controls: the padding is a map of this many strings (an integration holds 18 values)")
	flag.StringVar(&reportFromFlag, "report-from", "", "write the report of a -json file of an earlier (possibly interrupted) run instead of measuring")
	flag.StringVar(&o.goBench, "gobench", "", "output of `go test -bench` to include in the report (relative to -root)")
	flag.Parse()

	if runtime.GOOS != "linux" {
		return errors.New("the harness reads /proc and runs on Linux only")
	}
	for _, f := range strings.Split(nsFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return fmt.Errorf("-n: bad count %q", f)
		}
		o.ns = append(o.ns, n)
	}
	if o.runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	for _, f := range strings.Split(cliFlag, ",") {
		if f = strings.TrimSpace(f); f != "" {
			o.clis = append(o.clis, f)
		}
	}
	if len(o.clis) == 0 {
		return errors.New("-terraform names no CLI")
	}
	if o.padValues < 1 {
		return errors.New("-pad-values must be at least 1")
	}
	o.scenarioFlag = scFlag
	root, err := filepath.Abs(o.root)
	if err != nil {
		return err
	}
	o.root = root

	if reportFromFlag != "" {
		return reportFrom(o, reportFromFlag)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return bench(ctx, o)
}

type harness struct {
	o        options
	bin      string
	clis     []cliInfo
	pads     map[string]padding // by CLI version
	work     string
	tfrc     string
	tfrcBase string // dev_overrides to -baseline-provider-dir
	plain    *emulatorProc
	slow     *emulatorProc
	pk, sk   string
	results  []*cmdResult
	notes    []string
}

// startEmulator starts the plain emulator or the one with latency; its
// log goes to .test-output/bench-emulator[-latency].log.
func (h *harness) startEmulator(ctx context.Context, slow bool) (*emulatorProc, error) {
	name, latency := "emulator", time.Duration(0)
	if slow {
		name, latency = "emulator-latency", h.o.latency
	}
	return startEmulator(ctx, filepath.Join(h.bin, "apic-emulator"), filepath.Join(h.work, name),
		filepath.Join(h.o.root, ".test-output", "bench-"+name+".log"), latency)
}

// restartDeadEmulator starts a new emulator for s if its emulator exited;
// it reports whether it did.
func (h *harness) restartDeadEmulator(ctx context.Context, s scenario) (bool, error) {
	emu := &h.plain
	if s.Latency {
		emu = &h.slow
	}
	if (*emu).alive() {
		return false, nil
	}
	reason := (*emu).exitReason()
	fmt.Printf("\nthe emulator exited (%s)\nstarting a new one and repeating this run\n", reason)
	next, err := h.startEmulator(ctx, s.Latency)
	if err != nil {
		return false, err
	}
	*emu = next
	first, _, _ := strings.Cut(reason, ";")
	h.notes = append(h.notes, fmt.Sprintf("Note: the emulator process ended during a run of `%s` (%s); the harness started a new one and repeated that run.", s.ID, first))
	return true, nil
}

func bench(ctx context.Context, o options) error {
	h := &harness{o: o, bin: filepath.Join(o.root, "bin"), pads: map[string]padding{}}
	for _, b := range []string{"terraform-provider-apiconnect", "terraform-provider-time", "apic-emulator"} {
		if _, err := os.Stat(filepath.Join(h.bin, b)); err != nil {
			return fmt.Errorf("bin/%s is missing (scripts/bench.sh installs and builds it): %w", b, err)
		}
	}
	for _, c := range o.clis {
		p := c
		if !strings.Contains(c, "/") {
			p = filepath.Join(h.bin, c)
		}
		v, err := terraformVersion(ctx, p)
		if err != nil {
			return fmt.Errorf("%s (scripts/bench.sh installs it): %w", p, err)
		}
		h.clis = append(h.clis, cliInfo{Path: p, Version: v})
	}
	machine := describeMachine(h)

	var err error
	h.work, err = os.MkdirTemp(o.tmp, "apiconnect-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Println("working directory:", h.work)
	} else {
		defer func() { _ = os.RemoveAll(h.work) }()
	}
	h.tfrc = filepath.Join(h.work, "bench.tfrc")
	providerDir := h.bin
	if o.providerDir != "" {
		if providerDir, err = filepath.Abs(o.providerDir); err != nil {
			return err
		}
	}
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n    %q = %q\n  }\n  direct {}\n}\n",
		"apiconnect-community/apiconnect", providerDir, "hashicorp/time", h.bin)
	if err := os.WriteFile(h.tfrc, []byte(rc), 0o600); err != nil {
		return err
	}
	if o.baselineDir != "" {
		dir, err := filepath.Abs(o.baselineDir)
		if err != nil {
			return err
		}
		h.tfrcBase = filepath.Join(h.work, "baseline.tfrc")
		rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", "apiconnect-community/apiconnect", dir)
		if err := os.WriteFile(h.tfrcBase, []byte(rc), 0o600); err != nil {
			return err
		}
	}
	h.pk, h.sk = emulator.StripeKeys("bench", "test", "")

	if h.plain, err = h.startEmulator(ctx, false); err != nil {
		return err
	}
	defer func() { h.plain.stop() }()
	if h.slow, err = h.startEmulator(ctx, true); err != nil {
		return err
	}
	defer func() { h.slow.stop() }()
	fmt.Printf("emulators: %s (no latency), %s (latency %s)\n", h.plain.base, h.slow.base, o.latency)

	var scens []scenario
	all, selected := allScenarios(o.latency)
	switch o.scenarioFlag {
	case "":
	case "all":
		selected = nil
	default:
		selected = map[string]bool{}
		for _, s := range strings.Split(o.scenarioFlag, ",") {
			selected[strings.TrimSpace(s)] = true
		}
	}
	for _, s := range all {
		if (selected == nil && (!s.Baseline || o.baselineDir != "")) || selected[s.ID] {
			scens = append(scens, s)
		}
	}
	for _, s := range scens {
		if s.Baseline && o.baselineDir == "" {
			return fmt.Errorf("scenario %s needs -baseline-provider-dir", s.ID)
		}
	}
	if len(scens) == 0 {
		return errors.New("-scenarios selects nothing")
	}

	began := time.Now()
	for _, cli := range h.clis {
		if err := h.warmUp(ctx, cli, scens); err != nil {
			return err
		}
	}
	for r := 1; r <= o.runs; r++ {
		for _, n := range o.ns {
			for _, s := range scens {
				for _, cli := range h.clis {
					res, err := h.scenarioRun(ctx, cli, s, n, r)
					if err != nil && ctx.Err() == nil {
						// The machine may be shared: if something ended the
						// emulator, say so, start a new one and repeat the run.
						if restarted, rerr := h.restartDeadEmulator(ctx, s); rerr != nil {
							return rerr
						} else if restarted {
							res, err = h.scenarioRun(ctx, cli, s, n, r)
						}
					}
					h.results = append(h.results, res...)
					if err != nil {
						return fmt.Errorf("terraform %s %s N=%d run %d: %w", cli.Version, s.ID, n, r, err)
					}
				}
			}
		}
		if r < o.runs {
			if err := h.writeRaw(machine, time.Since(began), r); err != nil {
				return err
			}
		}
	}
	elapsed := time.Since(began)
	if err := h.writeRaw(machine, elapsed, o.runs); err != nil {
		return err
	}
	return writeReport(o, machine, h.clis, h.pads, scens, h.results, elapsed, h.notes)
}

// rawResults is the -json file: everything the report is built from.
type rawResults struct {
	Machine  machineInfo        `json:"machine"`
	CLIs     []cliInfo          `json:"clis"`
	Padding  map[string]padding `json:"padding"`
	RunsDone int                `json:"runs_done"`
	Elapsed  time.Duration      `json:"elapsed"`
	Notes    []string           `json:"notes,omitempty"`
	Results  []*cmdResult       `json:"results"`
}

// writeRaw writes the raw results so far (after every round of runs, so
// that an interrupted benchmark can still be reported with -report-from).
func (h *harness) writeRaw(machine machineInfo, elapsed time.Duration, runsDone int) error {
	if h.o.jsonOut == "" {
		return nil
	}
	p := underRoot(h.o.root, h.o.jsonOut)
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return err
	}
	b, err := json.MarshalIndent(rawResults{machine, h.clis, h.pads, runsDone, elapsed, h.notes, h.results}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(p, b, 0o600); err != nil {
		return err
	}
	fmt.Println("raw results:", p)
	return nil
}

func writeReport(o options, machine machineInfo, clis []cliInfo, pads map[string]padding, scens []scenario, results []*cmdResult, elapsed time.Duration, notes []string) error {
	rep := buildBenchReport(o, machine, clis, pads, scens, results, elapsed)
	rep.notes = append(rep.notes, notes...)
	if o.goBench != "" {
		b, err := os.ReadFile(underRoot(o.root, o.goBench))
		if err != nil {
			return err
		}
		rep.goBench = string(b)
	}
	out := underRoot(o.root, o.out)
	if err := writeMarkdown(out, rep.markdown()); err != nil {
		return err
	}
	fmt.Println()
	fmt.Print(rep.summary())
	fmt.Printf("\nwrote %s (benchmark took %s)\n", out, elapsed.Round(time.Second))
	return nil
}

// reportFrom writes the report of a -json file of complete rounds of runs
// (-report-from), e.g. of a benchmark stopped before its last round.
func reportFrom(o options, path string) error {
	b, err := os.ReadFile(path) //nolint:gosec // a file named on the command line
	if err != nil {
		return err
	}
	var raw rawResults
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var results []*cmdResult
	ids, ns := map[string]bool{}, map[int]bool{}
	for _, x := range raw.Results {
		if x.Run >= 1 && x.Run <= raw.RunsDone {
			results = append(results, x)
			ids[x.Scenario], ns[x.N] = true, true
		}
	}
	if len(results) == 0 {
		return fmt.Errorf("%s holds no complete round of runs", path)
	}
	o.runs, o.ns = raw.RunsDone, nil
	for n := range ns {
		o.ns = append(o.ns, n)
	}
	sort.Ints(o.ns)
	all, _ := allScenarios(o.latency)
	var scens []scenario
	for _, s := range all {
		if ids[s.ID] {
			scens = append(scens, s)
		}
	}
	notes := raw.Notes
	if raw.RunsDone > 0 && len(raw.Results) > len(results) {
		notes = append(notes, fmt.Sprintf("Note: reported from %d complete rounds of runs; the benchmark was stopped during the next one.", raw.RunsDone))
	}
	return writeReport(o, raw.Machine, raw.CLIs, raw.Padding, scens, results, raw.Elapsed, notes)
}

// cmdResult is one timed terraform command.
type cmdResult struct {
	CLI      string        `json:"cli"` // terraform version
	Scenario string        `json:"scenario"`
	N        int           `json:"n"`
	Run      int           `json:"run"`
	Command  string        `json:"command"`
	Wall     time.Duration `json:"wall"`
	ExitCode int           `json:"exit_code"`
	// CLICPU is the CPU time of terraform and of the plugins it reaped
	// (wait4 rusage); CLIMaxRSSKB likewise the largest of them.
	CLICPU      time.Duration     `json:"cli_cpu"`
	CLIMaxRSSKB int64             `json:"cli_maxrss_kb"`
	EmuCPU      time.Duration     `json:"emulator_cpu"`
	StateBytes  int64             `json:"state_bytes"` // terraform.tfstate after the command
	LoadAvg     float64           `json:"load_avg_1m"` // /proc/loadavg when the command started
	Procs       []*procStat       `json:"plugin_processes"`
	Requests    *requestAnalysis  `json:"requests,omitempty"`
	Journal     []emulatorRequest `json:"-"`
}

// pluginPeakKB is the largest VmHWM of the plugin under test.
func (r *cmdResult) pluginPeakKB(exe string) int64 {
	var m int64
	for _, p := range r.Procs {
		if p.Exe == exe && p.HWMKB > m {
			m = p.HWMKB
		}
	}
	return m
}

func (r *cmdResult) pluginCPU(exe string) time.Duration {
	var d time.Duration
	for _, p := range r.Procs {
		if p.Exe == exe {
			d += p.CPU
		}
	}
	return d
}

// scenarioRun writes the configuration of s with N=n into a fresh directory
// and times apply, a no-change plan and destroy. run 0 is the warm-up.
func (h *harness) scenarioRun(ctx context.Context, cli cliInfo, s scenario, n, run int) ([]*cmdResult, error) {
	dir := filepath.Join(h.work, fmt.Sprintf("tf%s-%s-n%d-r%d", cli.Version, strings.NewReplacer("+", "-", "@", "-").Replace(s.ID), n, run))
	if err := os.RemoveAll(dir); err != nil { // a repeated run starts afresh
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(configFor(s.Kind)), 0o600); err != nil {
		return nil, err
	}
	emu := h.plain
	if s.Latency {
		emu = h.slow
	}
	prefix := fmt.Sprintf("bench-%s-r%d-n%d-%s", strings.ReplaceAll(cli.Version, ".", ""), run, n, shortID(s))
	pad := h.pads[cli.Version]
	env := h.env(emu, map[string]string{
		"TF_VAR_n": strconv.Itoa(n), "TF_VAR_prefix": prefix,
		"TF_VAR_publishable_key": h.pk, "TF_VAR_secret_key": h.sk,
		"TF_VAR_pad": padMap(pad.Static, h.o.padValues), "TF_VAR_pad_offset": padMap(pad.Offset, 1),
	}, s)
	label := "warm-up"
	if run > 0 {
		label = fmt.Sprintf("run %d", run)
	}
	fmt.Printf("%-7s tf %-6s N=%-4d %-28s", label, cli.Version, n, s.ID)
	var out []*cmdResult
	for _, c := range commands {
		if c != cmdApply && !h.o.pairsFull && (s.Kind == kindTimePair || s.Kind == kindTimePairPad) {
			continue // no target needs them; local state only, nothing to clean up
		}
		res, err := h.timeCommand(ctx, cli, dir, env, emu, s, n, run, c)
		if res != nil {
			out = append(out, res)
			fmt.Printf(" %s %6.2fs", c, res.Wall.Seconds())
		}
		if err != nil {
			fmt.Println()
			return out, err
		}
	}
	fmt.Println()
	return out, nil
}

// padding is the length of the padding of the controls' time_static
// (like an integration) and time_offset (like a catalog billing).
type padding struct {
	Static int `json:"time_static"`
	Offset int `json:"time_offset"`
}

// padMap is an HCL map of k strings of total length chars.
func padMap(chars, k int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < k; i++ {
		l := chars / k
		if i < chars%k {
			l++
		}
		fmt.Fprintf(&b, "p%02d=%q,", i, strings.Repeat("x", l))
	}
	b.WriteString("}")
	return b.String()
}

// warmUp runs every scenario once with N=5, unrecorded, and calibrates the
// padding of the controls (-pad auto) so that their state holds as many
// bytes per resource as the integrations' (and the catalog billings').
func (h *harness) warmUp(ctx context.Context, cli cliInfo, scens []scenario) error {
	const n = 5
	pad := padding{Static: 720, Offset: 0}
	auto := h.o.pad == "auto"
	if !auto {
		v, err := strconv.Atoi(h.o.pad)
		if err != nil || v < 0 {
			return fmt.Errorf("-pad: %q is neither auto nor a length", h.o.pad)
		}
		pad.Static = v
	}
	h.pads[cli.Version] = pad
	if !h.o.warmup && !auto {
		return nil
	}
	// bytes per resource of the state after apply, by scenario kind
	perRes := map[string]float64{}
	run := func(s scenario) error {
		res, err := h.scenarioRun(ctx, cli, s, n, 0)
		if err != nil {
			return fmt.Errorf("warm-up terraform %s %s: %w", cli.Version, s.ID, err)
		}
		perRes[s.Kind] = float64(res[0].StateBytes) / float64(n*s.resourcesPerN())
		return nil
	}
	all, _ := allScenarios(h.o.latency)
	byKind := map[string]scenario{}
	for _, s := range all {
		if _, ok := byKind[s.Kind]; !ok && !s.Latency {
			byKind[s.Kind] = s
		}
	}
	selected := map[string]bool{}
	for _, s := range scens {
		selected[s.Kind] = true
	}
	auto = auto && (selected[kindTimePadded] || selected[kindTimePairPad])
	if auto {
		// The apiconnect scenarios first, then the padded control with the
		// current padding; padding adds its length in bytes (no escaping),
		// so one correction is exact.
		for _, k := range []string{kindIntegrations, kindTimePadded} {
			if err := run(byKind[k]); err != nil {
				return err
			}
		}
		pad.Static = max(0, pad.Static+int(math.Round(perRes[kindIntegrations]-perRes[kindTimePadded])))
		h.pads[cli.Version] = pad
		// The pair: time_static now matches an integration; time_offset
		// takes what is left of the catalog scenario's total.
		if selected[kindTimePairPad] {
			for _, k := range []string{kindCatalog, kindTimePairPad} {
				if err := run(byKind[k]); err != nil {
					return err
				}
			}
			pad.Offset = max(0, int(math.Round(2*(perRes[kindCatalog]-perRes[kindTimePairPad]))))
		}
		h.pads[cli.Version] = pad
		fmt.Printf("padding for terraform %s: %d characters per time_static, %d per time_offset\n", cli.Version, pad.Static, pad.Offset)
	}
	if h.o.warmup {
		for _, s := range scens {
			if err := run(s); err != nil {
				return err
			}
		}
	}
	return nil
}

func shortID(s scenario) string {
	id := map[string]string{kindData: "d", kindTime: "t", kindTimePair: "tp", kindTimePadded: "tpad", kindTimePairPad: "tppad", kindIntegrations: "i", kindCatalog: "ic"}[s.Kind]
	if s.Latency {
		id += "l"
	}
	return id
}

func (h *harness) env(emu *emulatorProc, vars map[string]string, s scenario) []string {
	kind, tfrc := s.Kind, h.tfrc
	if s.Baseline {
		tfrc = h.tfrcBase
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "TF_") || strings.HasPrefix(k, "APIC_") || k == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+tfrc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	if kind == kindIntegrations || kind == kindCatalog {
		for k, v := range emu.env {
			env = append(env, k+"="+v)
		}
	}
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "TF_VAR_n" || (k == "TF_VAR_pad" && (kind == kindTimePadded || kind == kindTimePairPad)) ||
			(k == "TF_VAR_pad_offset" && kind == kindTimePairPad) || kind == kindIntegrations || kind == kindCatalog {
			env = append(env, k+"="+vars[k])
		}
	}
	return env
}

func (h *harness) timeCommand(ctx context.Context, cli cliInfo, dir string, env []string, emu *emulatorProc, s scenario, n, run int, c string) (*cmdResult, error) {
	args := []string{c, "-input=false", "-no-color", "-parallelism=" + strconv.Itoa(h.o.parallelism)}
	switch c {
	case cmdApply, cmdDestroy:
		args = append(args, "-auto-approve")
	case cmdPlan:
		args = append(args, "-detailed-exitcode")
	}
	if err := emu.reset(ctx); err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, c+".log")
	logf, err := os.Create(logPath) //nolint:gosec // our own working directory
	if err != nil {
		return nil, err
	}
	defer func() { _ = logf.Close() }()

	cmd := exec.CommandContext(ctx, cli.Path, args...) //nolint:gosec // our own terraform binary and fixed arguments
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout = logf
	cmd.Stderr = logf
	emuCPU0 := procCPU(emu.pid())
	load := loadAvg()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := startPoller(cmd.Process.Pid, h.o.pollEvery)
	werr := cmd.Wait()
	wall := time.Since(start)
	procs := p.finish()
	res := &cmdResult{CLI: cli.Version, Scenario: s.ID, N: n, Run: run, Command: c, Wall: wall, Procs: procs,
		EmuCPU: procCPU(emu.pid()) - emuCPU0, LoadAvg: load}
	if fi, err := os.Stat(filepath.Join(dir, "terraform.tfstate")); err == nil {
		res.StateBytes = fi.Size()
	}
	sort.Slice(res.Procs, func(i, j int) bool { return res.Procs[i].FirstSeen < res.Procs[j].FirstSeen })
	if st := cmd.ProcessState; st != nil {
		res.ExitCode = st.ExitCode()
		if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
			res.CLICPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			res.CLIMaxRSSKB = ru.Maxrss
		}
	}
	journal, jerr := emu.journal(ctx)
	if jerr != nil {
		return res, jerr
	}
	res.Journal = journal
	if s.usesAPI() {
		res.Requests = analyze(journal, res.Procs, s.Provider)
	} else if len(journal) > 0 {
		return res, fmt.Errorf("%s sent %d requests to the emulator", s.ID, len(journal))
	}
	if werr != nil {
		_ = logf.Sync()
		return res, fmt.Errorf("terraform %s: %w\n%s", c, werr, tail(logPath, 40))
	}
	return res, nil
}

// loadAvg is the 1-minute load average (the machine may be shared).
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// underRoot resolves a relative path against the repository root.
func underRoot(root, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(root, p)
}

func tail(path string, lines int) string {
	b, err := os.ReadFile(path) //nolint:gosec // our own log file
	if err != nil {
		return ""
	}
	ls := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}

func configFor(kind string) string {
	switch kind {
	case kindData:
		return `variable "n" { type = number }

resource "terraform_data" "x" {
  count = var.n
}
`
	case kindTimePair:
		return `terraform {
  required_providers {
    time = { source = "hashicorp/time" }
  }
}

variable "n" { type = number }

resource "time_static" "x" {
  count = var.n
}

# Like the catalog billings: each refers to one instance of the first resource.
resource "time_offset" "x" {
  count        = var.n
  base_rfc3339 = time_static.x[count.index].rfc3339
  offset_days  = 1
}
`
	case kindTimePairPad:
		return `terraform {
  required_providers {
    time = { source = "hashicorp/time" }
  }
}

variable "n" { type = number }
variable "pad" { type = map(string) }
variable "pad_offset" { type = map(string) }

# time_static+time_offset with as many state bytes per resource as an
# integration (in about as many values) and a catalog billing.
resource "time_static" "x" {
  count    = var.n
  triggers = var.pad
}

resource "time_offset" "x" {
  count        = var.n
  base_rfc3339 = time_static.x[count.index].rfc3339
  offset_days  = 1
  triggers     = var.pad_offset
}
`
	case kindTimePadded:
		return `terraform {
  required_providers {
    time = { source = "hashicorp/time" }
  }
}

variable "n" { type = number }
variable "pad" { type = map(string) }

# As many state bytes per resource as an apiconnect_billing_integration, in
# about as many values.
resource "time_static" "x" {
  count    = var.n
  triggers = var.pad
}
`
	case kindTime:
		return `terraform {
  required_providers {
    time = { source = "hashicorp/time" }
  }
}

variable "n" { type = number }

resource "time_static" "x" {
  count = var.n
}
`
	}
	cfg := `terraform {
  required_providers {
    apiconnect = { source = "apiconnect-community/apiconnect" }
  }
}

variable "n" { type = number }
variable "prefix" { type = string }
variable "publishable_key" { type = string }
variable "secret_key" {
  type      = string
  sensitive = true
}

# One key pair (of the emulator's Stripe fake) shared by all integrations.
resource "apiconnect_billing_integration" "x" {
  count           = var.n
  title           = "${var.prefix} ${count.index}"
  publishable_key = var.publishable_key
  secret_key      = var.secret_key
}
`
	if kind == kindCatalog {
		cfg += `
# Test keys: the sandbox Catalog is not in production mode.
resource "apiconnect_catalog_billing" "x" {
  count       = var.n
  catalog     = "sandbox"
  billing_url = apiconnect_billing_integration.x[count.index].url
}
`
	}
	return cfg
}

// ---- the emulator process ----

type emulatorProc struct {
	cmd     *exec.Cmd
	env     map[string]string
	base    string
	hc      *http.Client
	logPath string
	exited  chan struct{}
	exitErr error // cmd.Wait's answer, once exited is closed
}

// alive reports whether the emulator process is still running.
func (e *emulatorProc) alive() bool {
	select {
	case <-e.exited:
		return false
	default:
		return true
	}
}

// exitReason describes how the emulator ended, with the tail of its log.
func (e *emulatorProc) exitReason() string {
	st := "exit status 0"
	if e.exitErr != nil {
		st = e.exitErr.Error()
	}
	return st + "; log " + e.logPath + ":\n" + tail(e.logPath, 20)
}

func (e *emulatorProc) pid() int { return e.cmd.Process.Pid }

// startEmulator starts the emulator; its env file goes to dir, its output
// to logPath.
func startEmulator(ctx context.Context, bin, dir, logPath string, latency time.Duration) (*emulatorProc, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(logPath), 0o750); err != nil {
		return nil, err
	}
	envFile := filepath.Join(dir, "emulator.env")
	_ = os.Remove(envFile)
	args := []string{"-addr", "127.0.0.1:0", "-env-file", envFile}
	if latency > 0 {
		args = append(args, "-latency", latency.String())
	}
	logf, err := os.Create(logPath) //nolint:gosec // our own log file
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...) //nolint:gosec,noctx // our own emulator binary; stopped with SIGTERM by stop()
	cmd.Stdout = logf
	cmd.Stderr = logf
	if err := cmd.Start(); err != nil {
		_ = logf.Close()
		return nil, err
	}
	_ = logf.Close()
	e := &emulatorProc{cmd: cmd, hc: &http.Client{Timeout: 30 * time.Second}, logPath: logPath, exited: make(chan struct{})}
	go func() {
		e.exitErr = cmd.Wait()
		close(e.exited)
	}()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if b, err := os.ReadFile(envFile); err == nil && len(b) > 0 { //nolint:gosec // our own file
			e.env = parseEnv(string(b))
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil || !e.alive() {
			e.stop()
			return nil, fmt.Errorf("the emulator did not start: %s", e.exitReason())
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.base = strings.TrimSuffix(e.env["APIC_ENDPOINT"], "/api")
	if e.base == "" {
		e.stop()
		return nil, errors.New("the emulator's env file has no APIC_ENDPOINT")
	}
	return e, nil
}

func (e *emulatorProc) stop() {
	if !e.alive() {
		return
	}
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-e.exited:
	case <-time.After(5 * time.Second):
		_ = e.cmd.Process.Kill()
		<-e.exited
	}
}

func (e *emulatorProc) reset(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.base+emulator.AdminReset, nil)
	if err != nil {
		return err
	}
	resp, err := e.hc.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("POST %s: %s", emulator.AdminReset, resp.Status)
	}
	return nil
}

type emulatorRequest = emulator.AdminJournalEntry

func (e *emulatorProc) journal(ctx context.Context) ([]emulatorRequest, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.base+emulator.AdminJournal, nil)
	if err != nil {
		return nil, err
	}
	resp, err := e.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", emulator.AdminJournal, resp.Status)
	}
	var out []emulatorRequest
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("GET %s: %w", emulator.AdminJournal, err)
	}
	return out, nil
}

// parseEnv reads the KEY=VALUE lines the emulator writes (values may be
// single-quoted the way a shell would).
func parseEnv(text string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok || k == "" {
			continue
		}
		if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
			v = strings.ReplaceAll(v[1:len(v)-1], `'\''`, `'`)
		}
		out[k] = v
	}
	return out
}
