#!/usr/bin/env bash
# Behaviour under load and faults: slowloris, file descriptor exhaustion, MAX_CONNECTIONS, a
# soak at half capacity, and SIGTERM under full load. Loopback only.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: bench/stress.sh [--quick] [--binary PATH] [--only NAME[,NAME...]]

Scenarios (each prints its figures and passes or fails):
  slowloris   1000 connections trickling a header byte per second: normal clients keep at least
              80% of their undisturbed throughput, and every slow connection is closed once the
              header timeout passes
  fds         ulimit -n 256 and 1000 connection attempts: no crash, no spinning on EMFILE, held
              connections keep working, waiting ones are served once others close
  max-conn    the same with MAX_CONNECTIONS=100
  soak        load at about half capacity (30 s with --quick, 5 minutes otherwise): RSS after
              warm-up grows by under 1 MiB, open descriptors return to their baseline, no errors
  shutdown    SIGTERM under full load from 64 keep-alive clients: no truncated, reset or
              unanswered request, exit status 0 within the shutdown timeout

  --quick         the short versions (the test command runs these)
  --binary PATH   the service binary (default: build .build/release/simple-time-service)
  --only LIST     run only these scenarios
  -h, --help      this text

Needs: wrk, python3, curl, prlimit (apt-get install wrk python3 curl util-linux).
USAGE
}

quick=false
binary=""
only=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=true; shift ;;
    --binary) binary="${2:?}"; shift 2 ;;
    --only) only="${2:?}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
for tool in wrk python3 curl prlimit taskset; do require_cmd "$tool" "apt-get install wrk python3 curl util-linux"; done
[[ $(nproc) -ge 2 ]] || die "the stress tests put the service and the clients on different CPUs: they need 2"

if [[ -z "$binary" ]]; then
  version_build_flags
  (cd "$REPO_ROOT" && swift build -c release "${VERSION_BUILD_FLAGS[@]}" >/dev/null)
  binary="$REPO_ROOT/.build/release/simple-time-service"
fi
[[ -x "$binary" ]] || die "no service binary at $binary"

work="$REPO_ROOT/.cache/stress"
rm -rf "$work"
mkdir -p "$work"
tools="$REPO_ROOT/bench/lib/loadtools.py"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

if [[ "$quick" == true ]]; then header_timeout=4; soak_seconds=30; wrk_seconds=3; else header_timeout=10; soak_seconds=300; wrk_seconds=10; fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pid=""
start() {  # start [VAR=value ...]: the service on $port in the background, logs in $work/service.log
  # The service on CPU 0, the clients on CPU 1, so the clients' own work does not take the
  # service's CPU and the throughput comparisons measure the service.
  env PORT="$port" THREADS=1 ACCESS_LOG=off "$@" taskset -c 0 "$binary" >>"$work/service.log" 2>&1 &
  pid=$!
  local deadline=$((SECONDS + 10))
  until curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; do
    [[ $SECONDS -lt $deadline ]] || die "the service did not start (see $work/service.log)"
    sleep 0.05
  done
}
stop() {
  if [[ -n "$pid" ]]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  pid=""
}
trap 'if [[ -n "$pid" ]]; then kill -KILL "$pid" 2>/dev/null || true; fi' EXIT

json() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
rps() { awk '/^Requests\/sec/ { printf "%.0f", $2 }' <<<"$1"; }
wrk_errors() { awk '/Socket errors/ { gsub(/,/, ""); e = $4 + $6 + $8 + $10 } /Non-2xx/ { e += $5 } END { print e + 0 }' <<<"$1"; }

failures=0
declare -a summary=()
check() {  # check NAME CONDITION-TEXT VALUE...: records pass/fail of an arithmetic/awk test
  local name=$1 description=$2 result=$3
  if [[ "$result" == 1 ]]; then
    summary+=("ok      $name: $description")
  else
    summary+=("FAILED  $name: $description")
    failures=$((failures + 1))
  fi
}
wanted() { [[ -z "$only" || ",$only," == *",$1,"* ]]; }

best_rps() {  # best of three wrk runs: the capacity estimate least disturbed by a noisy machine
  local best=0 value
  for _ in 1 2 3; do
    value=$(rps "$(taskset -c 1 wrk -t1 -c16 -d"${wrk_seconds}s" "http://127.0.0.1:$port/")")
    (( value > best )) && best=$value
  done
  echo "$best"
}

if wanted slowloris; then
  # Throughput with and without 1000 slow connections, with a header timeout long enough that
  # they stay open for the whole measurement.
  log "slowloris: undisturbed throughput, then with 1000 trickling connections"
  start HEADER_TIMEOUT=120
  base=$(best_rps)
  taskset -c 1 nice -n 19 python3 "$tools" slowloris --port "$port" --connections 1000 --interval 1 \
    --duration $((wrk_seconds * 3 + 5)) >"$work/slowloris-load.json" &
  slow=$!
  sleep 1
  loaded=$(best_rps)
  wait "$slow"
  stop
  ratio=$(awk -v a="$loaded" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
  check slowloris "throughput with 1000 slow connections $loaded/s vs $base/s undisturbed (best of 3 runs each) = ${ratio}x (>= 0.80)" \
    "$(awk -v r="$ratio" 'BEGIN { print (r >= 0.8) }')"

  # The slow connections are closed once the header timeout passes.
  log "slowloris: 1000 trickling connections against HEADER_TIMEOUT=${header_timeout}s"
  start HEADER_TIMEOUT="$header_timeout"
  result=$(taskset -c 1 python3 "$tools" slowloris --port "$port" --connections 1000 --interval 1 --duration $((header_timeout + 20)))
  healthy=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
  stop
  closed=$(json "$result" closed_by_server)
  last=$(json "$result" last_close_s)
  check slowloris "slow connections closed by the server: $closed/1000, last after ${last}s (HEADER_TIMEOUT=${header_timeout}s, 408 sent to $(json "$result" answered_408)); /healthz afterwards: $healthy" \
    "$(awk -v c="$closed" -v l="$last" -v t="$header_timeout" -v h="$healthy" 'BEGIN { print (c == 1000 && l <= t + 3 && h == 200) }')"
fi

exhaustion() {  # NAME, then service environment
  local name=$1; shift
  log "$name: 1000 connection attempts"
  local result
  start "$@"
  result=$(python3 "$tools" exhaust --port "$port" --pid "$pid" --attempts 1000)
  local alive cpu answered served fresh
  alive=$(json "$result" alive); cpu=$(json "$result" cpu_share_while_full)
  answered=$(json "$result" answered_while_full); served=$(json "$result" waiting_served_after_close)
  fresh=$(json "$result" fresh_connection_status)
  check "$name" "alive: $alive; CPU while at the limit ${cpu} of a core (< 0.10)" \
    "$(awk -v a="$alive" -v c="$cpu" 'BEGIN { print (a == "True" && c < 0.10) }')"
  check "$name" "held connections answered while at the limit: $answered/10" "$([[ $answered -ge 1 ]] && echo 1)"
  check "$name" "waiting connections served once others closed: $served/10; a new connection after all closed: $fresh" \
    "$([[ $served -eq 10 && $fresh == 200 ]] && echo 1)"
  stop
}
if wanted fds; then
  # prlimit applies the limit to the service alone.
  binary_real=$binary
  binary="$work/limited.sh"
  printf '#!/bin/sh\nexec prlimit --nofile=256:256 %s "$@"\n' "$binary_real" > "$binary"
  chmod +x "$binary"
  exhaustion fds
  binary=$binary_real
  paused=$(grep -c '"event":"accept_paused"' "$work/service.log" || true)
  check fds "accept pauses logged (rate-limited): $paused" "$([[ $paused -ge 1 ]] && echo 1)"
fi
if wanted max-conn; then
  exhaustion max-conn MAX_CONNECTIONS=100
fi

if wanted soak; then
  log "soak: ${soak_seconds}s at about half capacity"
  start
  capacity=$(rps "$(taskset -c 1 wrk -t1 -c16 -d3s "http://127.0.0.1:$port/")")
  # Each connection waits 1 ms between requests (wrk's finest delay). A calibration run with
  # 64 such connections measures what each sends; the soak uses enough of them for about half
  # the capacity.
  printf 'function delay() return 1 end\n' > "$work/delay.lua"
  calibration=$(rps "$(taskset -c 1 wrk -t1 -c64 -d2s -s "$work/delay.lua" "http://127.0.0.1:$port/")")
  soak_connections=$(awk -v c="$capacity" -v r="$calibration" 'BEGIN { n = int(c / 2 / (r / 64) + 0.5); print (n < 1 ? 1 : n) }')
  sleep 1
  fds_before=$(find "/proc/$pid/fd" -mindepth 1 | wc -l)
  taskset -c 1 wrk -t1 -c"$soak_connections" -d"${soak_seconds}s" -s "$work/delay.lua" "http://127.0.0.1:$port/" >"$work/soak.txt" &
  load=$!
  sleep 5
  rss_warm=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")
  wait "$load"
  rss_end=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")
  sleep 1
  fds_after=$(find "/proc/$pid/fd" -mindepth 1 | wc -l)
  soak=$(cat "$work/soak.txt")
  stop
  check soak "rate $(rps "$soak")/s from $soak_connections connections (capacity $capacity/s); RSS $rss_warm KiB after warm-up, $rss_end KiB at the end (growth < 1024 KiB)" \
    "$(awk -v a="$rss_warm" -v b="$rss_end" 'BEGIN { print (b - a < 1024) }')"
  check soak "open descriptors $fds_before before, $fds_after after" "$([[ $fds_after -le $fds_before ]] && echo 1)"
  check soak "errors and non-2xx: $(wrk_errors "$soak")" "$([[ $(wrk_errors "$soak") -eq 0 ]] && echo 1)"
fi

if wanted shutdown; then
  log "shutdown: SIGTERM under full load"
  start SHUTDOWN_TIMEOUT=10
  result=$(python3 "$tools" shutdown --port "$port" --pid "$pid" --clients 64 --warmup 2 --timeout 10)
  status=0
  wait "$pid" || status=$?
  pid=""
  truncated=$(json "$result" truncated); reset=$(json "$result" reset); unanswered=$(json "$result" unanswered)
  check shutdown "$(json "$result" in_flight_at_signal) requests in flight at SIGTERM, $(json "$result" completed) completed ($(json "$result" completed_after_signal) after SIGTERM), truncated $truncated, reset $reset, unanswered $unanswered" \
    "$([[ $truncated -eq 0 && $reset -eq 0 && $unanswered -eq 0 ]] && echo 1)"
  check shutdown "exit status $status after $(json "$result" stop_seconds)s (SHUTDOWN_TIMEOUT=10)" \
    "$(awk -v s="$status" -v t="$(json "$result" stop_seconds)" 'BEGIN { print (s == 0 && t < 10) }')"
fi

printf '%s\n' "${summary[@]}"
[[ $failures -eq 0 ]] || die "$failures stress check(s) failed (service log: $work/service.log)"
log "all stress checks passed"
