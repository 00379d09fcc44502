#!/usr/bin/env bash
# Exercises the release pipeline offline: validates .goreleaser.yml, builds a
# snapshot release for this machine's platform (no signing: that needs the
# registry key, which CI does not have; nothing is published), and checks
# what the registries need: the zip with the provider binary, the
# SHA256SUMS covering it and the manifest, and the manifest's protocol 6.0.
#
# Usage: scripts/release-check.sh   (make release-check)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GORELEASER="$ROOT/bin/goreleaser"
cd "$ROOT"

if [[ ! -x "$GORELEASER" ]]; then
	echo "release-check: $GORELEASER missing; run: scripts/install-tools.sh goreleaser" >&2
	exit 2
fi

echo "==> goreleaser check"
"$GORELEASER" check

# goreleaser v2.15 has --single-target on `build` only: the release runs on a
# copy of the configuration whose build matrix is this machine's platform
# (targets: replaces goos/goarch/ignore), with archives, SHA256SUMS and the
# manifest exactly as configured.
goos="$(go env GOOS)"
goarch="$(go env GOARCH)"
single="$ROOT/.goreleaser.single-target.yml"
trap 'rm -f "$single"' EXIT
awk -v target="${goos}_${goarch}" '
	/^    goos:/ { skip = 1; print "    targets:"; print "      - " target; next }
	skip && /^    binary:/ { skip = 0 }
	!skip { print }
' .goreleaser.yml >"$single"
grep -q "^      - ${goos}_${goarch}\$" "$single" || { echo "release-check: could not narrow the build matrix of .goreleaser.yml" >&2; exit 1; }

echo "==> goreleaser release --snapshot --clean --skip=sign,publish (single target ${goos}_${goarch})"
"$GORELEASER" release --config "$single" --snapshot --clean --skip=sign,publish

fail() {
	echo "release-check: $*" >&2
	exit 1
}

dist="$ROOT/dist"
version="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$dist/metadata.json" | head -n1)"
[[ -n "$version" ]] || fail "no version in dist/metadata.json"
project=terraform-provider-apiconnect

zip="$dist/${project}_${version}_${goos}_${goarch}.zip"
sums="$dist/${project}_${version}_SHA256SUMS"
manifest_name="${project}_${version}_manifest.json"
for f in "$zip" "$sums"; do
	[[ -f "$f" ]] || fail "expected release file ${f#"$ROOT"/} was not produced"
done

# SHA256SUMS covers the zip and the manifest, which the release uploads
# from terraform-registry-manifest.json under its versioned name.
sum_of() { awk -v f="$1" '$2 == f { print $1 }' "$sums"; }
[[ "$(sum_of "$(basename "$zip")")" == "$(sha256sum "$zip" | cut -d' ' -f1)" ]] ||
	fail "$(basename "$sums") does not hold the checksum of $(basename "$zip")"
[[ "$(sum_of "$manifest_name")" == "$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)" ]] ||
	fail "$(basename "$sums") does not hold the checksum of terraform-registry-manifest.json as $manifest_name"
grep -q '"6.0"' terraform-registry-manifest.json || fail "terraform-registry-manifest.json does not declare protocol 6.0"

# The zip holds the provider binary, named as the registries expect (beside
# goreleaser's default README and CHANGELOG),
# and that binary reports the snapshot version it was built with.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp" "$single"' EXIT
bin="${project}_v${version}"
[[ "$goos" == windows ]] && bin="$bin.exe"
if command -v unzip >/dev/null; then
	(cd "$tmp" && unzip -q "$zip")
else
	python3 -m zipfile -e "$zip" "$tmp"
fi
[[ -x "$tmp/$bin" ]] || fail "$(basename "$zip") holds '$(ls "$tmp" | tr '\n' ' ')', but no executable $bin"
got="$("$tmp/$bin" -version)"
[[ "$got" == "$project $version (commit "* ]] || fail "the built binary reports '$got', expected '$project $version (commit …)'"

echo "==> release-check OK: $(basename "$zip") and $(basename "$sums") (zip and $manifest_name); the binary reports: $got"
