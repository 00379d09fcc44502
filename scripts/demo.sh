#!/usr/bin/env bash
# make demo: build the provider, start the emulator, apply examples/demo with
# the local build (dev_overrides, no registry), show that a key of another
# Stripe account forces replacement, then destroy and stop the emulator.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
BIN="$ROOT/bin"
TF="${DEMO_CLI:-$BIN/terraform}"
WORK=$(mktemp -d)

cleanup() {
	stop_emulator
	rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# tf ARGS...: runs the CLI with its output in $WORK/tf.log; on failure prints
# that output and stops the demo with the CLI's exit status.
tf() {
	local rc=0 flags=(-no-color)
	[[ $1 == output ]] || flags+=(-input=false)
	"$TF" "$@" "${flags[@]}" >"$WORK/tf.log" 2>&1 || rc=$?
	if [[ $rc -ne 0 ]]; then
		cat "$WORK/tf.log" >&2
		echo "demo: $(basename "$TF") $1 failed (exit $rc)" >&2
		exit "$rc"
	fi
}

# shown FILTER...: the lines of the last CLI output that match (grep -E).
shown() { grep -E "$@" "$WORK/tf.log" || true; }

step "Building the provider and the emulator"
go build -o "$BIN/terraform-provider-apiconnect" "$ROOT"
go build -o "$WORK/apic-emulator" "$ROOT/internal/cmd/apic-emulator"

step "Starting the API Connect emulator"
start_emulator "$WORK"
echo "platform API: $APIC_ENDPOINT (org $APIC_ORG), Stripe fake: $APIC_STRIPE_API_BASE"

# Terraform uses the local build through dev_overrides: no registry, no init.
cli_config "$WORK/demo.tfrc" "$BIN"
mkdir -p "$WORK/config"
cp -r "$ROOT/examples/demo/." "$WORK/config/"
cd "$WORK/config"

# Keys of the emulator's Stripe fake: sk_<mode>_<16-character account token><anything>
# belongs to acct_<token> (internal/emulator/stripe.go).
export TF_VAR_test_publishable_key=pk_test_DemoAccount000001demo
export TF_VAR_test_secret_key=sk_test_DemoAccount000001demo
export TF_VAR_live_publishable_key=pk_live_DemoAccount000001demo
export TF_VAR_live_secret_key=sk_live_DemoAccount000001demo

step "terraform apply"
tf apply -auto-approve
shown -e '(Creating|Creation complete|Apply complete)'

step "Outputs: integrations, the Catalogs they are in, and the live job queue"
tf output
cat "$WORK/tf.log"

step "Rotating the live key within the same account: an in-place update"
tf plan -var live_secret_key=sk_live_DemoAccount000001rot2
shown -e '^  # |will be updated|forces replacement|Plan:'

step "A live key of ANOTHER Stripe account: the plan must say 'forces replacement'"
tf plan -var live_publishable_key=pk_live_OtherAccount00002demo -var live_secret_key=sk_live_OtherAccount00002demo
shown -e '^  # |# forces replacement|Plan:'
# The provider's warning explains why (shown once per replaced integration).
awk '/Warning: Stripe key change forces replacement/{n++; c=(n==1)?9:0} c&&c--' "$WORK/tf.log"
if ! grep -q "forces replacement" "$WORK/tf.log"; then
	echo "expected a replacement plan" >&2
	exit 1
fi

step "terraform destroy"
tf destroy -auto-approve
shown -e 'Destroy complete|Destroying|destroyed'

step "Stopping the emulator"
stop_emulator
echo "demo finished"
