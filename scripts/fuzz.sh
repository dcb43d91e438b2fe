#!/usr/bin/env bash
# Fuzzes the HTTP request parser, chunked decoder and connection state machine with libFuzzer
# (the Swift toolchain's -sanitize=fuzzer,address), starting from the seed corpus in
# Fuzz/corpus, which holds the parser's test table cases.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/fuzz.sh [--seconds N] [--jobs N] [--keep-corpus]

Builds Fuzz/HTTPParserFuzzer.swift with the parser sources under libFuzzer and AddressSanitizer
and runs it for N seconds (default 60) from the seed corpus Fuzz/corpus. New inputs go to
.cache/fuzz/corpus (kept between runs); a crash leaves its input in .cache/fuzz/ and fails the
run: add it to the parser's test table and to Fuzz/corpus once fixed.

  --seconds N     how long to fuzz (default 60)
  --jobs N        parallel fuzzing processes (default 1)
  --keep-corpus   do not clear the generated corpus first
  -h, --help      this text
USAGE
}

seconds=60
jobs=1
keep=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="${2:?--seconds needs a value}"; shift 2 ;;
    --jobs) jobs="${2:?--jobs needs a value}"; shift 2 ;;
    --keep-corpus) keep=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] || die "--seconds must be a whole number"
require_cmd swiftc "install the Swift toolchain"

work="$REPO_ROOT/.cache/fuzz"
mkdir -p "$work"
binary="$work/http-parser-fuzzer"
sources=("$REPO_ROOT"/Sources/HTTPServer/HTTP/*.swift "$REPO_ROOT"/Sources/HTTPServer/Connection/*.swift
  "$REPO_ROOT/Sources/HTTPServer/Time/MonotonicTime.swift" "$REPO_ROOT/Fuzz/HTTPParserFuzzer.swift")

log "building the fuzzer"
swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name HTTPServer \
  -swift-version 6 "${sources[@]}" -o "$binary" 2>"$work/build.log" \
  || { cat "$work/build.log" >&2; die "the fuzzer did not build"; }

corpus="$work/corpus"
if [[ "$keep" != true ]]; then rm -rf "$corpus"; fi
mkdir -p "$corpus"

log "fuzzing for ${seconds}s from $(find "$REPO_ROOT/Fuzz/corpus" -type f | wc -l) seeds"
cd "$work"
# The Swift runtime's own crash reporter would fight AddressSanitizer's; libFuzzer reports.
export SWIFT_BACKTRACE=enable=no
set +e
"$binary" "$corpus" "$REPO_ROOT/Fuzz/corpus" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
  -rss_limit_mb=2048 -jobs="$jobs" -workers="$jobs" -print_final_stats=1 -artifact_prefix="$work/" 2>"$work/fuzz.log"
status=$?
set -e
grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)' "$work/fuzz.log" || true
if [[ $status -ne 0 ]]; then
  tail -n 40 "$work/fuzz.log" >&2
  die "the fuzzer found a failure (status $status); input saved in $work/"
fi
log "no crash in ${seconds}s"
