#!/usr/bin/env bash
# Print a saved Terraform plan as Markdown for a GitHub Actions job summary.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: .github/scripts/plan-summary.sh PLAN_FILE [TITLE]

Run in the Terraform configuration's directory. Prints a heading, the plan's one-line
result ("Plan: 1 to add, ..." or "No changes.") and the full plan in a collapsed block,
cut to stay within GitHub's 1 MiB summary limit. Values Terraform marks sensitive are
already hidden by `terraform show`; AWS account IDs (any 12-digit number standing alone)
are replaced with *** here, because job summaries of public repositories are public.
USAGE
}

if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
  usage
  exit 0
fi
if (($# < 1 || $# > 2)); then
  usage >&2
  exit 2
fi
plan_file="$1"
title="${2:-Terraform plan}"
[[ -f "$plan_file" ]] || { printf 'error: plan file %s does not exist\n' "$plan_file" >&2; exit 1; }
command -v terraform >/dev/null || { printf 'error: terraform is not on PATH\n' >&2; exit 1; }

# A 12-digit number standing alone is an AWS account ID (in ARNs, registry hosts, names).
text="$(terraform show -no-color "$plan_file" | sed -E ':a; s/(^|[^0-9])[0-9]{12}([^0-9]|$)/\1***\2/; ta')"
result="$(grep -E '^(Plan: |No changes\.|Changes to Outputs:)' <<<"$text" | head -n 1 || true)"
limit=60000

printf '### %s\n\n' "$title"
printf '**%s**\n\n' "${result:-See the plan below.}"
printf '<details><summary>Full plan</summary>\n\n~~~~~~hcl\n'
if ((${#text} > limit)); then
  printf '%s\n' "${text:0:limit}"
  printf '\n... (cut: %d more characters; the job log has the whole plan)\n' "$((${#text} - limit))"
else
  printf '%s\n' "$text"
fi
printf '~~~~~~\n\n</details>\n\n'
