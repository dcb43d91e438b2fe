#!/usr/bin/env bash
# Check the Terraform offline: format, validate, tests, plans, schema, checkov,
# and consistency with the Dockerfile and the service.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'EOF'
Usage: scripts/tf-check.sh [--stage NAME]... [--keep-going] [-v]

Checks everything under terraform/ without AWS credentials or network access,
using scripts/terraform-offline (Terraform 1.15 and a schema-only hashicorp/aws
6.25.0 provider). Stages, in order:

  fmt          terraform fmt -check -recursive
  validate     terraform init -backend=false + validate of every root and module
  test         terraform test of every root and module (tests/*.tftest.hcl,
               mock_provider "aws")
  plan         terraform plan -refresh=false of terraform/app and terraform/bootstrap
               with their terraform.tfvars.example (in a scratch copy)
  schema       every resource, data source, argument, block and attribute
               reference against the committed hashicorp/aws 6.25.0 schema
  checkov      checkov over terraform/ (zero failed checks; every skip carries
               its reason inline)
  consistency  checks/consistency: the task definition, Dockerfile and service
               binary agree (port, health path and command, user, trusted
               proxies, timeouts), and iam/deployer-policy.json covers every
               AWS service the Terraform manages

The consistency stage runs .build/release/simple-time-service with the task
definition's environment; it is built with `swift build -c release` if missing.
checkov is installed into .venv/checkov from requirements/checkov.txt on first use.
Takes about 1-2 minutes once the virtual environments exist.

Options:
  --stage NAME  run only this stage (repeatable); plan runs too when schema or
                consistency needs it
  --keep-going  run every stage even after one failed
  -v            show each stage's full output, not only on failure
  -h, --help    show this help
EOF
}

ALL_STAGES=(fmt validate test plan schema checkov consistency)
stages=()
keep_going=0
verbose=0
while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --stage)
      [[ $# -ge 2 ]] || die "--stage needs a name (one of: ${ALL_STAGES[*]})"
      [[ " ${ALL_STAGES[*]} " == *" $2 "* ]] || die "unknown stage '$2' (one of: ${ALL_STAGES[*]})"
      stages+=("$2"); shift 2 ;;
    --keep-going) keep_going=1; shift ;;
    -v) verbose=1; shift ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
if ((${#stages[@]} == 0)); then
  stages=("${ALL_STAGES[@]}")
elif [[ " ${stages[*]} " =~ " "(schema|consistency)" " && " ${stages[*]} " != *" plan "* ]]; then
  stages=(plan "${stages[@]}")
fi

cd "$REPO_ROOT"
TF="$REPO_ROOT/scripts/terraform-offline"
[[ -x "$TF" ]] || die "scripts/terraform-offline is missing or not executable: it runs Terraform offline"
require_cmd python3 "Python 3.11 or newer"

CONFIGS=(terraform/bootstrap terraform/modules/network terraform/modules/load-balancer terraform/modules/service terraform/app)
for dir in "${CONFIGS[@]}"; do
  [[ -d "$dir" ]] || die "$dir does not exist"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/tf-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT
plan_dir="$work/plans"

# Quiet Terraform: no colour, no prompts; the dev_overrides warning that every
# offline command prints is noise here.
export TF_IN_AUTOMATION=1 TF_INPUT=0 NO_COLOR=1

tf() { (cd "$1" && shift && "$TF" "$@"); }

# --- stages -------------------------------------------------------------------
# Each prints one summary line on stdout (the detail goes to the stage's log).

stage_fmt() {
  if tf terraform fmt -check -recursive -diff -no-color; then
    echo "$(find terraform -name '*.tf' -o -name '*.tftest.hcl' -o -name '*.tfvars.example' | grep -vc '/\.terraform/') files formatted"
  else
    echo "files above need terraform fmt"; return 1
  fi
}

stage_validate() {
  local dir
  for dir in "${CONFIGS[@]}"; do
    tf "$dir" init -backend=false -input=false -no-color >/dev/null || { echo "init failed in $dir"; return 1; }
    tf "$dir" validate -no-color -json > "$work/validate.json" || true
    # Errors and warnings (deprecations included) both fail; the notice that
    # the offline provider is a development override is expected.
    python3 - "$dir" "$work/validate.json" <<'PY' || return 1
import json, sys
where, path = sys.argv[1], sys.argv[2]
result = json.load(open(path))
problems = [
    d for d in result.get("diagnostics", [])
    if d.get("summary") != "Provider development overrides are in effect"
]
for d in problems:
    r = d.get("range") or {}
    at = f" ({r.get('filename')}:{r.get('start', {}).get('line')})" if r else ""
    print(f"{where}: {d['severity']}: {d['summary']}{at}: {d.get('detail', '')}")
if problems or not result.get("valid"):
    print(f"validate failed in {where}")
    sys.exit(1)
PY
  done
  echo "${#CONFIGS[@]} configurations valid, no warnings (${CONFIGS[*]#terraform/})"
}

stage_test() {
  local dir out passed=0 failed=0 bad=()
  for dir in "${CONFIGS[@]}"; do
    tf "$dir" init -backend=false -input=false -no-color >/dev/null || { echo "init failed in $dir"; return 1; }
    if out="$(tf "$dir" test -no-color 2>&1)"; then :; else bad+=("$dir"); fi
    printf '%s\n' "$out"
    if [[ "$out" =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
      passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    else
      bad+=("$dir (no result line)")
    fi
  done
  echo "$passed runs passed, $failed failed in ${#CONFIGS[@]} configurations"
  ((${#bad[@]} == 0)) || { echo "failing: ${bad[*]}"; return 1; }
}

stage_plan() {
  python3 checks/consistency/tfplan.py --out "$plan_dir" app bootstrap | tee "$work/plan-summary"
  # One line for the summary.
  paste -sd ';' "$work/plan-summary" | sed 's| -> [^;]*||g; s|;|; |g'
}

stage_schema() {
  TF_CHECK_PLAN_DIR="$plan_dir" python3 checks/consistency/run.py -v --label schema test_schema
}

stage_checkov() {
  local bin
  bin="$(ensure_venv checkov "$REPO_ROOT/requirements/checkov.txt")"
  # --skip-download: no network (and no Prisma Cloud account) needed.
  "$bin/checkov" --directory terraform --framework terraform --skip-download \
    --quiet --compact --output cli --output json --output-file-path "$work/checkov" || true
  python3 - "$work/checkov/results_json.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
reports = data if isinstance(data, list) else [data]
passed = sum(r["summary"]["passed"] for r in reports)
failed = sum(r["summary"]["failed"] for r in reports)
skipped = sum(r["summary"]["skipped"] for r in reports)
unexplained = [
    f"{c['check_id']} on {c['resource']}"
    for r in reports for c in r["results"].get("skipped_checks", [])
    if not (c.get("check_result", {}).get("suppress_comment") or "").strip()
    or c["check_result"]["suppress_comment"] == "No comment provided"
]
for item in unexplained:
    print(f"skip without a reason: {item}")
print(f"{passed} passed, {failed} failed, {skipped} skipped (each with its reason inline)")
sys.exit(1 if failed or unexplained or not passed else 0)
PY
}

stage_consistency() {
  local binary="$REPO_ROOT/.build/release/simple-time-service"
  if [[ -z "${SIMPLE_TIME_SERVICE_BIN:-}" && ! -x "$binary" ]]; then
    require_cmd swift "the consistency stage runs the service binary; install Swift or set SIMPLE_TIME_SERVICE_BIN"
    log "building the service (swift build -c release) for the consistency tests"
    swift build -c release >&2 || { echo "swift build -c release failed"; return 1; }
  fi
  TF_CHECK_PLAN_DIR="$plan_dir" python3 checks/consistency/run.py -v \
    test_service_contract test_deployer_policy test_terraform_static
}

# --- run ----------------------------------------------------------------------

results=()
failed_stages=()
total_start=$SECONDS
for stage in "${stages[@]}"; do
  log "tf-check: $stage"
  start=$SECONDS
  stage_log="$work/$stage.log"
  if "stage_$stage" >"$stage_log" 2>&1; then status=ok; else status=FAILED; fi
  elapsed=$((SECONDS - start))
  summary="$(grep -v '^[[:space:]]*$' "$stage_log" | tail -n 1)"
  if [[ "$status" == FAILED ]]; then
    # The whole log: what failed, and where.
    sed 's/^/    /' "$stage_log" >&2
    failed_stages+=("$stage")
  elif ((verbose)); then
    sed 's/^/    /' "$stage_log" >&2
  fi
  results+=("$(printf '%-7s %-12s %4ss  %s' "$status" "$stage" "$elapsed" "$summary")")
  if [[ "$status" == FAILED ]] && ((!keep_going)); then
    break
  fi
done

printf '%s\n' "${results[@]}"
ran=${#results[@]}
printf 'tf-check: %d passed, %d failed (%ss)\n' "$((ran - ${#failed_stages[@]}))" "${#failed_stages[@]}" "$((SECONDS - total_start))"
if ((${#failed_stages[@]} > 0)); then
  die "tf-check failed: ${failed_stages[*]}"
fi
