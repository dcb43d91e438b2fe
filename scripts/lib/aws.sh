# shellcheck shell=bash
# AWS helpers shared by scripts/deploy.sh and scripts/destroy.sh. Source it after common.sh.

# use_aws_account PROFILE REGION: exports the profile and region (either may be empty) for the
# AWS CLI and Terraform, checks that the credentials work, and sets AWS_IDENTITY to the caller's
# ARN. Dies with one line naming what to do when there are no usable credentials.
use_aws_account() {
  local profile=$1 region=$2 identity
  if [[ -n "$profile" ]]; then export AWS_PROFILE="$profile"; fi
  if [[ -n "$region" ]]; then
    export AWS_REGION="$region" AWS_DEFAULT_REGION="$region" TF_VAR_region="$region"
  fi
  identity="$(aws sts get-caller-identity --query Arn --output text 2>&1)" \
    || die "no usable AWS credentials${AWS_PROFILE:+ for profile $AWS_PROFILE} (aws sts get-caller-identity: ${identity##*$'\n'}); run 'aws configure' or 'aws sso login', or pass --profile"
  # shellcheck disable=SC2034 # read by the scripts that call this function
  AWS_IDENTITY="$identity"
}
