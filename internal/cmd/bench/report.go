package main

import (
	"bufio"
	"context"
	"debug/buildinfo"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// ---- machine ----

type machineInfo struct {
	Date          string `json:"date"`
	CPU           string `json:"cpu"`
	NProc         int    `json:"nproc"`
	MemTotal      string `json:"mem_total"`
	Kernel        string `json:"kernel"`
	Go            string `json:"go"`
	TimeProvider  string `json:"time_provider"`
	Provider      string `json:"provider"`
	ProviderBuild string `json:"provider_build"`
}

// gitRevision is the commit checked out in root and whether tracked files
// differ from it ("" when git cannot tell).
func gitRevision(root string) (rev, modified string) {
	out, err := exec.Command("git", "-C", root, "rev-parse", "HEAD").Output() //nolint:gosec,noctx // fixed arguments
	if err != nil {
		return "", ""
	}
	modified = "false"
	if st, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 { //nolint:gosec,noctx // fixed arguments
		modified = "true"
	}
	return strings.TrimSpace(string(out)), modified
}

// terraformVersion asks a terraform CLI its version ("1.5.7").
func terraformVersion(ctx context.Context, path string) (string, error) {
	cmd := exec.CommandContext(ctx, path, "version", "-json") //nolint:gosec // our own terraform binary
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE=/dev/null", "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("terraform version: %w", err)
	}
	var tv struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &tv); err != nil || tv.Version == "" {
		return "", fmt.Errorf("terraform version -json: %q", out)
	}
	return tv.Version, nil
}

func describeMachine(h *harness) machineInfo {
	m := machineInfo{Date: time.Now().UTC().Format("2006-01-02 15:04 MST"), NProc: runtime.NumCPU(), Go: runtime.Version()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		_ = f.Close()
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
				m.MemTotal = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	if bi, err := buildinfo.ReadFile(filepath.Join(h.bin, "terraform-provider-time")); err == nil {
		m.TimeProvider = bi.Main.Path + " " + bi.Main.Version + " (" + bi.GoVersion + ")"
	}
	if bi, err := buildinfo.ReadFile(filepath.Join(h.bin, "terraform-provider-apiconnect")); err == nil {
		m.Provider = bi.Main.Path
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		m.ProviderBuild = "local build (" + bi.GoVersion + ")"
		if rev == "" {
			// A build in a git worktree carries no VCS stamp: ask git.
			rev, modified = gitRevision(h.o.root)
		}
		if rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			m.ProviderBuild = "commit " + rev
			if modified == "true" {
				m.ProviderBuild += " + uncommitted changes"
			}
			m.ProviderBuild += " (" + bi.GoVersion + ")"
		}
	}
	return m
}

// ---- aggregation ----

type key struct {
	scenario string
	n        int
	cmd      string
}

// report is the results of one terraform CLI.
type report struct {
	o        options
	cli      cliInfo
	pad      padding
	machine  machineInfo
	scens    []scenario
	runs     map[key][]*cmdResult
	elapsed  time.Duration
	targets  []targetRow
	bigN     int
	byID     map[string]scenario
	apiScens []scenario
	// ratios[scenario][command]: median wall time ÷ the floor's (or the
	// control's, for the keys ending in "/control"), at the largest N.
	ratios map[string]map[string]float64
	// crud describes the requests per create, read and delete.
	crud string
}

type targetRow struct {
	Area, Target, Measured, Result string
}

func buildReport(o options, m machineInfo, cli cliInfo, pad padding, scens []scenario, results []*cmdResult, elapsed time.Duration) *report {
	r := &report{o: o, cli: cli, pad: pad, machine: m, scens: scens, runs: map[key][]*cmdResult{}, elapsed: elapsed, byID: map[string]scenario{},
		ratios: map[string]map[string]float64{}}
	for _, s := range scens {
		r.byID[s.ID] = s
		if s.usesAPI() {
			r.apiScens = append(r.apiScens, s)
		}
	}
	for _, res := range results {
		if res.CLI != cli.Version {
			continue
		}
		k := key{res.Scenario, res.N, res.Command}
		r.runs[k] = append(r.runs[k], res)
	}
	for _, n := range o.ns {
		if n > r.bigN {
			r.bigN = n
		}
	}
	r.evaluate()
	return r
}

func (r *report) get(s string, n int, c string) []*cmdResult { return r.runs[key{s, n, c}] }

func medianDur(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianInt(vs []int64) int64 {
	if len(vs) == 0 {
		return 0
	}
	s := append([]int64(nil), vs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (r *report) wall(s string, n int, c string) time.Duration {
	var ds []time.Duration
	for _, x := range r.get(s, n, c) {
		ds = append(ds, x.Wall)
	}
	return medianDur(ds)
}

func (r *report) wallRange(s string, n int, c string) (lo, hi time.Duration) {
	for i, x := range r.get(s, n, c) {
		if i == 0 || x.Wall < lo {
			lo = x.Wall
		}
		if x.Wall > hi {
			hi = x.Wall
		}
	}
	return lo, hi
}

// peakKB is the plugin's peak RSS over the commands of a scenario and N:
// the median over runs of each run's largest VmHWM (and the largest seen).
func (r *report) peakKB(s scenario, n int) (median, maxKB int64) {
	var perRun []int64
	for run := 1; run <= r.o.runs; run++ {
		var m int64
		for _, c := range commands {
			for _, x := range r.get(s.ID, n, c) {
				if x.Run == run {
					m = max(m, x.pluginPeakKB(s.Provider))
				}
			}
		}
		perRun = append(perRun, m)
		maxKB = max(maxKB, m)
	}
	return medianInt(perRun), maxKB
}

func (r *report) medianCPU(s scenario, n int, c string, f func(*cmdResult) time.Duration) time.Duration {
	var ds []time.Duration
	for _, x := range r.get(s.ID, n, c) {
		ds = append(ds, f(x))
	}
	return medianDur(ds)
}

// counts renders one integer per run: "300" when the runs agree, else
// "300/301/300".
func counts(rs []*cmdResult, f func(*requestAnalysis) int) string {
	var vs []string
	same := true
	for i, x := range rs {
		if x.Requests == nil {
			continue
		}
		v := strconv.Itoa(f(x.Requests))
		if i > 0 && v != vs[0] {
			same = false
		}
		vs = append(vs, v)
	}
	if len(vs) == 0 {
		return "–"
	}
	if same {
		return vs[0]
	}
	return strings.Join(vs, "/")
}

func maxOver(rs []*cmdResult, f func(*requestAnalysis) int) int {
	m := 0
	for _, x := range rs {
		if x.Requests != nil {
			m = max(m, f(x.Requests))
		}
	}
	return m
}

func shortRoute(k string) string {
	m, route, _ := strings.Cut(k, " ")
	return m + " " + strings.TrimPrefix(route, "/api")
}

func passMiss(ok bool) string {
	if ok {
		return "PASS"
	}
	return "**MISS**"
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()) }

func mib(kb int64) string { return fmt.Sprintf("%.1f", float64(kb)/1024) }

// ---- targets ----

// perProcessRoutes are looked up once per provider process (and cached).
var perProcessRoutes = map[string]bool{
	"POST " + emulator.RouteToken:          true,
	"GET " + emulator.RouteStripeAccount:   true,
	"GET " + emulator.RouteOrg:             true,
	"GET " + emulator.RouteCatalog:         true,
	"GET " + emulator.RouteCatalogSettings: true,
}

// perResourceExtras is what a command sent besides the expected routes and
// the per-process lookups.
func perResourceExtras(a *requestAnalysis, expected ...string) map[string]int {
	out := map[string]int{}
	for k, v := range a.Routes {
		if perProcessRoutes[k] || contains(expected, k) {
			continue
		}
		out[k] = v
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// perProcessCounts is the most requests one provider process sent on each
// per-process route.
func perProcessCounts(a *requestAnalysis) map[string]int {
	out := map[string]int{}
	for _, p := range a.Procs {
		for k, v := range p.Routes {
			if perProcessRoutes[k] {
				out[k] = max(out[k], v)
			}
		}
	}
	return out
}

func mergeMax(into, from map[string]int) {
	for k, v := range from {
		into[k] = max(into[k], v)
	}
}

func perResourceText(extra map[string]int, n int) string {
	var parts []string
	for k, v := range extra {
		parts = append(parts, fmt.Sprintf("%.2f `%s`", float64(v)/float64(n), shortRoute(k)))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

func perProcessText(perProc map[string]int) string {
	var parts []string
	for k, v := range perProc {
		parts = append(parts, fmt.Sprintf("%d `%s`", v, shortRoute(k)))
	}
	if len(parts) == 0 {
		return ""
	}
	sort.Strings(parts)
	return "; once per provider process at most: " + strings.Join(parts, ", ")
}

// Overhead targets: wall time of N integrations ÷ N time_static.
var overheadLimits = map[string]float64{cmdApply: 1.0, cmdPlan: 0.7, cmdDestroy: 1.1}

// catalogApplyLimit bounds the apply of N integrations and N catalog
// billings against time_static+time_offset.
const catalogApplyLimit = 1.3

// overhead compares scenario id with its floor at N=n for command c, with
// the CPU-time and fastest-run cross-checks and the padded control; it
// records the ratios for the summary.
func (r *report) overhead(id, floor, control string, n int, c string) (float64, string) {
	a, b := r.wall(id, n, c), r.wall(floor, n, c)
	ratio := a.Seconds() / b.Seconds()
	r.setRatio(id, c, ratio)
	amin, _ := r.wallRange(id, n, c)
	bmin, _ := r.wallRange(floor, n, c)
	cliCPU := func(x *cmdResult) time.Duration { return x.CLICPU }
	ca, cb := r.medianCPU(r.byID[id], n, c, cliCPU), r.medianCPU(r.byID[floor], n, c, cliCPU)
	pa := r.medianCPU(r.byID[id], n, c, func(x *cmdResult) time.Duration { return x.pluginCPU(r.byID[id].Provider) })
	pb := r.medianCPU(r.byID[floor], n, c, func(x *cmdResult) time.Duration { return x.pluginCPU(exeTime) })
	measured := fmt.Sprintf("%.2f × (median %ss vs %ss). Cross-checks: fastest runs %.2f × (%ss vs %ss); terraform+plugin CPU %.2f × (%ss vs %ss), of which plugin CPU %ss vs %ss",
		ratio, secs(a), secs(b), amin.Seconds()/bmin.Seconds(), secs(amin), secs(bmin), ca.Seconds()/cb.Seconds(), secs(ca), secs(cb), secs(pa), secs(pb))
	r.setRatio(id, c+"/plugincpu", pa.Seconds()/pb.Seconds())
	r.setRatio(id, c+"/tfcpu", (ca-pa).Seconds()/(cb-pb).Seconds())
	if _, ok := r.byID[control]; ok && len(r.get(control, n, c)) > 0 {
		p := r.wall(control, n, c)
		r.setRatio(id, c+"/control", a.Seconds()/p.Seconds())
		r.setRatio(control, c, p.Seconds()/b.Seconds())
		measured += fmt.Sprintf(". Control `%s` (same state bytes per resource): %ss = %.2f × the floor; %s ÷ control = %.2f ×",
			control, secs(p), p.Seconds()/b.Seconds(), id, a.Seconds()/p.Seconds())
	}
	return ratio, measured
}

func (r *report) setRatio(id, c string, v float64) {
	if r.ratios[id] == nil {
		r.ratios[id] = map[string]float64{}
	}
	r.ratios[id][c] = v
}

// ratio is a recorded ratio, or NaN.
func (r *report) ratio(id, c string) float64 {
	if v, ok := r.ratios[id][c]; ok {
		return v
	}
	return math.NaN()
}

// crudText is the requests per resource of each CRUD step at the largest
// N (median run): create, the catalog billing's plan-time guard read,
// read (refresh in a no-change plan) and delete.
func (r *report) crudText(integ, cat string) string {
	n := r.bigN
	per := func(id, c, route string) string {
		rs := r.get(id, n, c)
		if len(rs) == 0 {
			return "–"
		}
		var vs []int64
		for _, x := range rs {
			vs = append(vs, int64(x.Requests.Routes[route]))
		}
		return fmt.Sprintf("%.2f", float64(medianInt(vs))/float64(n))
	}
	var parts []string
	if _, ok := r.byID[integ]; ok {
		parts = append(parts, fmt.Sprintf("integration: create %s POST, read %s GET, delete %s DELETE",
			per(integ, cmdApply, "POST "+emulator.RouteBillings), per(integ, cmdPlan, "GET "+emulator.RouteBilling), per(integ, cmdDestroy, "DELETE "+emulator.RouteBilling)))
	}
	if _, ok := r.byID[cat]; ok {
		parts = append(parts, fmt.Sprintf("catalog billing: create %s POST (+ %s guard GET), read %s GET, delete %s DELETE",
			per(cat, cmdApply, "POST "+emulator.RouteConfiguredList), per(cat, cmdApply, "GET "+emulator.RouteBilling),
			per(cat, cmdPlan, "GET "+emulator.RouteConfiguredBilling), per(cat, cmdDestroy, "DELETE "+emulator.RouteConfiguredBilling)))
	}
	return strings.Join(parts, "; ")
}

func (r *report) evaluate() {
	integ, cat, integLat := kindIntegrations, kindCatalog, kindIntegrations+"@"+r.o.latency.String()
	have := func(id string) bool { _, ok := r.byID[id]; return ok }
	add := func(area, target, measured string, ok bool) {
		r.targets = append(r.targets, targetRow{area, target, measured, passMiss(ok)})
	}
	all := func(id, c string) []*cmdResult {
		var out []*cmdResult
		for _, n := range r.o.ns {
			out = append(out, r.get(id, n, c)...)
		}
		return out
	}

	// API calls. Requests on perProcessRoutes are lookups a provider
	// process makes once (token, Stripe account, org check, Catalog
	// settings); they are judged per process below, everything else per
	// resource here.
	if have(integ) {
		ok := true
		var extra map[string]int
		worstN := 0
		perProc := map[string]int{}
		for _, n := range r.o.ns {
			for _, x := range r.get(integ, n, cmdApply) {
				a := x.Requests
				other := perResourceExtras(a, "POST "+emulator.RouteBillings)
				if a.Routes["POST "+emulator.RouteBillings] != n || len(other) > 0 {
					ok = false
				}
				if len(other) > 0 && n >= worstN {
					extra, worstN = other, n
				}
				mergeMax(perProc, perProcessCounts(a))
			}
		}
		measured := "1 POST `/orgs/{org}/billings` per integration, no other request per integration"
		if !ok {
			measured = "1 POST `/orgs/{org}/billings` **plus " + perResourceText(extra, worstN) + "** per integration (apply)"
		}
		add("API calls", "creating an integration is one POST", measured+perProcessText(perProc), ok)
	}
	if have(cat) {
		ok := true
		var extra map[string]int
		worstN, guard := 0, 0
		perProc := map[string]int{}
		for _, n := range r.o.ns {
			for _, x := range r.get(cat, n, cmdApply) {
				a := x.Requests
				other := perResourceExtras(a, "POST "+emulator.RouteConfiguredList, "POST "+emulator.RouteBillings, "GET "+emulator.RouteBilling)
				if a.Routes["POST "+emulator.RouteConfiguredList] != n || a.Routes["GET "+emulator.RouteBilling] > n || len(other) > 0 {
					ok = false
				}
				guard = max(guard, a.Routes["GET "+emulator.RouteBilling])
				if len(other) > 0 && n >= worstN {
					extra, worstN = other, n
				}
				mergeMax(perProc, perProcessCounts(a))
			}
		}
		measured := fmt.Sprintf("1 POST `/catalogs/{org}/{catalog}/configured-billings` per catalog billing; the plan's guard read %.2f `GET /orgs/{org}/billings/{billing}` per catalog billing", float64(guard)/float64(r.bigN))
		if !ok {
			measured = "1 POST `/catalogs/{org}/{catalog}/configured-billings` **plus " + perResourceText(extra, worstN) + "** per catalog billing (apply; the integrations' own POSTs not counted)"
		}
		add("API calls", "creating a catalog billing is one POST (and at most one plan-time read of its integration: the production guard)", measured+perProcessText(perProc), ok)
	}
	if have(integ) || have(cat) {
		ok := true
		var parts []string
		for _, id := range []string{integ, cat} {
			if !have(id) {
				continue
			}
			for _, c := range []string{cmdPlan, cmdDestroy} {
				for _, n := range r.o.ns {
					for _, x := range r.get(id, n, c) {
						a := x.Requests
						for _, rk := range []string{"GET " + emulator.RouteBilling, "GET " + emulator.RouteConfiguredBilling} {
							if rk == "GET "+emulator.RouteConfiguredBilling && id != cat {
								continue
							}
							rc := a.Resources[rk]
							if rc.Max != 1 || rc.Distinct != n {
								ok = false
							}
						}
						if c == cmdPlan {
							// A no-change plan reads, and only reads.
							for k := range a.Routes {
								if k != "GET "+emulator.RouteBilling && k != "GET "+emulator.RouteConfiguredBilling && !perProcessRoutes[k] {
									ok = false
								}
							}
						}
					}
				}
			}
			maxB := maxOver(append(all(id, cmdPlan), all(id, cmdDestroy)...), func(a *requestAnalysis) int { return a.Resources["GET "+emulator.RouteBilling].Max })
			s := fmt.Sprintf("%s: at most %d GET per integration", id, maxB)
			if id == cat {
				maxC := maxOver(append(all(id, cmdPlan), all(id, cmdDestroy)...), func(a *requestAnalysis) int {
					return a.Resources["GET "+emulator.RouteConfiguredBilling].Max
				})
				s += fmt.Sprintf(" and %d per catalog billing", maxC)
			}
			parts = append(parts, s)
		}
		add("API calls", "refreshing any resource is one GET", strings.Join(parts, "; ")+" (no-change plan and destroy's refresh, every resource read)", ok)
	}
	var apiRuns []*cmdResult
	for _, s := range r.apiScens {
		for _, c := range commands {
			apiRuns = append(apiRuns, all(s.ID, c)...)
		}
	}
	if len(apiRuns) > 0 {
		maxTok := maxOver(apiRuns, func(a *requestAnalysis) int { return a.maxPerProc(func(p procRequests) int { return p.Token }) })
		unattr := maxOver(apiRuns, func(a *requestAnalysis) int { return a.Unattributed })
		// Every process that used the API fetched exactly one token.
		exact := true
		maxCmdTok, maxCmdProcs := 0, 0
		for _, x := range apiRuns {
			for _, p := range x.Requests.Procs {
				if p.API > 0 && p.Token != 1 {
					exact = false
				}
			}
			maxCmdTok = max(maxCmdTok, x.Requests.Token)
			maxCmdProcs = max(maxCmdProcs, x.Requests.procsWithRequests())
		}
		measured := fmt.Sprintf("at most %d token request per provider process; at most %d per command, spread over at most %d provider processes that used the API", maxTok, maxCmdTok, maxCmdProcs)
		if unattr > 0 {
			measured += fmt.Sprintf(" (%d requests could not be attributed to a process)", unattr)
		}
		add("API calls", "one token request per provider process", measured, maxTok <= 1 && exact && unattr == 0)

		maxStripe := maxOver(apiRuns, func(a *requestAnalysis) int { return a.maxPerProc(func(p procRequests) int { return p.Stripe }) })
		maxCmd := maxOver(apiRuns, func(a *requestAnalysis) int { return a.Stripe })
		add("API calls", "one Stripe account call per distinct secret key per process (1 key, -parallelism="+strconv.Itoa(r.o.parallelism)+")",
			fmt.Sprintf("at most %d `GET /v1/account` per provider process, %d per command", maxStripe, maxCmd), maxStripe <= 1 && unattr == 0)
	}
	if have(cat) {
		var rs []*cmdResult
		for _, c := range commands {
			rs = append(rs, all(cat, c)...)
		}
		m := maxOver(rs, func(a *requestAnalysis) int { return a.maxPerProc(func(p procRequests) int { return p.SettingsMax }) })
		tot := maxOver(rs, func(a *requestAnalysis) int { return a.Routes["GET "+emulator.RouteCatalogSettings] })
		add("API calls", "catalog settings read at most once per catalog per process",
			fmt.Sprintf("at most %d read of `sandbox` settings per provider process (%d per command)", m, tot), m <= 1)
	}

	// Overhead.
	n := r.bigN
	if have(integ) && have(kindTime) {
		for _, c := range commands {
			limit := overheadLimits[c]
			ratio, measured := r.overhead(integ, kindTime, kindTimePadded, n, c)
			add("Overhead", fmt.Sprintf("%s of N=%d integrations ≤ %.1f × time_static", c, n, limit), measured, ratio <= limit)
		}
	}
	if have(cat) && have(kindTimePair) {
		ratio, measured := r.overhead(cat, kindTimePair, kindTimePairPad, n, cmdApply)
		add("Overhead", fmt.Sprintf("apply of N=%d integrations + N catalog billings (%d resources) ≤ %.1f × time_static+time_offset", n, 2*n, catalogApplyLimit),
			measured, ratio <= catalogApplyLimit)
	}
	r.crud = r.crudText(integ, cat)
	// Parallelism.
	if have(integ) && have(integLat) {
		for _, nn := range r.o.ns {
			base, slow := r.wall(integ, nn, cmdApply), r.wall(integLat, nn, cmdApply)
			posts := 0.0
			if rs := r.get(integLat, nn, cmdApply); len(rs) > 0 {
				posts = float64(rs[0].Requests.Routes["POST "+emulator.RouteBillings]) / float64(nn)
			}
			floor := time.Duration(float64(nn) / float64(r.o.parallelism) * float64(r.o.latency) * posts)
			extra := slow - base
			ratio := extra.Seconds() / floor.Seconds()
			row := fmt.Sprintf("extra apply time with %s latency, N=%d ≤ 1.3 × N/%d × %s × POSTs per resource", r.o.latency, nn, r.o.parallelism, r.o.latency)
			measured := fmt.Sprintf("%.2f × (%ss − %ss = %ss extra; floor %ss with %.0f POST per resource)", ratio, secs(slow), secs(base), secs(extra), secs(floor), posts)
			if nn == n {
				add("Parallelism", row, measured, ratio <= 1.3)
			} else {
				r.targets = append(r.targets, targetRow{"Parallelism", row + " (N=" + strconv.Itoa(nn) + ", for information)", measured, "(" + strings.Trim(passMiss(ratio <= 1.3), "*") + ")"})
			}
		}
	}
	// Memory: the median over runs of each run's peak, per scenario.
	var worst int64
	var parts, floors []string
	for _, s := range r.scens {
		if s.Provider == "" || len(r.get(s.ID, n, cmdApply)) == 0 {
			continue
		}
		med, hi := r.peakKB(s, n)
		text := fmt.Sprintf("%s %s MiB (max %s)", s.ID, mib(med), mib(hi))
		if s.usesAPI() {
			if !s.Baseline {
				worst = max(worst, med)
			}
			parts = append(parts, text)
		} else {
			floors = append(floors, text)
		}
	}
	if worst > 0 {
		measured := strings.Join(parts, "; ")
		if len(floors) > 0 {
			measured += ". Floors and control: " + strings.Join(floors, "; ")
		}
		add("Memory", fmt.Sprintf("provider peak RSS < 64 MiB at N=%d", n),
			measured+" (largest VmHWM of any plugin process over apply, plan and destroy; median of runs)", worst < 64*1024)
	}
}

// ---- markdown ----

const (
	beginMarker = "<!-- bench:begin: generated by `make bench` (internal/cmd/bench); edits between the markers are overwritten -->"
	endMarker   = "<!-- bench:end -->"
)

// markdown is the section of one CLI: targets, wall time, requests.
func (r *report) markdown() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("## Terraform %s\n\n", r.cli.Version)
	w("`%s`, `-parallelism=%d`.", r.cli.Path[strings.LastIndex(r.cli.Path, "/")+1:], r.o.parallelism)
	if _, ok := r.byID[kindTimePadded]; ok {
		w(" Padding of the controls (calibrated in the warm-up): %d characters in %d values per `time_static`, %d per `time_offset`.", r.pad.Static, r.o.padValues, r.pad.Offset)
	}
	w("\n\n### Targets (terraform %s)\n\n| area | target | measured | result |\n|---|---|---|---|\n", r.cli.Version)
	for _, t := range r.targets {
		w("| %s | %s | %s | %s |\n", t.Area, t.Target, t.Measured, t.Result)
	}

	w("\n### Wall time (terraform %s)\n\n", r.cli.Version)
	w("Seconds, median of %d (min–max in the raw results, `%s`). Ratios are to the scenario's floor (hashicorp/time with the same number and shape of resources) at the same N. ", r.o.runs, r.o.jsonOut)
	w("Plugin peak RSS is the largest `VmHWM` of the plugin processes over apply, plan and destroy (median over runs); plugin CPU is user+system time of the plugin processes.")
	if !r.o.pairsFull {
		w(" Of `%s` and `%s` only the apply is timed (the floor and control of the 600-resource apply target; `-pairs-full` times all three).", kindTimePair, kindTimePairPad)
	}
	w("\n\n")
	w("| scenario | N | resources | apply | plan (no change) | destroy | floor | apply ÷ floor | plan ÷ floor | destroy ÷ floor | plugin peak RSS MiB | plugin CPU s apply / plan / destroy | terraform+plugins CPU s apply | state bytes per resource |\n")
	w("|---|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, n := range r.o.ns {
		for _, s := range r.scens {
			if len(r.get(s.ID, n, cmdApply)) == 0 {
				continue
			}
			row := []string{"`" + s.ID + "`", strconv.Itoa(n), strconv.Itoa(n * s.resourcesPerN())}
			for _, c := range commands {
				if len(r.get(s.ID, n, c)) == 0 {
					row = append(row, "–") // not timed (-pairs-full)
					continue
				}
				lo, hi := r.wallRange(s.ID, n, c)
				row = append(row, fmt.Sprintf("%s <sub>%s–%s</sub>", secs(r.wall(s.ID, n, c)), secs(lo), secs(hi)))
			}
			floor := s.Floor
			if _, ok := r.byID[floor]; !ok {
				floor = ""
			}
			if floor != "" {
				row = append(row, "`"+floor+"`")
			} else {
				row = append(row, "–")
			}
			for _, c := range commands {
				if floor != "" && len(r.get(s.ID, n, c)) > 0 && len(r.get(floor, n, c)) > 0 {
					row = append(row, fmt.Sprintf("%.2f", r.wall(s.ID, n, c).Seconds()/r.wall(floor, n, c).Seconds()))
				} else {
					row = append(row, "")
				}
			}
			if s.Provider != "" {
				med, _ := r.peakKB(s, n)
				row = append(row, mib(med))
				var cpus []string
				for _, c := range commands {
					if len(r.get(s.ID, n, c)) == 0 {
						cpus = append(cpus, "–")
						continue
					}
					cpus = append(cpus, secs(r.medianCPU(s, n, c, func(x *cmdResult) time.Duration { return x.pluginCPU(s.Provider) })))
				}
				row = append(row, strings.Join(cpus, " / "))
			} else {
				row = append(row, "–", "–")
			}
			row = append(row, secs(r.medianCPU(s, n, cmdApply, func(x *cmdResult) time.Duration { return x.CLICPU })))
			var sizes []int64
			for _, x := range r.get(s.ID, n, cmdApply) {
				sizes = append(sizes, x.StateBytes/int64(n*s.resourcesPerN()))
			}
			row = append(row, strconv.FormatInt(medianInt(sizes), 10))
			w("| %s |\n", strings.Join(row, " | "))
		}
	}

	w("\n### Requests per command (terraform %s)\n\n", r.cli.Version)
	w("From the emulator's journal, reset before each command; counts are per command (one value when all %d runs agree, else one per run). ", r.o.runs)
	w("*Processes* are the provider processes terraform started for the command (those that sent requests in brackets); requests are attributed to a process by the TCP port of their connection. ")
	w("*Stripe* is the provider's `GET /v1/account` (the emulator's own lookup on every create is counted apart, as *emulator→Stripe*). ")
	w("*Per resource* gives, for a single-resource route, how many resources got requests and the most requests one resource got.\n\n")
	w("| scenario | N | command | processes | token | Stripe | emulator→Stripe | platform API requests by route | per resource | max per process: token / Stripe / settings of one catalog |\n")
	w("|---|--:|---|--:|--:|--:|--:|---|---|--:|\n")
	for _, n := range r.o.ns {
		for _, s := range r.apiScens {
			for _, c := range commands {
				rs := r.get(s.ID, n, c)
				if len(rs) == 0 {
					continue
				}
				procs := counts(rs, func(a *requestAnalysis) int { return len(a.Procs) }) + " (" + counts(rs, func(a *requestAnalysis) int { return a.procsWithRequests() }) + ")"
				routeKeys := map[string]bool{}
				for _, x := range rs {
					for k := range x.Requests.Routes {
						routeKeys[k] = true
					}
				}
				keys := make([]string, 0, len(routeKeys))
				for k := range routeKeys {
					if k != "POST "+emulator.RouteToken && k != "GET "+emulator.RouteStripeAccount {
						keys = append(keys, k)
					}
				}
				sort.Strings(keys)
				var routes []string
				for _, k := range keys {
					routes = append(routes, fmt.Sprintf("`%s` %s", shortRoute(k), counts(rs, func(a *requestAnalysis) int { return a.Routes[k] })))
				}
				resKeys := map[string]bool{}
				for _, x := range rs {
					for k := range x.Requests.Resources {
						resKeys[k] = true
					}
				}
				var rks []string
				for k := range resKeys {
					rks = append(rks, k)
				}
				sort.Strings(rks)
				var res []string
				for _, k := range rks {
					res = append(res, fmt.Sprintf("`%s`: %s × ≤%s", shortRoute(k),
						counts(rs, func(a *requestAnalysis) int { return a.Resources[k].Distinct }),
						counts(rs, func(a *requestAnalysis) int { return a.Resources[k].Max })))
				}
				notOK := maxOver(rs, func(a *requestAnalysis) int { return a.NotOK })
				if notOK > 0 {
					routes = append(routes, fmt.Sprintf("(%d answers not 2xx)", notOK))
				}
				perProc := fmt.Sprintf("%d / %d / %d",
					maxOver(rs, func(a *requestAnalysis) int { return a.maxPerProc(func(p procRequests) int { return p.Token }) }),
					maxOver(rs, func(a *requestAnalysis) int { return a.maxPerProc(func(p procRequests) int { return p.Stripe }) }),
					maxOver(rs, func(a *requestAnalysis) int { return a.maxPerProc(func(p procRequests) int { return p.SettingsMax }) }))
				if u := maxOver(rs, func(a *requestAnalysis) int { return a.Unattributed }); u > 0 {
					perProc += fmt.Sprintf(" (%d unattributed)", u)
				}
				w("| `%s` | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", s.ID, n, c, procs,
					counts(rs, func(a *requestAnalysis) int { return a.Token }),
					counts(rs, func(a *requestAnalysis) int { return a.Stripe }),
					counts(rs, func(a *requestAnalysis) int { return a.EmulatorStripe }),
					orDash(strings.Join(routes, "<br>")), orDash(strings.Join(res, "<br>")), perProc)
			}
		}
	}
	w("\nThe `terraform_data` and hashicorp/time scenarios (floors and controls) sent no request to the emulator (checked on every command).\n")
	return b.String()
}

// goBenchLines keeps the benchmark result lines and the cpu line of `go
// test -bench` output.
func goBenchLines(out string) string {
	var b strings.Builder
	cpu := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "cpu:") && !cpu:
			cpu = true
			b.WriteString(line + "\n")
		case strings.HasPrefix(line, "pkg:"):
			b.WriteString(line + "\n")
		case strings.HasPrefix(line, "Benchmark"):
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// summary is the targets table for the terminal.
func (r *report) summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "TARGETS (terraform %s)\n", r.cli.Version)
	for _, t := range r.targets {
		fmt.Fprintf(&b, "  %-8s %-11s %s\n           %s\n", strings.Trim(t.Result, "*"), t.Area, t.Target, strings.ReplaceAll(t.Measured, "`", ""))
	}
	return b.String()
}

const mdHeader = `# Benchmarks

` + "`make bench`" + ` (scripts/bench.sh, harness in internal/cmd/bench) installs terraform and the
hashicorp/time provider into bin/, builds the provider and the emulator, starts the emulator as a
standalone process and times ` + "`terraform apply`, a no-change `terraform plan` and `terraform destroy`" + `
of N resources. The section between the markers below is regenerated by every run; the rest of
this file is kept.

`

// writeMarkdown replaces the generated section of path (or creates the file).
func writeMarkdown(path, section string) error {
	gen := beginMarker + "\n\n" + section + "\n" + endMarker + "\n"
	old, err := os.ReadFile(path) //nolint:gosec // the -out file
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	text := string(old)
	i, j := strings.Index(text, beginMarker), strings.Index(text, endMarker)
	switch {
	case i >= 0 && j > i:
		text = text[:i] + gen + strings.TrimPrefix(text[j+len(endMarker):], "\n")
	case text == "":
		text = mdHeader + gen
	default:
		text = strings.TrimRight(text, "\n") + "\n\n" + gen
	}
	return os.WriteFile(path, []byte(text), 0o644) //nolint:gosec // a documentation file
}
