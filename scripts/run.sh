#!/usr/bin/env bash
# Builds the release binary and runs the service in the foreground.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  cat <<'USAGE'
Usage: scripts/run.sh [SERVICE OPTIONS...]

Builds .build/release/simple-time-service (with the version from VERSION and the git revision)
and runs it in the foreground on http://localhost:8080 unless PORT/--port say otherwise.
Options after the script name go to the service (see: scripts/run.sh -- --help). Ctrl-C drains
and stops it.
USAGE
  exit 0
fi
[[ "${1:-}" == "--" ]] && shift
require_cmd swift "install the Swift 6.3.1 toolchain"
cd "$REPO_ROOT"
version_build_flags
swift build -c release "${VERSION_BUILD_FLAGS[@]}" >&2
exec .build/release/simple-time-service "$@"
