#!/usr/bin/env bash
# Runs the acceptance tests (TestAcc*) of ./internal/... against one CLI.
#
# Usage: scripts/acc.sh <terraform|terraform-1.15|tofu>
#   terraform       bin/terraform, Terraform 1.5.7 (the oldest supported)
#   terraform-1.15  bin/terraform-1.15, Terraform 1.15.9 (what users run today)
#   tofu            bin/tofu, OpenTofu 1.12.6
# Env:   ACC_RUN      -run regex (default '^TestAcc')
#        ACC_TIMEOUT  go test -timeout (default 30m)
#
# Output is teed to .test-output/acc-<cli>.log; a summary computed from that
# log is printed at the end. Exits non-zero if any test (or the build) failed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

cli="${1:-}"
case "$cli" in
terraform | terraform-1.15 | tofu) ;;
*)
	echo "usage: $0 <terraform|terraform-1.15|tofu>" >&2
	exit 2
	;;
esac

cli_path="$ROOT/bin/$cli"
if [[ ! -x "$cli_path" ]]; then
	echo "acc.sh: $cli_path missing; run: scripts/install-tools.sh $cli" >&2
	exit 2
fi

out_dir="$ROOT/.test-output"
mkdir -p "$out_dir"
log="$out_dir/acc-$cli.log"

cli_config "$out_dir/acc-$cli.tfrc"
export TF_ACC=1
export TF_ACC_TERRAFORM_PATH="$cli_path"
if [[ "$cli" == "tofu" ]]; then
	export TF_ACC_PROVIDER_HOST=registry.opentofu.org
else
	unset TF_ACC_PROVIDER_HOST
fi

run_regex="${ACC_RUN:-^TestAcc}"
timeout="${ACC_TIMEOUT:-30m}"

echo "==> acceptance tests on $cli ($("$cli_path" version | head -n1)), -run '$run_regex'"
cd "$ROOT"
start=$SECONDS
set +e
go test -count=1 -timeout "$timeout" -run "$run_regex" -v ./internal/... 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

count() { grep -cE "$1" "$log" || true; }
pass=$(count '^[[:space:]]*--- PASS: TestAcc')
fail=$(count '^[[:space:]]*--- FAIL:')
skip=$(count '^[[:space:]]*--- SKIP:')

echo
echo "==> acceptance summary ($cli): pass=$pass fail=$fail skip=$skip exit=$rc time=$((SECONDS - start))s log=${log#"$ROOT"/}" | tee -a "$log"
# Lines the provider tests print themselves (e.g.
# "ACCEPTANCE SUMMARY cli=terraform version=1.5.7 tests=14 steps=40 skipped=0";
# cli is the CLI's own name, so bin/terraform-1.15 reports cli=terraform).
summaries=$(grep -oE 'ACCEPTANCE SUMMARY.*' "$log" || true)
if [[ -n "$summaries" ]]; then
	printf '%s\n' "$summaries"
else
	echo "(no ACCEPTANCE SUMMARY line printed by the tests)"
fi

if [[ $rc -ne 0 || $fail -ne 0 ]]; then
	echo "==> acceptance tests on $cli FAILED" >&2
	[[ $rc -ne 0 ]] && exit "$rc"
	exit 1
fi
