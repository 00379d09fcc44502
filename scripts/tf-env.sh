#!/usr/bin/env bash
# Runs a command with an empty Terraform/OpenTofu CLI configuration of our own
# (see cli_config in scripts/lib.sh), for make targets that run a CLI.
# Usage: scripts/tf-env.sh COMMAND [ARGS...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
cli_config "$ROOT/.test-output/empty.tfrc"
exec "$@"
