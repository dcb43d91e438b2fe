#!/usr/bin/env bash
# Destroy the deployment on AWS: terraform/app, and terraform/bootstrap only when asked.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=scripts/lib/aws.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/aws.sh"

usage() {
  cat <<'EOF'
Usage: scripts/destroy.sh [options]

Destroys terraform/app (load balancer, ECS service and cluster, VPC, NAT
gateways, logs, alarms, roles) with the real Terraform and AWS credentials.

With --bootstrap it then destroys terraform/bootstrap too: the ECR repository,
the lock table, the GitHub OIDC provider and roles, and the deployer policies.
The state bucket is never deleted by this script: it has prevent_destroy and
holds the history of every state. It is removed from the bootstrap's state and
left in place; the commands to delete it by hand are printed at the end.

Options:
  --bootstrap       also destroy terraform/bootstrap (after the app)
  --delete-images   with --bootstrap: delete the images in the ECR repository
                    (otherwise a repository that still holds images stops the destroy)
  --profile NAME    AWS profile (default: AWS_PROFILE or the default credentials)
  --region REGION   AWS region (default: AWS_REGION, else the Terraform default us-east-1)
  --auto-approve    destroy without asking
  -h, --help        show this help

If the load balancer has deletion protection (deletion_protection = true), set
it to false and apply first. Requires: terraform (>= 1.10), aws (AWS CLI v2).
EOF
}

with_bootstrap=0 delete_images=0 auto_approve=0
profile="" region=""
while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --bootstrap) with_bootstrap=1; shift ;;
    --delete-images) delete_images=1; shift ;;
    --profile) [[ $# -ge 2 ]] || die "--profile needs a value"; profile="$2"; shift 2 ;;
    --region) [[ $# -ge 2 ]] || die "--region needs a value"; region="$2"; shift 2 ;;
    --auto-approve) auto_approve=1; shift ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
((delete_images == 0 || with_bootstrap == 1)) || die "--delete-images only makes sense with --bootstrap"

require_cmd terraform "install Terraform >= 1.10: https://developer.hashicorp.com/terraform/install"
require_cmd aws "install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"

use_aws_account "$profile" "$region"
log "destroying as $AWS_IDENTITY"

BOOTSTRAP="$REPO_ROOT/terraform/bootstrap"
APP="$REPO_ROOT/terraform/app"
approve=()
((auto_approve)) && approve=(-auto-approve)
if ((!auto_approve)) && [[ ! -t 0 ]]; then
  die "no terminal to confirm on; pass --auto-approve to destroy without asking"
fi

# 1. The app -----------------------------------------------------------------------
if [[ ! -f "$APP/backend.hcl" ]]; then
  terraform -chdir="$BOOTSTRAP" init -input=false >/dev/null
  terraform -chdir="$BOOTSTRAP" output -raw backend_config > "$APP/backend.hcl" 2>/dev/null \
    || { rm -f "$APP/backend.hcl"; die "terraform/app/backend.hcl is missing and terraform/bootstrap has no state to make it from"; }
fi
terraform -chdir="$APP" init -input=false -backend-config=backend.hcl >/dev/null
if [[ -n "$(terraform -chdir="$APP" state list 2>/dev/null)" ]]; then
  log "terraform/app: destroy"
  # Destroying needs a value for every variable without a default; the image
  # is not used.
  terraform -chdir="$APP" destroy -input=false "${approve[@]}" \
    -var "image=${TF_VAR_image:-destroy.invalid/simple-time-service:destroy}"
else
  log "terraform/app: nothing deployed"
fi

((with_bootstrap)) || { log "done (terraform/bootstrap kept: pass --bootstrap to destroy it too)"; exit 0; }

# 2. The bootstrap -------------------------------------------------------------------
terraform -chdir="$BOOTSTRAP" init -input=false >/dev/null
bucket="$(terraform -chdir="$BOOTSTRAP" output -raw state_bucket 2>/dev/null || true)"
[[ -n "$bucket" ]] || die "terraform/bootstrap has no state here: nothing to destroy"
repository_url="$(terraform -chdir="$BOOTSTRAP" output -raw ecr_repository_url)"
repository="${repository_url#*/}"

images="$(aws ecr list-images --repository-name "$repository" --query 'length(imageIds)' --output text 2>/dev/null || echo 0)"
if [[ "$images" != 0 ]]; then
  ((delete_images)) || die "the ECR repository $repository still holds $images images: pass --delete-images to delete them with it"
  log "deleting $images images from $repository"
  while :; do
    ids="$(aws ecr list-images --repository-name "$repository" --max-items 100 --query 'imageIds[*]' --output json)"
    [[ "$ids" != "[]" ]] || break
    aws ecr batch-delete-image --repository-name "$repository" --image-ids "$ids" >/dev/null
  done
fi

# The state bucket has prevent_destroy: take it (and its settings) out of the
# bootstrap's state so the rest can be destroyed, and leave it in place.
mapfile -t bucket_resources < <(terraform -chdir="$BOOTSTRAP" state list | grep -E '^aws_s3_bucket(_[a-z_]+)?\.state$' || true)
if ((${#bucket_resources[@]} > 0)); then
  log "keeping the state bucket $bucket: removing it from terraform/bootstrap's state"
  terraform -chdir="$BOOTSTRAP" state rm "${bucket_resources[@]}" >/dev/null
fi

log "terraform/bootstrap: destroy"
terraform -chdir="$BOOTSTRAP" destroy -input=false "${approve[@]}"

cat >&2 <<EOF
==> done. The state bucket $bucket was kept (it holds every state version).
    To delete it, empty it of all object versions first, for example:
      aws s3api delete-objects --bucket $bucket --delete "\$(aws s3api list-object-versions --bucket $bucket \\
        --query '{Objects: [Versions, DeleteMarkers][][].{Key: Key, VersionId: VersionId}, Quiet: \`true\`}' --output json)"
      aws s3api delete-bucket --bucket $bucket
    (repeat the first command while more than 1,000 versions remain)
EOF
