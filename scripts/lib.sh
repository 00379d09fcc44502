# shellcheck shell=bash
# Helpers shared by the scripts of this repository; source it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# cli_config FILE [PROVIDER_DIR]: writes a Terraform/OpenTofu CLI
# configuration of our own to FILE and exports TF_CLI_CONFIG_FILE to it, with
# CHECKPOINT_DISABLE and TF_IN_AUTOMATION. With PROVIDER_DIR, it holds
# dev_overrides that make the CLI use the provider binary built there (no
# registry, no init); else it is empty.
#
# Every script that runs terraform or tofu uses it: the machine's environment
# may point TF_CLI_CONFIG_FILE at a file that does not exist, and the CLIs
# then print a warning that terraform-plugin-testing cannot parse.
cli_config() {
	local file=$1 dir=${2:-}
	mkdir -p "$(dirname "$file")"
	if [[ -n "$dir" ]]; then
		cat >"$file" <<RC
provider_installation {
  dev_overrides {
    "apiconnect-community/apiconnect" = "$dir"
  }
  direct {}
}
RC
	else
		: >"$file"
	fi
	export TF_CLI_CONFIG_FILE="$file" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
}

# start_emulator DIR [FLAGS...]: starts the emulator binary DIR/apic-emulator
# on a free local port, waits until it has written DIR/emulator.env, and
# exports what that file sets (APIC_ENDPOINT, APIC_ORG, credentials,
# APIC_STRIPE_API_BASE). EMULATOR_PID is set; stop_emulator stops it.
start_emulator() {
	local dir=$1
	shift
	"$dir/apic-emulator" -addr 127.0.0.1:0 -env-file "$dir/emulator.env" "$@" >"$dir/emulator.out" 2>&1 &
	EMULATOR_PID=$!
	for _ in $(seq 1 100); do
		[[ -s "$dir/emulator.env" ]] && break
		sleep 0.1
	done
	if [[ ! -s "$dir/emulator.env" ]]; then
		cat "$dir/emulator.out" >&2
		echo "the emulator did not start" >&2
		return 1
	fi
	set -a
	# shellcheck disable=SC1091
	source "$dir/emulator.env"
	set +a
}

stop_emulator() {
	if [[ -n "${EMULATOR_PID:-}" ]]; then
		kill "$EMULATOR_PID" 2>/dev/null || true
		wait "$EMULATOR_PID" 2>/dev/null || true
		EMULATOR_PID=""
	fi
}
