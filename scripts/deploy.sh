#!/usr/bin/env bash
# Deploy SimpleTimeService to AWS: bootstrap if needed, init, plan, apply, smoke test.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=scripts/lib/aws.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/aws.sh"

usage() {
  cat <<'EOF'
Usage: scripts/deploy.sh (--image REF | --tag TAG | --digest sha256:HEX) [options]

Deploys terraform/app with the real Terraform (>= 1.10) and AWS credentials:

  1. terraform/bootstrap: applied when it has no state yet (state bucket, lock
     table, ECR repository, GitHub roles), or with --bootstrap
  2. terraform/app/backend.hcl written from the bootstrap's backend_config output
  3. terraform init -backend-config=backend.hcl
  4. terraform plan with the image, saved to a plan file
  5. terraform apply of that plan (asks first unless --auto-approve)
  6. scripts/smoke-test.sh against the `url` output

The image:
  --image REF          a full reference with a tag or digest
                       (REGISTRY/REPO:TAG or REGISTRY/REPO@sha256:...)
  --tag TAG            a tag in the bootstrap's ECR repository; resolved to its
                       digest, so exactly that image is deployed
  --digest sha256:HEX  a digest in the bootstrap's ECR repository

Options:
  --profile NAME     AWS profile (default: AWS_PROFILE or the default credentials)
  --region REGION    AWS region (default: AWS_REGION, else the Terraform default us-east-1)
  --bootstrap        apply terraform/bootstrap even if it already has state
  --auto-approve     apply without asking (for automation)
  --smoke-timeout S  seconds the smoke test retries while the service warms up (default 300)
  --skip-smoke       do not run the smoke test
  -h, --help         show this help

Settings other than the image come from terraform/app/*.auto.tfvars (the committed
production.auto.tfvars of an environment GitHub Actions also deploys) and
terraform/app/terraform.tfvars (start from terraform.tfvars.example), and from
terraform/bootstrap/terraform.tfvars.
Requires: terraform, aws (AWS CLI v2), curl, python3.
EOF
}

image="" tag="" digest=""
profile="" region=""
force_bootstrap=0 auto_approve=0 smoke=1 smoke_timeout=300
while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --image) [[ $# -ge 2 ]] || die "--image needs a value"; image="$2"; shift 2 ;;
    --tag) [[ $# -ge 2 ]] || die "--tag needs a value"; tag="$2"; shift 2 ;;
    --digest) [[ $# -ge 2 ]] || die "--digest needs a value"; digest="$2"; shift 2 ;;
    --profile) [[ $# -ge 2 ]] || die "--profile needs a value"; profile="$2"; shift 2 ;;
    --region) [[ $# -ge 2 ]] || die "--region needs a value"; region="$2"; shift 2 ;;
    --bootstrap) force_bootstrap=1; shift ;;
    --auto-approve) auto_approve=1; shift ;;
    --smoke-timeout) [[ $# -ge 2 ]] || die "--smoke-timeout needs a value"; smoke_timeout="$2"; shift 2 ;;
    --skip-smoke) smoke=0; shift ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

chosen=0
for value in "$image" "$tag" "$digest"; do
  [[ -n "$value" ]] && chosen=$((chosen + 1))
done
((chosen == 1)) || die "give the image to deploy with exactly one of --image, --tag or --digest (see --help)"
[[ -z "$digest" || "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || die "--digest must be sha256: followed by 64 hex digits"
[[ -z "$image" || "$image" =~ (:[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[0-9a-f]{64})$ ]] || die "--image must end in :TAG or @sha256:DIGEST"
[[ "$image" != *:latest && "$tag" != latest ]] || die "refusing to deploy 'latest': give the version tag or the digest"
[[ "$smoke_timeout" =~ ^[0-9]+$ ]] || die "--smoke-timeout must be a number of seconds"

require_cmd terraform "install Terraform >= 1.10: https://developer.hashicorp.com/terraform/install"
require_cmd aws "install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"
require_cmd curl
require_cmd python3

tf_version="$(terraform version -json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])' 2>/dev/null || true)"
[[ -n "$tf_version" ]] || die "cannot read the Terraform version ('terraform version -json' failed)"
python3 -c 'import sys; v=tuple(int(x) for x in sys.argv[1].split("-")[0].split(".")[:2]); sys.exit(0 if v >= (1, 10) else 1)' "$tf_version" \
  || die "Terraform $tf_version is too old: 1.10 or newer is needed (S3 native state locking)"

use_aws_account "$profile" "$region"
log "deploying as $AWS_IDENTITY"

BOOTSTRAP="$REPO_ROOT/terraform/bootstrap"
APP="$REPO_ROOT/terraform/app"

confirm() {
  ((auto_approve)) && return 0
  [[ -t 0 ]] || die "$1: no terminal to ask on; pass --auto-approve to apply without asking"
  local answer
  read -r -p "$1 [y/N] " answer
  [[ "$answer" == [yY] || "$answer" == [yY][eE][sS] ]] || die "cancelled"
}

# 1. Bootstrap -----------------------------------------------------------------
terraform -chdir="$BOOTSTRAP" init -input=false >/dev/null
if ((force_bootstrap)) || [[ -z "$(terraform -chdir="$BOOTSTRAP" state list 2>/dev/null)" ]]; then
  log "terraform/bootstrap: plan"
  terraform -chdir="$BOOTSTRAP" plan -input=false -out=bootstrap.tfplan
  confirm "Apply terraform/bootstrap (state bucket, lock table, ECR repository, roles)?"
  terraform -chdir="$BOOTSTRAP" apply -input=false bootstrap.tfplan
  rm -f "$BOOTSTRAP/bootstrap.tfplan"
else
  log "terraform/bootstrap: already applied (use --bootstrap to apply it again)"
fi

# 2. Backend configuration -------------------------------------------------------
terraform -chdir="$BOOTSTRAP" output -raw backend_config > "$APP/backend.hcl" \
  || die "terraform/bootstrap has no backend_config output: apply it first (--bootstrap)"
log "wrote terraform/app/backend.hcl"

# 3. The image -------------------------------------------------------------------
if [[ -n "$tag" || -n "$digest" ]]; then
  repository_url="$(terraform -chdir="$BOOTSTRAP" output -raw ecr_repository_url)"
  repository="${repository_url#*/}"
  if [[ -n "$tag" ]]; then
    digest="$(aws ecr describe-images --repository-name "$repository" --image-ids "imageTag=$tag" \
      --query 'imageDetails[0].imageDigest' --output text 2>&1)" \
      || die "image tag '$tag' not found in $repository_url (${digest##*$'\n'}); push it first (scripts/image.sh or the image workflow)"
  else
    out="$(aws ecr describe-images --repository-name "$repository" --image-ids "imageDigest=$digest" 2>&1)" \
      || die "image $digest not found in $repository_url (${out##*$'\n'})"
  fi
  image="$repository_url@$digest"
fi
log "image: $image"

# 4. Init and plan ---------------------------------------------------------------
log "terraform/app: init"
terraform -chdir="$APP" init -input=false -backend-config=backend.hcl >/dev/null
log "terraform/app: plan"
terraform -chdir="$APP" plan -input=false -var "image=$image" -out=app.tfplan

# 5. Apply -----------------------------------------------------------------------
confirm "Apply this plan to terraform/app?"
terraform -chdir="$APP" apply -input=false app.tfplan
rm -f "$APP/app.tfplan"

url="$(terraform -chdir="$APP" output -raw url)"
log "deployed: $url"

# 6. Smoke test --------------------------------------------------------------------
if ((smoke)); then
  "$REPO_ROOT/scripts/smoke-test.sh" "$url" --timeout "$smoke_timeout"
fi
