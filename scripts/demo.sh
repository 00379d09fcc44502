#!/usr/bin/env bash
# make demo: build the provider, start the emulator, apply examples/demo with
# the local build (dev_overrides, no registry), show that a key of another
# Stripe account forces replacement, then destroy and stop the emulator.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN="$ROOT/bin"
TF="${DEMO_CLI:-$BIN/terraform}"
WORK=$(mktemp -d)
EMU_PID=""

cleanup() {
	if [[ -n "$EMU_PID" ]]; then kill "$EMU_PID" 2>/dev/null || true; wait "$EMU_PID" 2>/dev/null || true; fi
	rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Building the provider and the emulator"
go build -o "$BIN/terraform-provider-apiconnect" "$ROOT"
go build -o "$BIN/apic-emulator" "$ROOT/internal/cmd/apic-emulator"

step "Starting the API Connect emulator"
"$BIN/apic-emulator" -addr 127.0.0.1:0 -env-file "$WORK/emulator.env" >"$WORK/emulator.out" 2>&1 &
EMU_PID=$!
for _ in $(seq 1 50); do [[ -s "$WORK/emulator.env" ]] && break; sleep 0.1; done
[[ -s "$WORK/emulator.env" ]] || { cat "$WORK/emulator.out" >&2; echo "emulator did not start" >&2; exit 1; }
set -a
# shellcheck disable=SC1091
source "$WORK/emulator.env"
set +a
echo "platform API: $APIC_ENDPOINT (org $APIC_ORG), Stripe fake: $APIC_STRIPE_API_BASE"

# Terraform uses the local build through dev_overrides: no registry, no init.
cat >"$WORK/demo.tfrc" <<RC
provider_installation {
  dev_overrides {
    "apiconnect-community/apiconnect" = "$BIN"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$WORK/demo.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
cp -r "$ROOT/examples/demo/." "$WORK/config/" 2>/dev/null || { mkdir -p "$WORK/config"; cp -r "$ROOT/examples/demo/." "$WORK/config/"; }
cd "$WORK/config"

# Keys of the emulator's Stripe fake: sk_<mode>_<16-character account token><anything>
# belongs to acct_<token> (internal/emulator/stripe.go).
export TF_VAR_test_publishable_key=pk_test_DemoAccount000001demo
export TF_VAR_test_secret_key=sk_test_DemoAccount000001demo
export TF_VAR_live_publishable_key=pk_live_DemoAccount000001demo
export TF_VAR_live_secret_key=sk_live_DemoAccount000001demo

step "terraform apply"
"$TF" apply -auto-approve -input=false -no-color 2>&1 | grep -v -e '^$' | grep -v -e 'Warning: Provider development overrides' -e 'The following provider development' -e 'apiconnect-community/apiconnect in' -e 'skip-provider-verification' -e 'behavior may therefore' -e 'published releases' -e '^│ *$' -e '^╵' -e '^╷' || true
"$TF" output -no-color integrations >/dev/null

step "Outputs: integrations, the Catalogs they are in, and the live job queue"
"$TF" output -no-color

step "Rotating the live key within the same account: an in-place update"
"$TF" plan -no-color -input=false -var live_secret_key=sk_live_DemoAccount000001rot2 2>/dev/null | grep -E '^  # |will be updated|forces replacement|Plan:' || true

step "A live key of ANOTHER Stripe account: the plan must say 'forces replacement'"
plan_out=$("$TF" plan -no-color -input=false \
	-var live_publishable_key=pk_live_OtherAccount00002demo \
	-var live_secret_key=sk_live_OtherAccount00002demo 2>&1) || { echo "$plan_out"; exit 1; }
echo "$plan_out" | grep -E '^  # |# forces replacement|Plan:' || true
# The provider's warning explains why (shown once per replaced integration).
awk '/Warning: Stripe key change forces replacement/{n++; c=(n==1)?9:0} c&&c--' <<<"$plan_out"
if ! grep -q "forces replacement" <<<"$plan_out"; then
	echo "expected a replacement plan" >&2
	exit 1
fi

step "terraform destroy"
"$TF" destroy -auto-approve -input=false -no-color 2>&1 | grep -E 'Destroy complete|Destroying|destroyed' || true

step "Stopping the emulator"
kill "$EMU_PID" && wait "$EMU_PID" 2>/dev/null || true
EMU_PID=""
echo "demo finished"
