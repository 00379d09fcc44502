#!/usr/bin/env bash
# make bench: performance of the provider against its floors, written to
# BENCHMARKS.md (the generated section between the bench:begin/end markers).
#
#  1. installs terraform 1.5.7, Terraform 1.15.9 and hashicorp/time into bin/
#     (scripts/install-tools.sh),
#  2. builds the provider, the emulator and the harness (internal/cmd/bench),
#  3. runs the Go benchmarks of the hot paths (internal/stripekey, internal/apic),
#  4. runs the harness: it starts the emulator as a standalone process (and a
#     second one with -latency), and times terraform apply / a no-change plan /
#     destroy of N integrations, N integrations + N catalog billings,
#     N time_static and N terraform_data (and hashicorp/time padded to the
#     same state bytes, the controls), on both CLIs, 5 runs each, N = 300.
#
# Env: BENCH_ARGS  extra harness flags, e.g. BENCH_ARGS="-n 50 -runs 1"
#                  (see: go run ./internal/cmd/bench -h)
#      BENCH_GO    set to 0 to skip the Go benchmarks
# It takes about 35-45 minutes on 2 CPUs.
# Not part of make test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/bin"
OUT="$ROOT/.test-output"
mkdir -p "$OUT"

if [[ "$(uname -s)" != "Linux" ]]; then
	echo "bench.sh: the harness samples /proc and needs Linux" >&2
	exit 2
fi

echo "==> tools"
bash "$ROOT/scripts/install-tools.sh" terraform terraform-1.15 time-provider

echo "==> build"
(cd "$ROOT" && go build -o "$BIN/terraform-provider-apiconnect" .)
(cd "$ROOT" && go build -o "$BIN/apic-emulator" ./internal/cmd/apic-emulator)
(cd "$ROOT" && go build -o "$BIN/bench" ./internal/cmd/bench)

args=(-root "$ROOT")
if [[ "${BENCH_GO:-1}" != "0" ]]; then
	echo "==> go test -bench (internal/stripekey, internal/apic)"
	gobench="$OUT/gobench.txt"
	(cd "$ROOT" && go test -run '^$' -bench . -benchmem -benchtime=200ms -count=1 ./internal/stripekey/ ./internal/apic/) | tee "$gobench"
	args+=(-gobench "$gobench")
fi

echo "==> terraform benchmarks"
# shellcheck disable=SC2086 # BENCH_ARGS is a list of flags
"$BIN/bench" "${args[@]}" ${BENCH_ARGS:-}
