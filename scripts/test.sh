#!/usr/bin/env bash
# The one command that runs every test and check of the project. CI runs exactly this.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

STAGES=(build swift contract smoke fuzz stress lint terraform-offline terraform image)

usage() {
  cat <<USAGE
Usage: scripts/test.sh [--only STAGE[,STAGE...]] [--skip STAGE[,STAGE...]] [--fuzz-seconds N] [--list]

Runs every test and check, in this order, and prints a summary. Exits non-zero if any stage
fails. Python tools are installed into .venv/ on first use; system packages are not installed
(see .ci/run for the list: apt-get install ...).

Stages:
  build              swift build (debug with tests, and release) with warnings as errors
  swift              Swift Testing: unit tests and integration tests against the release binary
  contract           real responses checked against docs/openapi.yaml
  smoke              scripts/smoke-test.sh against fake servers and the real service
  fuzz               libFuzzer on the HTTP parser (60 s by default)
  stress             short load and fault tests: slowloris, fd exhaustion, soak, shutdown
  lint               shellcheck, hadolint, actionlint
  terraform-offline  self-tests of the offline Terraform provider
  terraform          terraform fmt, validate, plan, test, schema, checkov, consistency
  image              build the container image with buildah, run and check it with podman

  --only LIST        run only these stages (comma-separated)
  --skip LIST        skip these stages
  --fuzz-seconds N   how long the fuzz stage runs (default 60)
  --list             print the stages and exit
  -h, --help         this text
USAGE
}

only=""
skip=""
fuzz_seconds=60
while [[ $# -gt 0 ]]; do
  case "$1" in
    --only) only="${2:?--only needs a list}"; shift 2 ;;
    --skip) skip="${2:?--skip needs a list}"; shift 2 ;;
    --fuzz-seconds) fuzz_seconds="${2:?--fuzz-seconds needs a value}"; shift 2 ;;
    --list) printf '%s\n' "${STAGES[@]}"; exit 0 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
for name in ${only//,/ } ${skip//,/ }; do
  [[ " ${STAGES[*]} " == *" $name "* ]] || die "unknown stage '$name' (see --list)"
done

cd "$REPO_ROOT"
BINARY="$REPO_ROOT/.build/release/simple-time-service"
export SIMPLE_TIME_SERVICE_BINARY="$BINARY"
version_build_flags

stage_build() {
  require_cmd swift "install the Swift 6.3.1 toolchain"
  swift build --build-tests -Xswiftc -warnings-as-errors
  swift build -c release -Xswiftc -warnings-as-errors "${VERSION_BUILD_FLAGS[@]}"
  "$BINARY" --version
}

stage_swift() {
  require_cmd curl "apt-get install curl"
  require_cmd nginx "apt-get install nginx-light (the reverse-proxy tests run a real nginx)"
  [[ -x "$BINARY" ]] || die "no release binary: run the build stage first"
  swift test --skip-build
}

stage_contract() {
  local bin
  bin="$(ensure_venv test "$REPO_ROOT/requirements/test.txt")"
  "$bin/python" checks/contract/check_openapi.py "$BINARY"
}

stage_smoke() {
  checks/smoke/test_smoke.sh --binary "$BINARY" --require-service
}

stage_fuzz() {
  scripts/fuzz.sh --seconds "$fuzz_seconds"
}

stage_stress() {
  bench/stress.sh --quick --binary "$BINARY"
}

stage_lint() {
  scripts/lint.sh
}

stage_terraform_offline() {
  scripts/terraform-offline selftest
}

stage_terraform() {
  scripts/tf-check.sh
}

# The image stage needs buildah, podman and debootstrap. Where they are missing the stage is
# reported as skipped, with the reason, never passed. CI installs them and sets CI=true, and
# there a stage that cannot run fails.
stage_image() {
  local status=0
  scripts/image.sh build || status=$?
  if [[ $status -eq 3 ]]; then return 3; fi
  [[ $status -eq 0 ]] || return "$status"
  scripts/image.sh test
  scripts/image.sh save
}

declare -a results=()
failed=0
for stage in "${STAGES[@]}"; do
  if [[ -n "$only" && ",$only," != *",$stage,"* ]]; then continue; fi
  if [[ ",$skip," == *",$stage,"* ]]; then
    results+=("$(printf '%-18s skipped (--skip)' "$stage")")
    continue
  fi
  printf '\n==================== %s ====================\n' "$stage" >&2
  started=$SECONDS
  status=0
  ( "stage_${stage//-/_}" ) || status=$?
  elapsed=$((SECONDS - started))
  if [[ $status -eq 0 ]]; then
    results+=("$(printf '%-18s passed   %4ds' "$stage" "$elapsed")")
  elif [[ $stage == image && $status -eq 3 && "${CI:-}" != true ]]; then
    results+=("$(printf '%-18s SKIPPED  %4ds  the image cannot be built here: see "image checks cannot run here" above' "$stage" "$elapsed")")
  else
    results+=("$(printf '%-18s FAILED   %4ds  (exit %d)' "$stage" "$elapsed" "$status")")
    failed=$((failed + 1))
  fi
done

printf '\n==================== summary ====================\n'
printf '%s\n' "${results[@]}"
if [[ $failed -gt 0 ]]; then
  printf '%d stage(s) failed\n' "$failed"
  exit 1
fi
printf 'all stages passed\n'
