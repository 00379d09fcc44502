#!/usr/bin/env bash
# Runs the StripeMock tests of ./internal/stripekey/... against a local
# stripe-mock (started here, stopped on exit).
#
# Env: STRIPE_MOCK_HTTP_ADDR  (default 127.0.0.1:12111)
#      STRIPE_MOCK_HTTPS_ADDR (default 127.0.0.1:12112)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mock="$ROOT/bin/stripe-mock"
http_addr="${STRIPE_MOCK_HTTP_ADDR:-127.0.0.1:12111}"
https_addr="${STRIPE_MOCK_HTTPS_ADDR:-127.0.0.1:12112}"

if [[ ! -x "$mock" ]]; then
	echo "stripe-mock-test.sh: $mock missing; run: scripts/install-tools.sh stripe-mock" >&2
	exit 2
fi

out_dir="$ROOT/.test-output"
mkdir -p "$out_dir"
mock_log="$out_dir/stripe-mock.log"

url="http://$http_addr"
if curl -s -o /dev/null --max-time 1 "$url/"; then
	echo "stripe-mock-test.sh: something already listens on $http_addr; stop it first" >&2
	exit 1
fi

"$mock" -http-addr "$http_addr" -https-addr "$https_addr" >"$mock_log" 2>&1 &
mock_pid=$!
stop_mock() {
	if kill -0 "$mock_pid" 2>/dev/null; then
		kill "$mock_pid" 2>/dev/null || true
		wait "$mock_pid" 2>/dev/null || true
	fi
}
trap stop_mock EXIT
trap 'exit 130' INT TERM

# Wait (max 20 s) until stripe-mock answers on HTTP (any HTTP status will do).
ready=0
for _ in $(seq 1 40); do
	if curl -s -o /dev/null --max-time 1 "$url/v1/account"; then
		ready=1
		break
	fi
	if ! kill -0 "$mock_pid" 2>/dev/null; then
		break
	fi
	sleep 0.5
done
if [[ $ready -ne 1 ]]; then
	echo "stripe-mock-test.sh: stripe-mock did not answer on $url within 20 s; its log:" >&2
	cat "$mock_log" >&2 || true
	exit 1
fi
echo "==> stripe-mock (pid $mock_pid) listening on $url"

cd "$ROOT"
STRIPE_MOCK_URL="$url" go test -count=1 -run StripeMock -v ./internal/stripekey/...
