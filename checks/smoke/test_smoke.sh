#!/usr/bin/env bash
# Tests for scripts/smoke-test.sh: it must pass a correct server, fail each kind of
# broken one with the right one-line reason, wait for a server that warms up, and pass
# the real service.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"

usage() {
  cat <<'EOF'
Usage: checks/smoke/test_smoke.sh [--require-service] [--binary PATH]

Runs scripts/smoke-test.sh against small fake servers on 127.0.0.1 (one correct, the
others each wrong in one way) and asserts pass or fail and the reason line; then against
the real service, started from its release binary on a free loopback port.

Options:
  --binary PATH       the service binary (default .build/release/simple-time-service)
  --require-service   fail, instead of skipping, when that binary does not exist
  -h, --help          show this help

Requires: bash, curl, python3 (and openssl for the HTTPS cases). Takes about 20 seconds.
EOF
}

binary="$REPO_ROOT/.build/release/simple-time-service"
require_service=0
while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --binary)
      if (($# < 2)); then die "--binary needs a path"; fi
      binary="$2"; shift 2 ;;
    --require-service) require_service=1; shift ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

require_cmd curl
require_cmd python3

# Loopback only: make sure no proxy setting sends these requests anywhere else.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*'

smoke="$REPO_ROOT/scripts/smoke-test.sh"
fake="$REPO_ROOT/checks/smoke/fake_server.py"
work="$(mktemp -d)"
pids=()
passed=0
failed=0
skipped=0

cleanup() {
  local pid
  for pid in ${pids[@]+"${pids[@]}"}; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_fake MODE [fake_server options...]: start a fake server in the background and
# set PORT to its port once it listens (or, with --listen-after, to the port it will use).
start_fake() {
  local mode="$1" port_file="$work/port.$RANDOM.$RANDOM"
  shift
  python3 "$fake" "$mode" "$port_file" "$@" &
  pids+=("$!")
  if [[ " $* " == *" --listen-after "* ]]; then
    PORT=""
    local arg previous=""
    for arg in "$@"; do
      if [[ "$previous" == --port ]]; then PORT="$arg"; fi
      previous="$arg"
    done
    [[ -n "$PORT" ]] || die "start_fake: --listen-after needs --port"
    return 0
  fi
  local i
  for ((i = 0; i < 100; i++)); do
    if [[ -s "$port_file" ]]; then
      PORT="$(cat "$port_file")"
      return 0
    fi
    sleep 0.1
  done
  die "fake server '$mode' did not start listening within 10 s"
}

# run_smoke ARGS...: run the smoke test; set RC, OUT (stdout) and ERR (stderr).
run_smoke() {
  RC=0
  "$smoke" "$@" >"$work/out" 2>"$work/err" || RC=$?
  OUT="$(cat "$work/out")"
  ERR="$(cat "$work/err")"
}

ok() {
  passed=$((passed + 1))
  printf 'ok      %s\n' "$1"
}

not_ok() {
  failed=$((failed + 1))
  printf 'FAILED  %s: %s\n' "$1" "$2"
  printf '        stdout: %s\n' "${OUT:-<empty>}"
  printf '        stderr: %s\n' "${ERR:-<empty>}" | sed '2,$s/^/        /'
}

# expect_pass NAME ARGS...
expect_pass() {
  local name="$1"
  shift
  run_smoke "$@"
  if ((RC != 0)); then
    not_ok "$name" "expected exit 0, got $RC"
  elif [[ "$OUT" != "smoke test passed: "* ]]; then
    not_ok "$name" "expected a 'smoke test passed' line"
  else
    ok "$name"
  fi
}

# expect_fail NAME EXIT_CODE REASON ARGS...: the last line of stderr must contain REASON
# (a fixed string), and on a failed check (exit 1) be the one-line failure summary.
expect_fail() {
  local name="$1" code="$2" reason="$3" last
  shift 3
  run_smoke "$@"
  last="$(printf '%s\n' "$ERR" | tail -n 1)"
  if ((RC != code)); then
    not_ok "$name" "expected exit $code, got $RC"
  elif [[ "$last" != *"$reason"* ]]; then
    not_ok "$name" "expected the last stderr line to contain '$reason'"
  elif ((code == 1)) && [[ "$last" != "error: smoke test failed after "* ]]; then
    not_ok "$name" "expected the last stderr line to start with 'error: smoke test failed after'"
  elif [[ -n "$OUT" ]]; then
    not_ok "$name" "expected nothing on stdout"
  else
    ok "$name"
  fi
}

# attempts_from_output TEXT: the attempt count from a pass line ("attempt N after")
# or a failure line ("failed after N attempt(s)").
attempts_from_output() {
  sed -nE -e 's/.*; attempt ([0-9]+) after .*/\1/p' -e 's/.*failed after ([0-9]+) attempt.*/\1/p' <<<"$1" \
    | tail -n 1
}

log "smoke-test.sh against fake servers on 127.0.0.1"

# One attempt is enough for servers that answer at once; a wrong answer must not pass.
once=(--timeout 0)

# Argument checking.
expect_fail "usage: URL is required" 2 "missing URL"
expect_fail "usage: URL needs a scheme" 2 "must start with http:// or https://" 127.0.0.1:8080
expect_fail "usage: --expect-ip must be an address" 2 "is not an IPv4 or IPv6 address" \
  http://127.0.0.1:1 --expect-ip 999.1.1.1
expect_fail "usage: --timeout must be a number" 2 "--timeout needs a whole number" \
  http://127.0.0.1:1 --timeout soon
expect_fail "usage: unknown option" 2 "unknown option '--bogus'" http://127.0.0.1:1 --bogus

# A correct server.
start_fake ok
ok_port="$PORT"
expect_pass "correct server" "http://127.0.0.1:$ok_port" --expect-ip 127.0.0.1 "${once[@]}"
expect_pass "correct server, trailing slash in URL" "http://127.0.0.1:$ok_port/" "${once[@]}"
if [[ "$OUT" != *"ip=127.0.0.1 timestamp="*"Z;"* ]]; then
  not_ok "pass line reports ip and timestamp" "got '$OUT'"
else
  ok "pass line reports ip and timestamp"
fi
expect_fail "wrong expected ip" 1 "returned ip '127.0.0.1', expected 127.0.0.2" \
  "http://127.0.0.1:$ok_port" --expect-ip 127.0.0.2 "${once[@]}"
expect_fail "IPv4-mapped IPv6 is not the IPv4 address" 1 "expected ::ffff:127.0.0.1" \
  "http://127.0.0.1:$ok_port" --expect-ip ::ffff:127.0.0.1 "${once[@]}"

start_fake ok-ipv6
expect_pass "IPv6 client address" "http://127.0.0.1:$PORT" --expect-ip 2001:db8:0::7 "${once[@]}"

# Each wrong answer, and the reason it must give.
check_wrong() {
  local mode="$1" reason="$2"
  shift 2
  start_fake "$mode"
  expect_fail "$mode" 1 "$reason" "http://127.0.0.1:$PORT" "${once[@]}" "$@"
}
check_wrong extra-field "unexpected field(s): version"
check_wrong missing-field "missing field(s): ip"
check_wrong duplicate-field "duplicate field(s) ip"
check_wrong non-string-ip "returned a non-string ip: 2130706433"
check_wrong not-json "returned a body that is not valid JSON"
check_wrong bad-timestamp "expected RFC 3339 UTC"
check_wrong not-utc "expected RFC 3339 UTC"
check_wrong stale-timestamp "behind the local clock (allowed 5 s)"
check_wrong future-timestamp "ahead of the local clock (allowed 5 s)"
check_wrong bad-ip "returned ip 'not-an-ip', which is not an IPv4 or IPv6 address"
check_wrong no-cache-control "has Cache-Control '(none)', expected no-store"
check_wrong wrong-cache-control "has Cache-Control 'max-age=60', expected no-store"
check_wrong wrong-content-type "has Content-Type 'text/plain; charset=utf-8', expected application/json"
check_wrong status-500 "/ returned HTTP 500, expected 200"
check_wrong healthz-500 "/healthz returned HTTP 500, expected 200"
check_wrong healthz-no-store "/healthz has no Cache-Control: no-store header"

start_fake stale-timestamp
expect_pass "--max-skew widens the allowed clock difference" "http://127.0.0.1:$PORT" \
  --max-skew 700 "${once[@]}"

# Nothing listening at all.
expect_fail "nothing listening" 1 "got no response" "http://127.0.0.1:$(free_port)" "${once[@]}"

# Warming up: 503 first (a load balancer with no healthy target yet), then correct.
start_fake ok --healthy-after 3
expect_pass "slow start: 503 for 3 s, then healthy" "http://127.0.0.1:$PORT" \
  --expect-ip 127.0.0.1 --timeout 60 --interval 1
n="$(attempts_from_output "$OUT")"
if [[ "${n:-1}" -lt 2 ]]; then
  not_ok "slow start was retried" "expected more than one attempt, got '${n:-?}'"
else
  ok "slow start was retried ($n attempts)"
fi

# Warming up: connection refused first (the task is still starting), then correct.
port="$(free_port)"
start_fake ok --port "$port" --listen-after 2
expect_pass "slow start: refused for 2 s, then listening" "http://127.0.0.1:$port" \
  --timeout 60 --interval 1

# Never healthy: retried until the timeout, then the last reason.
start_fake never-healthy
expect_fail "never healthy" 1 "/ returned HTTP 503, expected 200" \
  "http://127.0.0.1:$PORT" --timeout 3 --interval 1
n="$(attempts_from_output "$ERR")"
if [[ "${n:-1}" -lt 2 ]]; then
  not_ok "never healthy was retried" "expected more than one attempt, got '${n:-?}'"
else
  ok "never healthy was retried ($n attempts)"
fi
expect_fail "--quiet prints only the reason" 1 "returned HTTP 503" \
  "http://127.0.0.1:$PORT" --timeout 1 --interval 1 --quiet
if [[ "$(printf '%s\n' "$ERR" | wc -l)" -ne 1 ]]; then
  not_ok "--quiet prints one line" "got $(printf '%s\n' "$ERR" | wc -l) lines"
else
  ok "--quiet prints one line"
fi

# HTTPS: a self-signed certificate fails verification unless --insecure is given.
if command -v openssl >/dev/null 2>&1 &&
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$work/tls.key" -out "$work/tls.crt" >/dev/null 2>&1; then
  start_fake ok --tls "$work/tls.crt" "$work/tls.key"
  expect_fail "https with an untrusted certificate" 1 "got no response" "https://127.0.0.1:$PORT" "${once[@]}"
  expect_pass "https with --insecure" "https://127.0.0.1:$PORT" --insecure --expect-ip 127.0.0.1 "${once[@]}"
else
  skipped=$((skipped + 1))
  printf 'skipped https cases (openssl is not installed)\n'
fi

# The real service.
if [[ -x "$binary" ]]; then
  log "smoke-test.sh against the real service ($binary)"
  port="$(free_port)"
  PORT="$port" LOG_LEVEL=warn ACCESS_LOG=off "$binary" >"$work/service.log" 2>&1 &
  service_pid=$!
  pids+=("$service_pid")
  expect_pass "real service over IPv4" "http://127.0.0.1:$port" --expect-ip 127.0.0.1 \
    --timeout 30 --interval 1
  if python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
    expect_pass "real service over IPv6" "http://[::1]:$port" --expect-ip ::1 --timeout 30 --interval 1
  else
    skipped=$((skipped + 1))
    printf 'skipped real service over IPv6 (this machine has no IPv6 loopback)\n'
  fi
  kill -TERM "$service_pid" 2>/dev/null || true
  wait "$service_pid" 2>/dev/null || true
elif ((require_service)); then
  failed=$((failed + 1))
  printf 'FAILED  real service: %s does not exist (build it with swift build -c release)\n' "$binary"
else
  skipped=$((skipped + 1))
  printf 'skipped real service: %s does not exist (build it with swift build -c release)\n' "$binary"
fi

printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
((failed == 0))
