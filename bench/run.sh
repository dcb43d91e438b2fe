#!/usr/bin/env bash
# Benchmarks the service against nginx (and optionally the original Flask app) on the same CPU,
# in the same run, alternating servers, so the ratios hold on a noisy shared machine.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: bench/run.sh [OPTIONS]

Pins each server to CPU 0 and wrk to CPU 1, and runs every mode against every server, the
servers alternating, ROUNDS times; prints the median of the rounds per server and mode, and the
service/nginx ratios. Then: time from exec to the first 200, idle RSS and RSS with N idle
keep-alive connections; instructions per request under callgrind (noise-free); and THREADS=2
scaling. The service runs with ACCESS_LOG=off, as nginx runs with access_log off.

Modes: keep-alive (wrk -c CONNECTIONS), close (a new connection per request), pipelined
(wrk with a Lua script sending DEPTH requests per write).

Options:
  --duration S           seconds per wrk run (default 10)
  --rounds N             alternations of the servers (default 3)
  --connections N        wrk connections (default 64)
  --depth N              pipelining depth (default 16)
  --idle-connections N   idle connections for the RSS measurement (default 10000)
  --callgrind-requests N requests per callgrind run (default 20000)
  --no-callgrind         skip the callgrind comparison
  --no-scaling           skip the THREADS=2 scaling run
  --flask                also run the original Flask app (a venv; slow)
  --binary PATH          the service binary (default: build the static binary in .build/static)
  --quick                short runs (3 s, 1 round, 2000 idle connections, 5000 callgrind requests)
  -h, --help             this text

Needs: wrk, nginx, taskset, valgrind, python3, curl (apt-get install wrk nginx-light util-linux
valgrind python3 curl). Loopback only.
USAGE
}

duration=10
rounds=3
connections=64
depth=16
idle_connections=10000
callgrind_requests=20000
callgrind=true
scaling=true
flask=false
binary=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="${2:?}"; shift 2 ;;
    --rounds) rounds="${2:?}"; shift 2 ;;
    --connections) connections="${2:?}"; shift 2 ;;
    --depth) depth="${2:?}"; shift 2 ;;
    --idle-connections) idle_connections="${2:?}"; shift 2 ;;
    --callgrind-requests) callgrind_requests="${2:?}"; shift 2 ;;
    --no-callgrind) callgrind=false; shift ;;
    --no-scaling) scaling=false; shift ;;
    --flask) flask=true; shift ;;
    --binary) binary="${2:?}"; shift 2 ;;
    --quick) duration=3; rounds=1; idle_connections=2000; callgrind_requests=5000; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

for tool in wrk nginx taskset python3 curl; do require_cmd "$tool" "apt-get install wrk nginx-light util-linux python3 curl"; done
[[ "$callgrind" == false ]] || require_cmd valgrind "apt-get install valgrind"
[[ $(nproc) -ge 2 ]] || die "the benchmark pins the server and wrk to different CPUs: it needs 2"

work="$REPO_ROOT/.cache/bench"
rm -rf "$work"
mkdir -p "$work/nginx" "$work/flask"
tools="$REPO_ROOT/bench/lib/loadtools.py"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

if [[ -z "$binary" ]]; then
  # The static binary is what the image ships (and it starts faster and maps less than the
  # dynamically linked one).
  log "building the static release binary"
  version_build_flags
  (cd "$REPO_ROOT" && swift build -c release --static-swift-stdlib -Xswiftc -static-executable \
    --scratch-path .build/static "${VERSION_BUILD_FLAGS[@]}" >/dev/null)
  binary="$REPO_ROOT/.build/static/release/simple-time-service"
fi
[[ -x "$binary" ]] || die "no service binary at $binary"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
service_port=$(free_port)
nginx_port=$(free_port)
flask_port=$(free_port)

# nginx answering the same JSON from a return directive, with the same extra headers.
write_nginx_conf() {  # $1: file, $2: "single" for master_process off (callgrind)
  local single=""
  [[ "${2:-}" == single ]] && single="master_process off;"
  cat > "$1" <<CONF
worker_processes 1;
daemon off;
$single
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 65536; multi_accept off; }
http {
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 75s;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        location / {
            default_type application/json;
            add_header Cache-Control no-store always;
            add_header X-Content-Type-Options nosniff always;
            return 200 '{"timestamp":"\$time_iso8601","ip":"\$remote_addr"}';
        }
    }
}
CONF
}
write_nginx_conf "$work/nginx/nginx.conf"
write_nginx_conf "$work/nginx/single.conf" single

cat > "$work/pipeline.lua" <<LUA
-- Sends $depth requests per write; wrk counts every response.
init = function(args)
  local requests = {}
  for i = 1, $depth do requests[i] = wrk.format(nil, "/") end
  pipelined = table.concat(requests)
end
request = function() return pipelined end
LUA

wait_for_port() {  # $1 port
  local deadline=$((SECONDS + 20))
  until curl -s -o /dev/null "http://127.0.0.1:$1/"; do
    [[ $SECONDS -lt $deadline ]] || die "nothing answers on port $1"
    sleep 0.05
  done
}

server_pid=""
server_pids=()
start_server() {  # $1 name, $2 cpu list
  case "$1" in
    service)
      PORT=$service_port THREADS=1 ACCESS_LOG=off taskset -c "$2" "$binary" >/dev/null 2>&1 &
      server_pid=$!
      wait_for_port "$service_port"
      server_pids=("$server_pid") ;;
    nginx)
      taskset -c "$2" nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
      server_pid=$!
      wait_for_port "$nginx_port"
      mapfile -t server_pids < <(echo "$server_pid"; pgrep -P "$server_pid") ;;
    flask)
      taskset -c "$2" "$work/flask/venv/bin/python" "$REPO_ROOT/bench/reference/flask_app.py" "$flask_port" >/dev/null 2>&1 &
      server_pid=$!
      wait_for_port "$flask_port"
      server_pids=("$server_pid") ;;
  esac
}
stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap 'if [[ -n "$server_pid" ]]; then kill -KILL "$server_pid" 2>/dev/null || true; fi' EXIT

port_of() { case "$1" in service) echo "$service_port" ;; nginx) echo "$nginx_port" ;; flask) echo "$flask_port" ;; esac; }

ticks() {  # utime+stime of the given pids, in clock ticks
  local total=0 pid fields
  for pid in "$@"; do
    read -ra fields < <(sed 's/.*) //' "/proc/$pid/stat")
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}

to_us() {  # "229.00us" / "1.98ms" / "1.20s" -> microseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000; else if (v ~ /s$/) print n * 1000000; else print n }'
}

# run_wrk SERVER MODE CPU_FOR_WRK THREADS -> "rps rps_per_cpu p50_us p99_us errors non2xx"
run_wrk() {
  local server=$1 mode=$2 cpu=$3 threads=$4 port output before after requests seconds
  port=$(port_of "$server")
  local -a extra=()
  case "$mode" in
    close) extra=(-H "Connection: close") ;;
    pipelined) extra=(-s "$work/pipeline.lua") ;;
  esac
  before=$(ticks "${server_pids[@]}")
  output=$(taskset -c "$cpu" wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "${extra[@]}" "http://127.0.0.1:$port/")
  after=$(ticks "${server_pids[@]}")
  echo "$output" > "$work/wrk-$server-$mode-$RANDOM.txt"
  requests=$(awk '/requests in/ { print $1 }' <<<"$output")
  seconds=$(awk '/requests in/ { sub(/s,$/, "", $4); print $4 }' <<<"$output")
  local rps p50 p99 errors non2xx cpu_seconds
  rps=$(awk '/^Requests\/sec/ { print $2 }' <<<"$output")
  p50=$(to_us "$(awk '$1 == "50%" { print $2 }' <<<"$output")")
  p99=$(to_us "$(awk '$1 == "99%" { print $2 }' <<<"$output")")
  errors=$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' <<<"$output")
  non2xx=$(awk '/Non-2xx/ { print $5 }' <<<"$output")
  cpu_seconds=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN { print t / hz }')
  awk -v r="$requests" -v s="$seconds" -v rps="$rps" -v c="$cpu_seconds" -v p50="$p50" -v p99="$p99" \
    -v e="${errors:-0}" -v n="${non2xx:-0}" \
    'BEGIN { printf "%.0f %.0f %.0f %.0f %d %d\n", rps, (c > 0 ? r / c : 0), p50, p99, e, n }'
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

servers=(nginx service)
if [[ "$flask" == true ]]; then
  require_cmd python3
  log "preparing the Flask reference"
  python3 -m venv "$work/flask/venv" >/dev/null
  "$work/flask/venv/bin/pip" install --quiet --disable-pip-version-check -r "$REPO_ROOT/bench/reference/requirements.txt"
  servers+=(flask)
fi

modes=(keep-alive close pipelined)
declare -A samples=()
for ((round = 1; round <= rounds; round++)); do
  order=("${servers[@]}")
  if (( round % 2 == 0 )); then order=(service nginx); [[ "$flask" == true ]] && order+=(flask); fi
  for server in "${order[@]}"; do
    start_server "$server" 0
    for mode in "${modes[@]}"; do
      if [[ $server == flask && $mode == pipelined ]]; then continue; fi
      log "round $round/$rounds: $server, $mode"
      samples[$server,$mode]+="$(run_wrk "$server" "$mode" 1 1)"$'\n'
    done
    stop_server
  done
done

field() {  # $1 server, $2 mode, $3 column -> median over rounds
  printf '%s' "${samples[$1,$2]:-}" | awk -v c="$3" 'NF { print $c }' | median
}

results="$work/results.md"
{
  printf '## Throughput and latency (server on CPU 0, wrk -t1 on CPU 1, median of %d rounds of %ds)\n\n' "$rounds" "$duration"
  printf '| server | mode | requests/s | requests/CPU-s | p50 | p99 | errors | non-2xx |\n'
  printf '|---|---|---:|---:|---:|---:|---:|---:|\n'
  for mode in "${modes[@]}"; do
    for server in "${servers[@]}"; do
      [[ -n "${samples[$server,$mode]:-}" ]] || continue
      printf '| %s | %s | %s | %s | %s us | %s us | %s | %s |\n' "$server" "$mode" \
        "$(field "$server" "$mode" 1)" "$(field "$server" "$mode" 2)" "$(field "$server" "$mode" 3)" \
        "$(field "$server" "$mode" 4)" "$(field "$server" "$mode" 5)" "$(field "$server" "$mode" 6)"
    done
  done
  printf '\n| mode | requests/CPU-s service/nginx | requests/s service/nginx | p99 service/nginx |\n|---|---:|---:|---:|\n'
  for mode in "${modes[@]}"; do
    awk -v a="$(field service "$mode" 2)" -v b="$(field nginx "$mode" 2)" -v c="$(field service "$mode" 1)" \
      -v d="$(field nginx "$mode" 1)" -v e="$(field service "$mode" 4)" -v f="$(field nginx "$mode" 4)" -v m="$mode" \
      'BEGIN { p99 = (e > 0 && f > 0) ? sprintf("%.2fx", e / f) : "n/a (wrk reports no p99)"; printf "| %s | %.2fx | %.2fx | %s |\n", m, a / b, c / d, p99 }'
  done
} > "$results"

log "startup and memory"
service_memory=$(PORT=$service_port THREADS=1 ACCESS_LOG=off MAX_CONNECTIONS=$((idle_connections + 100)) \
  python3 "$tools" startup --port "$service_port" --connections "$idle_connections" -- "$binary")
nginx_memory=$(python3 "$tools" startup --port "$nginx_port" --connections "$idle_connections" \
  --pid-file "$work/nginx/nginx.pid" --worker-of -- nginx -p "$work/nginx" -c "$work/nginx/nginx.conf")
memory_row() {  # $1 name, $2 json
  python3 -c 'import json,sys; m=json.loads(sys.argv[2]); print("| %s | %.1f ms | %.1f MiB | %.1f MiB | %.0f B |" % (sys.argv[1], m["first_response_ms"], m["idle_rss_kib"]/1024, m["loaded_rss_kib"]/1024, m["per_connection_bytes"]))' "$1" "$2"
}
{
  printf '\n## Startup and memory (%d idle keep-alive connections, each after one request)\n\n' "$idle_connections"
  printf '| server | exec to first 200 | idle RSS | RSS with connections | per connection |\n|---|---:|---:|---:|---:|\n'
  memory_row service "$service_memory"
  memory_row "nginx (worker)" "$nginx_memory"
} >> "$results"

if [[ "$callgrind" == true ]]; then
  log "instructions per request under callgrind ($callgrind_requests requests)"
  callgrind_total() {  # $1 name, $2 requests -> total instructions of a run
    local out="$work/callgrind.$1.$2" pid
    case "$1" in
      service)
        PORT=$service_port THREADS=1 ACCESS_LOG=off valgrind --tool=callgrind --callgrind-out-file="$out" \
          "$binary" >/dev/null 2>"$out.log" &
        pid=$!; local port=$service_port ;;
      nginx)
        valgrind --tool=callgrind --callgrind-out-file="$out" nginx -p "$work/nginx" -c "$work/nginx/single.conf" \
          >/dev/null 2>"$out.log" &
        pid=$!; local port=$nginx_port ;;
    esac
    local deadline=$((SECONDS + 60))
    until python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=1).close()" "$port" 2>/dev/null; do
      [[ $SECONDS -lt $deadline ]] || die "$1 did not start under valgrind"
      sleep 0.2
    done
    if [[ $2 -gt 0 ]]; then python3 "$tools" requests --port "$port" --count "$2" --connections 4 >/dev/null; fi
    kill -TERM "$pid"
    wait "$pid" || true
    awk '/^(summary|totals):/ { print $2; exit }' "$out"
  }
  declare -A per_request=()
  for server in service nginx; do
    base=$(callgrind_total "$server" 0)
    loaded=$(callgrind_total "$server" "$callgrind_requests")
    per_request[$server]=$(( (loaded - base) / callgrind_requests ))
  done
  {
    printf '\n## Instructions per request (callgrind, user space, %d keep-alive requests minus an idle run)\n\n' "$callgrind_requests"
    printf '| server | instructions/request |\n|---|---:|\n| service | %s |\n| nginx | %s |\n' "${per_request[service]}" "${per_request[nginx]}"
    awk -v a="${per_request[service]}" -v b="${per_request[nginx]}" 'BEGIN { printf "\nservice/nginx: %.2fx\n", a / b }'
  } >> "$results"
fi

if [[ "$scaling" == true ]]; then
  log "THREADS=2 scaling (server and wrk -t2 share both CPUs)"
  declare -A scale=()
  for threads in 1 2; do
    PORT=$service_port THREADS=$threads ACCESS_LOG=off "$binary" >/dev/null 2>&1 &
    server_pid=$!
    server_pids=("$server_pid")
    wait_for_port "$service_port"
    scale[$threads]=$(run_wrk service keep-alive 0,1 2 | awk '{ print $1 }')
    stop_server
  done
  {
    printf '\n## THREADS=2 scaling (keep-alive, wrk -t2 -c%d, unpinned)\n\n' "$connections"
    printf '| THREADS | requests/s |\n|---|---:|\n| 1 | %s |\n| 2 | %s |\n' "${scale[1]}" "${scale[2]}"
    awk -v a="${scale[2]}" -v b="${scale[1]}" 'BEGIN { printf "\n2 threads / 1 thread: %.2fx\n", a / b }'
  } >> "$results"
fi

{
  printf '\nMachine: %s, %s CPUs, %s; kernel %s. Service: %s.\n' "$(uname -m)" "$(nproc)" \
    "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" "$(uname -r)" "$("$binary" --version)"
  printf 'nginx: %s. wrk: %s.\n' "$(nginx -v 2>&1 | sed 's/.*: //')" "$(wrk -v 2>&1 | head -1 | awk '{ print $2 }')"
} >> "$results"
cat "$results"
log "results saved in $results"
