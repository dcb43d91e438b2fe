#!/usr/bin/env bash
# Configure this repository's GitHub Actions from terraform/bootstrap's outputs.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"

usage() {
  cat <<'EOF'
Usage: .github/scripts/configure-repository.sh [--repo OWNER/NAME] [--reviewer LOGIN]... [--dry-run]

After `terraform apply` in terraform/bootstrap (with github_repository set), sets what
the Image and Deploy workflows need, reading every value from the bootstrap's outputs:

  repository variables  AWS_REGION, AWS_ROLE_ARN, AWS_IMAGE_PUSH_ROLE_ARN,
                        AWS_PLAN_ROLE_ARN (when the plan role exists),
                        ECR_REPOSITORY_URL, TF_BACKEND_CONFIG
  environment           production: required reviewers, deployments from main only

Options:
  --repo OWNER/NAME   the GitHub repository (default: the one gh sees in this clone)
  --reviewer LOGIN    a required reviewer of production deployments; repeatable
                      (default: you, the gh user). Required reviewers need a public
                      repository or a GitHub plan that offers them for private ones.
  --dry-run           print the gh commands instead of running them
  -h, --help          show this help

Requires: terraform (with access to the bootstrap's state) and gh (logged in with the
repo scope; `gh auth login`).
EOF
}

repo=""
reviewers=()
dry_run=0
while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --repo)
      if (($# < 2)); then die "--repo needs OWNER/NAME"; fi
      repo="$2"; shift 2 ;;
    --reviewer)
      if (($# < 2)); then die "--reviewer needs a GitHub login"; fi
      reviewers+=("$2"); shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

require_cmd terraform "https://developer.hashicorp.com/terraform/install"
require_cmd gh "https://cli.github.com"

bootstrap="$REPO_ROOT/terraform/bootstrap"
# output NAME: the bootstrap output's raw value, or nothing when it is missing or null.
output() { terraform -chdir="$bootstrap" output -raw "$1" 2>/dev/null || true; }

backend_config="$(output backend_config)"
[[ -n "$backend_config" ]] \
  || die "terraform/bootstrap has no outputs here: apply it first (docs/deploy.md), from this clone"
region="$(sed -nE 's/^region[[:space:]]*=[[:space:]]*"([^"]+)".*/\1/p' <<<"$backend_config")"
[[ -n "$region" ]] || die "the bootstrap's backend_config output names no region"
ecr_repository_url="$(output ecr_repository_url)"
deploy_role="$(output github_actions_role_arn)"
push_role="$(output github_image_push_role_arn)"
plan_role="$(output github_plan_role_arn)"
[[ -n "$deploy_role" && -n "$push_role" ]] \
  || die "the bootstrap made no GitHub roles: set github_repository = \"OWNER/NAME\" in terraform/bootstrap and apply it"

if [[ -z "$repo" ]]; then
  repo="$(gh repo view --json nameWithOwner --jq .nameWithOwner 2>/dev/null)" \
    || die "cannot tell which GitHub repository this is: pass --repo OWNER/NAME"
fi
if ((${#reviewers[@]} == 0)); then
  reviewers=("$(gh api user --jq .login)") || die "gh is not logged in (gh auth login)"
fi

run() {
  if ((dry_run)); then
    printf '+'
    printf ' %q' "$@"
    printf '\n'
  else
    "$@"
  fi
}

log "repository variables of $repo"
set_variable() { run gh variable set "$1" --repo "$repo" --body "$2"; }
set_variable AWS_REGION "$region"
set_variable AWS_ROLE_ARN "$deploy_role"
set_variable AWS_IMAGE_PUSH_ROLE_ARN "$push_role"
if [[ -n "$plan_role" ]]; then
  set_variable AWS_PLAN_ROLE_ARN "$plan_role"
else
  warn "no plan role (github_plan_on_pull_requests = false): pull requests get no terraform plan"
fi
set_variable ECR_REPOSITORY_URL "$ecr_repository_url"
set_variable TF_BACKEND_CONFIG "$backend_config"

log "environment production of $repo (reviewers: ${reviewers[*]}; deployments from main only)"
reviewer_json=""
for login in "${reviewers[@]}"; do
  id="$(gh api "users/$login" --jq .id)" || die "no GitHub user '$login'"
  [[ "$id" =~ ^[0-9]+$ ]] || die "GitHub returned no numeric ID for '$login'"
  reviewer_json+="${reviewer_json:+,}{\"type\":\"User\",\"id\":$id}"
done
environment_json="{\"reviewers\":[$reviewer_json],\"deployment_branch_policy\":{\"protected_branches\":false,\"custom_branch_policies\":true}}"
if ((dry_run)); then
  printf '+ gh api --method PUT repos/%s/environments/production --input - <<< %q\n' "$repo" "$environment_json"
else
  gh api --method PUT "repos/$repo/environments/production" --input - <<<"$environment_json" >/dev/null
fi
policies="$(gh api "repos/$repo/environments/production/deployment-branch-policies" \
  --jq '[.branch_policies[].name] | join(" ")' 2>/dev/null || true)"
if [[ " $policies " != *" main "* ]]; then
  run gh api --method POST "repos/$repo/environments/production/deployment-branch-policies" \
    -f name=main -f type=branch --silent
fi

# The workflows see only committed files: settings kept in the (ignored) terraform.tfvars
# would be undone by the next deployment from GitHub.
app_tfvars="$REPO_ROOT/terraform/app/terraform.tfvars"
if [[ -f "$app_tfvars" ]] && grep -qvE '^[[:space:]]*(#.*)?$' "$app_tfvars"; then
  warn "terraform/app/terraform.tfvars is not committed, so GitHub deployments do not see its settings: move them to a committed terraform/app/production.auto.tfvars"
fi

log "done: merges to main now build the image, wait for a reviewer, deploy and smoke-test"
