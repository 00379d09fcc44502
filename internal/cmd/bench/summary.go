package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// benchReport is the results of every CLI: a summary across them, the
// conclusions the numbers support, then one report per CLI.
type benchReport struct {
	o       options
	machine machineInfo
	per     []*report
	elapsed time.Duration
	notes   []string
	goBench string
}

func buildBenchReport(o options, m machineInfo, clis []cliInfo, pads map[string]padding, scens []scenario, results []*cmdResult, elapsed time.Duration) *benchReport {
	b := &benchReport{o: o, machine: m, elapsed: elapsed}
	for _, c := range clis {
		b.per = append(b.per, buildReport(o, m, c, pads[c.Version], scens, results, elapsed))
	}
	return b
}

// cell renders a ratio against a limit: "0.93" (within) or "**1.12**" (over).
func cell(v, limit float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case limit > 0 && v > limit:
		return fmt.Sprintf("**%.2f** (MISS)", v)
	case limit > 0:
		return fmt.Sprintf("%.2f (PASS)", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func (b *benchReport) markdown() string {
	var sb strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	m := b.machine
	var versions []string
	for _, r := range b.per {
		versions = append(versions, "v"+r.cli.Version)
	}
	w("## Results\n\n")
	w("Measured %s by `make bench` in %s: %d runs of every measurement on each CLI, tables show the **median** (apply, plan and destroy each timed on its own). ",
		m.Date, b.elapsed.Round(time.Second), b.o.runs)
	w("The runs of both CLIs and of all scenarios are interleaved (run 1 of everything, then run 2, …), so that both sides of every ratio saw the same load.\n\n")
	w("| machine | |\n|---|---|\n")
	w("| CPU | %s |\n| nproc | %d |\n| RAM | %s |\n| OS | %s |\n| Go | %s |\n| terraform | %s (`-parallelism=%d`) |\n| hashicorp/time | %s |\n| apiconnect provider | %s |\n| emulator latency (@ scenarios) | %s per platform API request (token included) |\n\n",
		m.CPU, m.NProc, m.MemTotal, m.Kernel, m.Go, strings.Join(versions, ", "), b.o.parallelism, m.TimeProvider, m.ProviderBuild, b.o.latency)
	if lo, med, hi := b.loadRange(); hi > 0 {
		w("The machine's 1-minute load average when the commands started: min %.1f, median %.1f, max %.1f (%d CPUs; other work on a shared machine shows up as noise in the min–max ranges; the CPU-time cross-checks depend on it less).\n\n", lo, med, hi, m.NProc)
	}
	sb.WriteString(b.summaryTable())
	sb.WriteString(b.conclusions())
	for _, r := range b.per {
		w("\n%s", r.markdown())
	}
	if gb := goBenchLines(b.goBench); gb != "" {
		w("\n## Go benchmarks of the hot paths\n\n`go test -run '^$' -bench . -benchmem -benchtime=200ms ./internal/stripekey/ ./internal/apic/` (same machine, run by scripts/bench.sh):\n\n```\n%s```\n", gb)
	}
	for _, note := range b.notes {
		w("\n%s\n", note)
	}
	return sb.String()
}

func (b *benchReport) loadRange() (lo, med, hi float64) {
	var vs []float64
	for _, r := range b.per {
		for _, rs := range r.runs {
			for _, x := range rs {
				vs = append(vs, x.LoadAvg)
			}
		}
	}
	if len(vs) == 0 {
		return 0, 0, 0
	}
	sort.Float64s(vs)
	return vs[0], vs[len(vs)/2], vs[len(vs)-1]
}

// summaryTable is one column per CLI: the overhead ratios against their
// targets, the same-state-size controls, requests per CRUD step, memory
// and the count of targets met.
func (b *benchReport) summaryTable() string {
	var sb strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	n := 0
	if len(b.per) > 0 {
		n = b.per[0].bigN
	}
	w("### Summary (N = %d)\n\n| | target |", n)
	for _, r := range b.per {
		w(" terraform %s |", r.cli.Version)
	}
	w("\n|---|---|")
	for range b.per {
		w("--:|")
	}
	w("\n")
	row := func(label, target string, f func(r *report) string) {
		w("| %s | %s |", label, target)
		for _, r := range b.per {
			w(" %s |", f(r))
		}
		w("\n")
	}
	for _, c := range commands {
		limit := overheadLimits[c]
		row(fmt.Sprintf("%s: integrations ÷ `time_static`", c), fmt.Sprintf("≤ %.1f", limit),
			func(r *report) string { return cell(r.ratio(kindIntegrations, c), limit) })
	}
	row(fmt.Sprintf("apply of %d resources: integrations+catalog ÷ `time_static+time_offset`", 2*n), fmt.Sprintf("≤ %.1f", catalogApplyLimit),
		func(r *report) string { return cell(r.ratio(kindCatalog, cmdApply), catalogApplyLimit) })
	for _, c := range commands {
		row(fmt.Sprintf("control, %s: `time_static+pad` ÷ `time_static` (state size alone)", c), "–",
			func(r *report) string { return cell(r.ratio(kindTimePadded, c), 0) })
	}
	for _, c := range commands {
		row(fmt.Sprintf("control, %s: integrations ÷ `time_static+pad` (same state bytes)", c), "–",
			func(r *report) string { return cell(r.ratio(kindIntegrations, c+"/control"), 0) })
	}
	row(fmt.Sprintf("control, apply of %d resources: integrations+catalog ÷ `time_static+time_offset+pad`", 2*n), "–",
		func(r *report) string { return cell(r.ratio(kindCatalog, cmdApply+"/control"), 0) })
	for _, c := range commands {
		row(fmt.Sprintf("CPU, %s: integrations ÷ `time_static`, plugin / terraform itself", c), "–", func(r *report) string {
			return cell(r.ratio(kindIntegrations, c+"/plugincpu"), 0) + " / " + cell(r.ratio(kindIntegrations, c+"/tfcpu"), 0)
		})
	}
	row(fmt.Sprintf("CPU, apply of %d resources: integrations+catalog ÷ `time_static+time_offset`, plugin / terraform itself", 2*n), "–", func(r *report) string {
		return cell(r.ratio(kindCatalog, cmdApply+"/plugincpu"), 0) + " / " + cell(r.ratio(kindCatalog, cmdApply+"/tfcpu"), 0)
	})
	row("requests per resource and CRUD step", "1", func(r *report) string { return r.crud })
	row("state bytes per integration / per `time_static`", "–", func(r *report) string {
		return fmt.Sprintf("%d / %d", r.stateBytes(kindIntegrations), r.stateBytes(kindTime))
	})
	row("provider peak RSS MiB: integrations / integrations+catalog", "< 64", func(r *report) string {
		a, _ := r.peakKB(r.byID[kindIntegrations], n)
		c, _ := r.peakKB(r.byID[kindCatalog], n)
		return mib(a) + " / " + mib(c)
	})
	row("targets met", "all", func(r *report) string {
		met := 0
		for _, t := range r.targets {
			if t.Result == "PASS" {
				met++
			}
		}
		return fmt.Sprintf("%d of %d", met, len(r.targets))
	})
	return sb.String()
}

// stateBytes is the median state bytes per resource after apply at the
// largest N (0 without runs).
func (r *report) stateBytes(id string) int64 {
	s, ok := r.byID[id]
	if !ok {
		return 0
	}
	var sizes []int64
	for _, x := range r.get(id, r.bigN, cmdApply) {
		sizes = append(sizes, x.StateBytes/int64(r.bigN*s.resourcesPerN()))
	}
	return medianInt(sizes)
}

// conclusions states, for every overhead target missed, what the control
// measurements say about where the excess goes. Only measured figures.
func (b *benchReport) conclusions() string {
	var sb strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	w("\n### What the controls say\n\n")
	missed := false
	for _, r := range b.per {
		check := func(id, c, control string, limit float64) {
			v := r.ratio(id, c)
			if math.IsNaN(v) || v <= limit {
				return
			}
			missed = true
			ctl, ctlFloor := r.ratio(id, c+"/control"), r.ratio(control, c)
			if math.IsNaN(ctl) {
				w("- terraform %s, %s of `%s`: %.2f × its floor (target ≤ %.1f); no control ran.\n", r.cli.Version, c, id, v, limit)
				return
			}
			verdict := "so the excess over the floor is terraform's handling of state of that size, not the provider's work"
			if ctl > 1.0 {
				verdict = fmt.Sprintf("so state size explains part of the excess and the remaining %.0f %% over the control is not explained by it", (ctl-1)*100)
			}
			w("- terraform %s, %s of `%s`: %.2f × its floor (target ≤ %.1f); CPU against the floor's: the provider %.2f ×, terraform itself %.2f ×. `%s`, hashicorp/time with as many state bytes per resource, is itself %.2f × the floor, and `%s` ÷ `%s` = %.2f: %s.\n",
				r.cli.Version, c, id, v, limit, r.ratio(id, c+"/plugincpu"), r.ratio(id, c+"/tfcpu"), control, ctlFloor, id, control, ctl, verdict)
		}
		for _, c := range commands {
			check(kindIntegrations, c, kindTimePadded, overheadLimits[c])
		}
		check(kindCatalog, cmdApply, kindTimePairPad, catalogApplyLimit)
	}
	if !missed {
		w("Every overhead target is met on every CLI.\n")
	}
	return sb.String()
}

// summary is the targets of every CLI for the terminal.
func (b *benchReport) summary() string {
	var sb strings.Builder
	for _, r := range b.per {
		sb.WriteString(r.summary())
	}
	return sb.String()
}
