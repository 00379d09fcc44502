#!/usr/bin/env bash
# Installs the build/test tools of this repository into $ROOT/bin, building
# each one from source through the Go module proxy (no prebuilt downloads).
#
# Usage: scripts/install-tools.sh [tool...]
#   tools: terraform terraform-1.15 tofu stripe-mock golangci-lint tfplugindocs time-provider
#          goreleaser (default: all)
#
# Idempotent: a tool already present in bin/ (at the expected version, where
# the binary can tell) is skipped. Prints one line per tool.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/bin"

TERRAFORM_VERSION="1.5.7"
# The newest Terraform, what users run today (write-only, identity, query,
# actions). The proxy's version list stops at 1.13, but exact versions download.
TERRAFORM_NEW_VERSION="1.15.9"
TOFU_VERSION="1.12.6"
STRIPE_MOCK_VERSION="0.203.0"
GOLANGCI_LINT_VERSION="2.15.0"
# hashicorp/time, the plugin floor of make bench (built on terraform-plugin-framework).
TIME_PROVIDER_VERSION="0.14.2"
# The release build (make release-check). v2.18+ need a newer Go than go.mod's.
GORELEASER_VERSION="2.15.1"

ALL_TOOLS=(terraform terraform-1.15 tofu stripe-mock golangci-lint tfplugindocs time-provider goreleaser)

mkdir -p "$BIN"

CLEANUP=()
cleanup() {
	local d
	for d in "${CLEANUP[@]}"; do
		chmod -R u+w "$d" 2>/dev/null || true
		rm -rf "$d"
	done
}
trap cleanup EXIT

# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
PROBE_TFRC="$(mktemp)"
CLEANUP+=("$PROBE_TFRC")

# first_line CMD... -> first line of CMD's stdout ("" if it fails). Captured
# in full before cutting, so no SIGPIPE under pipefail.
first_line() {
	local out
	out="$(cli_config "$PROBE_TFRC" && "$@" 2>/dev/null)" || return 0
	printf '%s\n' "${out%%$'\n'*}"
}

log() { printf '%-14s %s\n' "$1:" "$2"; }

# gomod_version MODULE -> version of MODULE required in $ROOT/go.mod
gomod_version() {
	awk -v mod="$1" '
		$1 == "require" && $2 == mod { print $3; exit }
		$1 == mod { print $2; exit }
	' "$ROOT/go.mod"
}

install_terraform() {
	local bin="$BIN/terraform"
	if [[ -x "$bin" && "$(first_line "$bin" version)" == "Terraform v${TERRAFORM_VERSION}" ]]; then
		log terraform "already installed (v${TERRAFORM_VERSION})"
		return
	fi
	GOBIN="$BIN" go install "github.com/hashicorp/terraform@v${TERRAFORM_VERSION}"
	log terraform "installed v${TERRAFORM_VERSION} -> bin/terraform"
}

# module_src MODULE@VERSION: sets MODULE_SRC to a writable copy of the
# module's source, downloaded through the proxy from a throwaway module so that
# this repository's go.mod/go.sum are never touched. Removed on exit. (A global,
# not $(…): CLEANUP must grow in this shell.)
module_src() {
	local tmp dir
	tmp="$(mktemp -d)"
	CLEANUP+=("$tmp")
	mkdir -p "$tmp/dl"
	printf 'module tooldownload\n\ngo 1.26\n' >"$tmp/dl/go.mod"
	dir="$(cd "$tmp/dl" && GOFLAGS=-mod=mod go mod download -json "$1" |
		sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
	if [[ -z "$dir" || ! -d "$dir" ]]; then
		echo "install-tools: could not download $1" >&2
		return 1
	fi
	cp -R "$dir" "$tmp/src"
	chmod -R u+w "$tmp/src"
	MODULE_SRC="$tmp/src"
}

# Terraform >= 1.6 carries replace directives to nested modules that the
# module zip lacks: drop those backends (tests use local state) and build.
install_terraform_new() {
	local bin="$BIN/terraform-1.15"
	if [[ -x "$bin" && "$(first_line "$bin" version)" == "Terraform v${TERRAFORM_NEW_VERSION}" ]]; then
		log terraform-1.15 "already installed (v${TERRAFORM_NEW_VERSION})"
		return
	fi
	local src m
	module_src "github.com/hashicorp/terraform@v${TERRAFORM_NEW_VERSION}" || return 1
	src="$MODULE_SRC"
	local backends=(azure consul cos gcs kubernetes oci oss pg s3)
	(
		cd "$src"
		for m in "${backends[@]}"; do
			go mod edit -dropreplace="github.com/hashicorp/terraform/internal/backend/remote-state/$m" \
				-droprequire="github.com/hashicorp/terraform/internal/backend/remote-state/$m"
		done
		go mod edit -dropreplace=github.com/hashicorp/terraform/internal/legacy \
			-droprequire=github.com/hashicorp/terraform/internal/legacy
		# Remove the dropped backends' imports and registrations.
		sed -i -E \
			-e '/backend\/remote-state\/(azure|consul|cos|gcs|kubernetes|oci|oss|pg|s3)"/d' \
			-e '/^[[:space:]]*"(azurerm|consul|cos|gcs|kubernetes|oss|pg|s3|oci)":/d' \
			internal/backend/init/init.go
		CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
			-ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" -o "$bin" .
	)
	local got
	got="$(first_line "$bin" version)"
	if [[ "$got" != "Terraform v${TERRAFORM_NEW_VERSION}" ]]; then
		echo "install-tools: bin/terraform-1.15 reports '$got', expected 'Terraform v${TERRAFORM_NEW_VERSION}'" >&2
		return 1
	fi
	log terraform-1.15 "installed v${TERRAFORM_NEW_VERSION} -> bin/terraform-1.15"
}

install_tofu() {
	local bin="$BIN/tofu"
	if [[ -x "$bin" && "$(first_line "$bin" version)" == "OpenTofu v${TOFU_VERSION}" ]]; then
		log tofu "already installed (v${TOFU_VERSION})"
		return
	fi
	local src
	module_src "github.com/opentofu/opentofu@v${TOFU_VERSION}" || return 1
	src="$MODULE_SRC"
	# version.dev=no drops the "-dev" prerelease marker (same as upstream's
	# .goreleaser.yaml); Version itself comes from the embedded VERSION file.
	(cd "$src" && CGO_ENABLED=0 go build -mod=readonly -trimpath \
		-ldflags "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'" \
		-o "$bin" ./cmd/tofu)
	local got
	got="$(first_line "$bin" version)"
	if [[ "$got" != "OpenTofu v${TOFU_VERSION}" ]]; then
		echo "install-tools: bin/tofu reports '$got', expected 'OpenTofu v${TOFU_VERSION}'" >&2
		return 1
	fi
	log tofu "installed v${TOFU_VERSION} -> bin/tofu"
}

install_stripe_mock() {
	if [[ -x "$BIN/stripe-mock" ]]; then
		log stripe-mock "already installed"
		return
	fi
	GOBIN="$BIN" go install "github.com/stripe/stripe-mock@v${STRIPE_MOCK_VERSION}"
	log stripe-mock "installed v${STRIPE_MOCK_VERSION} -> bin/stripe-mock"
}

install_golangci_lint() {
	local bin="$BIN/golangci-lint"
	if [[ -x "$bin" && "$(first_line "$bin" version)" == *"version ${GOLANGCI_LINT_VERSION} "* ]]; then
		log golangci-lint "already installed (v${GOLANGCI_LINT_VERSION})"
		return
	fi
	GOBIN="$BIN" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v${GOLANGCI_LINT_VERSION}"
	log golangci-lint "installed v${GOLANGCI_LINT_VERSION} -> bin/golangci-lint"
}

install_tfplugindocs() {
	local mod=github.com/hashicorp/terraform-plugin-docs
	local pkg=$mod/cmd/tfplugindocs
	local ver
	ver="$(gomod_version "$mod")"
	if [[ -z "$ver" ]]; then
		echo "install-tools: $mod is not required in go.mod" >&2
		return 1
	fi
	local stamp="$BIN/.tfplugindocs.version"
	if [[ -x "$BIN/tfplugindocs" && -f "$stamp" && "$(cat "$stamp")" == "$ver" ]]; then
		log tfplugindocs "already installed ($ver)"
		return
	fi
	# Built inside this module, with the dependency versions of our go.mod
	# (pinned by tools/tools.go). -mod=readonly: never rewrite go.mod/go.sum.
	(cd "$ROOT" && go build -mod=readonly -o "$BIN/tfplugindocs" "$pkg")
	printf '%s\n' "$ver" >"$stamp"
	log tfplugindocs "installed $ver -> bin/tfplugindocs"
}

# gobin_module_version BIN MODULE -> the version of MODULE a Go binary was built from.
gobin_module_version() {
	local out
	out="$(go version -m "$1" 2>/dev/null)" || return 0
	awk -v mod="$2" '$1 == "mod" && $2 == mod { print $3; exit }' <<<"$out"
}

install_time_provider() {
	local mod=github.com/hashicorp/terraform-provider-time
	local bin="$BIN/terraform-provider-time"
	if [[ -x "$bin" && "$(gobin_module_version "$bin" "$mod")" == "v${TIME_PROVIDER_VERSION}" ]]; then
		log time-provider "already installed (v${TIME_PROVIDER_VERSION})"
		return
	fi
	# Built from the module proxy like the other tools; used by make bench
	# through dev_overrides for hashicorp/time.
	GOBIN="$BIN" go install "$mod@v${TIME_PROVIDER_VERSION}"
	log time-provider "installed v${TIME_PROVIDER_VERSION} -> bin/terraform-provider-time"
}

install_goreleaser() {
	local mod=github.com/goreleaser/goreleaser/v2
	local bin="$BIN/goreleaser"
	if [[ -x "$bin" && "$(gobin_module_version "$bin" "$mod")" == "v${GORELEASER_VERSION}" ]]; then
		log goreleaser "already installed (v${GORELEASER_VERSION})"
		return
	fi
	GOBIN="$BIN" go install "$mod@v${GORELEASER_VERSION}"
	log goreleaser "installed v${GORELEASER_VERSION} -> bin/goreleaser"
}

tools=("$@")
if [[ ${#tools[@]} -eq 0 ]]; then
	tools=("${ALL_TOOLS[@]}")
fi

for tool in "${tools[@]}"; do
	case "$tool" in
	terraform) install_terraform ;;
	terraform-1.15) install_terraform_new ;;
	tofu) install_tofu ;;
	stripe-mock) install_stripe_mock ;;
	golangci-lint) install_golangci_lint ;;
	tfplugindocs) install_tfplugindocs ;;
	time-provider) install_time_provider ;;
	goreleaser) install_goreleaser ;;
	*)
		echo "install-tools: unknown tool '$tool' (known: ${ALL_TOOLS[*]})" >&2
		exit 2
		;;
	esac
done
