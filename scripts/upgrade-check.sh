#!/usr/bin/env bash
# Users upgrade under existing state: state that an earlier build of the
# provider wrote must plan empty with this tree's build.
#
# Builds the provider at BASE (a git revision, in a temporary worktree) and
# from this tree, starts the emulator, applies a configuration (integrations
# with secret_key and, on CLIs that support it, secret_key_wo; a catalog
# billing; data sources and an output of them) with the BASE build, then
# plans it with this build and expects no change; applies and plans once more,
# and destroys.
#
# Usage: scripts/upgrade-check.sh [BASE] [CLI]
#   BASE  git revision of the earlier build (default: main)
#   CLI   terraform, terraform-1.15 or tofu in bin/ (default: terraform)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

base=${1:-main}
cli=${2:-terraform}
TF="$ROOT/bin/$cli"
[[ -x "$TF" ]] || { echo "upgrade-check.sh: $TF missing; run scripts/install-tools.sh $cli" >&2; exit 2; }

WORK=$(mktemp -d)
cleanup() {
	stop_emulator
	git -C "$ROOT" worktree remove --force "$WORK/base" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

echo "==> building the provider at $base ($(git -C "$ROOT" rev-parse --short "$base")) and at this tree"
git -C "$ROOT" worktree add --quiet --detach "$WORK/base" "$base"
mkdir -p "$WORK/old" "$WORK/new" "$WORK/emu" "$WORK/config"
(cd "$WORK/base" && go build -o "$WORK/old/terraform-provider-apiconnect" .)
(cd "$ROOT" && go build -o "$WORK/new/terraform-provider-apiconnect" .)
(cd "$ROOT" && go build -o "$WORK/emu/apic-emulator" ./internal/cmd/apic-emulator)
start_emulator "$WORK/emu"
export TF_VAR_stripe_api_base="$APIC_STRIPE_API_BASE"

# Write-only attributes need Terraform or OpenTofu 1.11 or later.
version=$(TF_CLI_CONFIG_FILE=/dev/null "$TF" version -json | sed -n 's/.*"terraform_version": *"\([0-9.]*\).*/\1/p')
write_only=false
if [[ "$(printf '%s\n1.11.0\n' "$version" | sort -V | head -n1)" == "1.11.0" ]]; then write_only=true; fi
echo "==> $cli $version (write-only attributes: $write_only)"

cat >"$WORK/config/main.tf" <<'HCL'
terraform {
  required_providers {
    apiconnect = { source = "apiconnect-community/apiconnect" }
  }
}

variable "stripe_api_base" { type = string }

provider "apiconnect" {
  stripe_api_base = var.stripe_api_base
}

resource "apiconnect_billing_integration" "stored" {
  title           = "Upgrade stored key"
  summary         = "written by the earlier build"
  publishable_key = "pk_test_UpgradeStored0001a"
  secret_key      = "sk_test_UpgradeStored0001a"
}

resource "apiconnect_catalog_billing" "sandbox" {
  catalog     = "sandbox"
  billing_url = apiconnect_billing_integration.stored.url
}

data "apiconnect_billing_integration" "stored" {
  name = apiconnect_billing_integration.stored.name
}

data "apiconnect_billing_integrations" "all" {
  depends_on = [apiconnect_billing_integration.stored]
}

output "read_back" {
  value = {
    one = data.apiconnect_billing_integration.stored
    # The list as read with this integration (another one may be created
    # after the read, in the same apply).
    all = [for i in data.apiconnect_billing_integrations.all.integrations : i if i.name == apiconnect_billing_integration.stored.name]
  }
}
HCL
if $write_only; then
	cat >>"$WORK/config/main.tf" <<'HCL'

resource "apiconnect_billing_integration" "write_only" {
  title                 = "Upgrade write-only key"
  publishable_key       = "pk_test_UpgradeWriteOnly1a"
  secret_key_wo         = "sk_test_UpgradeWriteOnly1a"
  secret_key_wo_version = "1"
}
HCL
fi
cd "$WORK/config"

echo "==> apply with the build of $base"
cli_config "$WORK/old.tfrc" "$WORK/old"
"$TF" apply -auto-approve -input=false -no-color >"$WORK/apply-old.log" 2>&1 || { cat "$WORK/apply-old.log" >&2; exit 1; }

plan_empty() {
	local rc=0
	"$TF" plan -detailed-exitcode -input=false -no-color >"$WORK/plan.log" 2>&1 || rc=$?
	if [[ $rc -ne 0 ]]; then
		cat "$WORK/plan.log" >&2
		echo "==> FAILED: $1 (plan exit $rc, want 0: no changes)" >&2
		exit 1
	fi
	echo "    $1: no changes"
}

echo "==> plan with this build"
cli_config "$WORK/new.tfrc" "$WORK/new"
plan_empty "state of $base, planned by this build"
"$TF" apply -auto-approve -input=false -no-color >"$WORK/apply-new.log" 2>&1 || { cat "$WORK/apply-new.log" >&2; exit 1; }
plan_empty "after an apply (refresh) by this build"
"$TF" destroy -auto-approve -input=false -no-color >"$WORK/destroy.log" 2>&1 || { cat "$WORK/destroy.log" >&2; exit 1; }
echo "==> upgrade from $base on $cli: OK"
