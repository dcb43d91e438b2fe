#!/usr/bin/env bash
# Smoke-test a running SimpleTimeService: a local server, a container, or a deployment.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'EOF'
Usage: scripts/smoke-test.sh URL [options]

Checks a running SimpleTimeService at URL (for example http://127.0.0.1:8080 or the
`url` output of terraform/app):

  GET /         200, Content-Type application/json, Cache-Control no-store, and a JSON
                object with exactly two string fields: "timestamp" (RFC 3339, UTC, "Z",
                within --max-skew seconds of this machine's clock) and "ip" (a valid IPv4
                or IPv6 address; equal to --expect-ip when given)
  GET /healthz  200, Cache-Control no-store

A fresh deployment needs time to warm up, so failed attempts are retried until
--timeout expires. On success it prints one line and exits 0; on failure the last
line printed is the reason, and it exits 1. Bad arguments exit 2.

Options:
  --expect-ip ADDR     require "ip" to be exactly this address (your address as the
                       service should see it, e.g. 127.0.0.1 for a local server)
  --timeout SECONDS    keep retrying for this long (default 60; 0 = one attempt)
  --interval SECONDS   pause between attempts (default 2)
  --max-skew SECONDS   allowed difference between "timestamp" and the local clock
                       (default 5)
  --insecure           do not verify the TLS certificate (https:// URLs only)
  --quiet              print only the final result line
  -h, --help           show this help

Requires: bash, curl, python3 (standard library only).

Examples:
  scripts/smoke-test.sh http://127.0.0.1:8080 --expect-ip 127.0.0.1 --timeout 10
  scripts/smoke-test.sh "$(terraform -chdir=terraform/app output -raw url)" --timeout 300
EOF
}

usage_error() {
  printf 'error: %s (see --help)\n' "$*" >&2
  exit 2
}

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

url=""
expect_ip=""
timeout=60
interval=2
max_skew=5
insecure=0
quiet=0

while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --expect-ip)
      if (($# < 2)); then usage_error "--expect-ip needs an address"; fi
      expect_ip="$2"; shift 2 ;;
    --timeout)
      if (($# < 2)) || ! is_uint "$2"; then usage_error "--timeout needs a whole number of seconds"; fi
      timeout="$2"; shift 2 ;;
    --interval)
      if (($# < 2)) || ! is_uint "$2" || (($2 == 0)); then
        usage_error "--interval needs a positive whole number of seconds"
      fi
      interval="$2"; shift 2 ;;
    --max-skew)
      if (($# < 2)) || ! is_uint "$2"; then usage_error "--max-skew needs a whole number of seconds"; fi
      max_skew="$2"; shift 2 ;;
    --insecure) insecure=1; shift ;;
    --quiet) quiet=1; shift ;;
    -*) usage_error "unknown option '$1'" ;;
    *)
      [[ -z "$url" ]] || usage_error "only one URL may be given (got '$url' and '$1')"
      url="$1"; shift ;;
  esac
done

[[ -n "$url" ]] || usage_error "missing URL"
[[ "$url" =~ ^https?://[^/]+ ]] || usage_error "URL must start with http:// or https:// (got '$url')"
url="${url%/}"

require_cmd curl "needed to send the requests"
require_cmd python3 "needed to check the JSON and the timestamp"

if [[ -n "$expect_ip" ]]; then
  python3 -c 'import ipaddress, sys; ipaddress.ip_address(sys.argv[1])' "$expect_ip" 2>/dev/null \
    || usage_error "--expect-ip '$expect_ip' is not an IPv4 or IPv6 address"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

curl_opts=(--silent --show-error --globoff --max-time 10 --connect-timeout 5
  --header 'Accept: application/json' --user-agent 'simple-time-service-smoke-test')
if ((insecure)); then
  curl_opts+=(--insecure)
fi

# fetch PATH NAME: GET URL+PATH into $work/NAME.{body,headers}; prints the HTTP status
# (000 when no response arrived) and leaves curl's error text in $work/NAME.err.
fetch() {
  local status
  if status="$(curl "${curl_opts[@]}" --output "$work/$2.body" --dump-header "$work/$2.headers" \
    --write-out '%{http_code}' "$url$1" 2>"$work/$2.err")"; then
    printf '%s\n' "$status"
  else
    printf '000\n'
  fi
}

# check: one attempt. Prints nothing and returns 0 when everything holds; otherwise
# prints the reason (one line) and returns 1.
check() {
  local status before after err
  before="$(date +%s)"
  status="$(fetch / root)"
  after="$(date +%s)"
  if [[ "$status" == 000 ]]; then
    err="$(tr -d '\r' <"$work/root.err" | tail -n 1)"
    printf 'GET %s/ got no response (%s)\n' "$url" "${err:-no error text from curl}"
    return 1
  fi
  python3 - "$work/root.headers" "$work/root.body" "$status" "$url/" \
    "$before" "$after" "$max_skew" "$expect_ip" "$work/summary" <<'PY' || return 1
import ipaddress, json, re, sys
from datetime import datetime, timezone

headers_path, body_path, status, target, before, after, max_skew, expect_ip, summary_path = sys.argv[1:10]
before, after, max_skew = int(before), int(after), int(max_skew)

def fail(reason):
    print(f"GET {target} {reason}")
    sys.exit(1)

def last_header_block(path):
    # curl writes one block per response (e.g. after "100 Continue"); keep the last.
    blocks, current = [], {}
    with open(path, encoding="latin-1") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith("HTTP/"):
                current = {}
                blocks.append(current)
            elif ":" in line:
                name, _, value = line.partition(":")
                current.setdefault(name.strip().lower(), []).append(value.strip())
    return blocks[-1] if blocks else {}

if status != "200":
    with open(body_path, "rb") as f:
        snippet = f.read(120).decode("utf-8", "replace").replace("\n", " ").strip()
    fail(f"returned HTTP {status}, expected 200" + (f" (body: {snippet})" if snippet else ""))

headers = last_header_block(headers_path)
content_type = ",".join(headers.get("content-type", []))
media_type = content_type.split(";")[0].strip().lower()
if media_type != "application/json":
    fail(f"has Content-Type '{content_type or '(none)'}', expected application/json")
directives = [d.strip().lower() for v in headers.get("cache-control", []) for d in v.split(",")]
if "no-store" not in directives:
    fail(f"has Cache-Control '{', '.join(headers.get('cache-control', [])) or '(none)'}', expected no-store")

def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"duplicate field(s) {', '.join(duplicates)}")
    return dict(pairs)

try:
    with open(body_path, "rb") as f:
        document = json.loads(f.read().decode("utf-8"), object_pairs_hook=no_duplicates)
except (ValueError, UnicodeDecodeError) as error:
    fail(f"returned a body that is not valid JSON: {error}")
if not isinstance(document, dict):
    fail(f"returned JSON {type(document).__name__}, expected an object")
fields = sorted(document)
if fields != ["ip", "timestamp"]:
    extra = sorted(set(fields) - {"ip", "timestamp"})
    missing = sorted({"ip", "timestamp"} - set(fields))
    detail = "; ".join(
        part for part in (
            f"unexpected field(s): {', '.join(extra)}" if extra else "",
            f"missing field(s): {', '.join(missing)}" if missing else "",
        ) if part
    )
    fail(f"returned fields {fields}, expected exactly ['ip', 'timestamp'] ({detail})")
for name in fields:
    if not isinstance(document[name], str):
        fail(f"returned a non-string {name}: {json.dumps(document[name])}")

timestamp = document["timestamp"]
match = re.fullmatch(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z", timestamp)
if not match:
    fail(f"returned timestamp '{timestamp}', expected RFC 3339 UTC like 2026-12-04T15:00:00.123Z")
try:
    seconds = datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
except ValueError:
    fail(f"returned timestamp '{timestamp}', which is not a real date and time")
moment = seconds.timestamp() + float("0." + (match.group(2) or "0"))
# The server read its clock between `before` and `after` (whole seconds, so allow one more).
if moment < before - max_skew:
    fail(f"returned timestamp '{timestamp}', {before - moment:.1f} s behind the local clock (allowed {max_skew} s)")
if moment > after + 1 + max_skew:
    fail(f"returned timestamp '{timestamp}', {moment - after - 1:.1f} s ahead of the local clock (allowed {max_skew} s)")

ip = document["ip"]
try:
    if "%" in ip:
        raise ValueError(ip)
    address = ipaddress.ip_address(ip)
except ValueError:
    fail(f"returned ip '{ip}', which is not an IPv4 or IPv6 address")
if expect_ip and address != ipaddress.ip_address(expect_ip):
    fail(f"returned ip '{ip}', expected {expect_ip}")
with open(summary_path, "w") as f:
    f.write(f"ip={ip} timestamp={timestamp}")
PY

  status="$(fetch /healthz healthz)"
  if [[ "$status" == 000 ]]; then
    err="$(tr -d '\r' <"$work/healthz.err" | tail -n 1)"
    printf 'GET %s/healthz got no response (%s)\n' "$url" "${err:-no error text from curl}"
    return 1
  fi
  if [[ "$status" != 200 ]]; then
    printf 'GET %s/healthz returned HTTP %s, expected 200\n' "$url" "$status"
    return 1
  fi
  if ! tr -d '\r' <"$work/healthz.headers" | grep -iqE '^cache-control:.*(^|[ ,:])no-store([ ,;]|$)'; then
    printf 'GET %s/healthz has no Cache-Control: no-store header\n' "$url"
    return 1
  fi
}

attempt=0
while :; do
  attempt=$((attempt + 1))
  if reason="$(check)"; then
    printf 'smoke test passed: %s (%s; attempt %d after %d s)\n' \
      "$url" "$(cat "$work/summary")" "$attempt" "$SECONDS"
    exit 0
  fi
  remaining=$((timeout - SECONDS))
  if ((remaining <= 0)); then
    break
  fi
  if ((!quiet)); then
    printf 'attempt %d: %s; retrying for up to %d s more\n' "$attempt" "$reason" "$remaining" >&2
  fi
  sleep "$((interval < remaining ? interval : remaining))"
done

printf 'error: smoke test failed after %d attempt(s) in %d s: %s\n' "$attempt" "$SECONDS" "$reason" >&2
exit 1
