// Command profprovider is the apiconnect provider with profiling, to find
// out what a benchmark miss comes from. It is never released: build it as
// terraform-provider-apiconnect into a directory of its own and point
// dev_overrides there (internal/cmd/bench -provider-dir does).
//
// It serves exactly what the real main.go serves. With BENCH_PROFILE_DIR
// set, every provider process writes into that directory, when terraform
// shuts it down:
//
//	cpu-<pid>.pprof   CPU profile of the whole process
//	heap-<pid>.pprof  heap profile (alloc_space: what was allocated, and where)
//	mem-<pid>.json    peaks of the Go heap sampled every 5ms, GC cycles, VmHWM
//
// BENCH_GOMEMLIMIT (bytes, or with a KiB/MiB/GiB suffix) and BENCH_GOGC
// set the provider's soft memory limit and GC percentage in-process, to try
// them on the provider alone (GOMEMLIMIT and GOGC in the environment would
// apply to terraform as well).
package main

import (
	"encoding/json"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/provider"
)

type memReport struct {
	PID               int    `json:"pid"`
	Lifetime          string `json:"lifetime"`
	PeakHeapObjects   uint64 `json:"peak_heap_objects_bytes"`
	PeakRuntimeMapped uint64 `json:"peak_runtime_total_bytes"`
	TotalAlloc        uint64 `json:"total_alloc_bytes"`
	GCCycles          uint64 `json:"gc_cycles"`
	VMHWM             string `json:"vm_hwm"`
	GOGC              string `json:"gogc,omitempty"`
	GOMEMLIMIT        string `json:"gomemlimit,omitempty"`
}

func main() {
	if v := os.Getenv("BENCH_GOMEMLIMIT"); v != "" {
		if n, ok := parseBytes(v); ok {
			debug.SetMemoryLimit(n)
		}
	}
	if v := os.Getenv("BENCH_GOGC"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			debug.SetGCPercent(n)
		}
	}
	provider.SilenceUnrequestedLogs() // as main.go does
	dir := os.Getenv("BENCH_PROFILE_DIR")
	var stop func()
	if dir != "" {
		stop = startProfiling(dir)
	}
	newServer := provider.NewProtocol6Server("bench") // as main.go serves it
	err := tf6server.Serve("registry.terraform.io/apiconnect-community/apiconnect", func() tfprotov6.ProviderServer {
		s, _ := newServer()
		return s
	})
	if stop != nil {
		stop()
	}
	if err != nil {
		log.Fatal(err.Error())
	}
}

func parseBytes(v string) (int64, bool) {
	mult := int64(1)
	for suffix, m := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if s, ok := strings.CutSuffix(v, suffix); ok {
			v, mult = s, m
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return n * mult, err == nil && n > 0
}

func startProfiling(dir string) func() {
	pid := os.Getpid()
	start := time.Now()
	name := func(kind, ext string) string { return filepath.Join(dir, kind+"-"+strconv.Itoa(pid)+ext) }
	cpuf, err := os.Create(name("cpu", ".pprof"))
	if err == nil {
		if err := pprof.StartCPUProfile(cpuf); err != nil {
			_ = cpuf.Close()
			cpuf = nil
		}
	}
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/gc/heap/allocs:bytes"},
		{Name: "/gc/cycles/total:gc-cycles"},
	}
	rep := memReport{PID: pid, GOGC: os.Getenv("BENCH_GOGC"), GOMEMLIMIT: os.Getenv("BENCH_GOMEMLIMIT")}
	var mu sync.Mutex
	sample := func() {
		metrics.Read(samples)
		mu.Lock()
		rep.PeakHeapObjects = max(rep.PeakHeapObjects, samples[0].Value.Uint64())
		rep.PeakRuntimeMapped = max(rep.PeakRuntimeMapped, samples[1].Value.Uint64())
		rep.TotalAlloc = samples[2].Value.Uint64()
		rep.GCCycles = samples[3].Value.Uint64()
		mu.Unlock()
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			sample()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		sample()
		if cpuf != nil {
			pprof.StopCPUProfile()
			_ = cpuf.Close()
		}
		runtime.GC()
		if f, err := os.Create(name("heap", ".pprof")); err == nil {
			_ = pprof.Lookup("heap").WriteTo(f, 0)
			_ = f.Close()
		}
		if b, err := os.ReadFile("/proc/self/status"); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					rep.VMHWM = strings.TrimSpace(v)
				}
			}
		}
		rep.Lifetime = time.Since(start).Round(time.Millisecond).String()
		mu.Lock()
		b, _ := json.MarshalIndent(rep, "", "  ")
		mu.Unlock()
		_ = os.WriteFile(name("mem", ".json"), b, 0o600)
	}
}
