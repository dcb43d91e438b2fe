# State lives in the S3 bucket made by ../bootstrap. The bucket, key and region
# come from the backend.hcl that the bootstrap writes (its backend_config output):
#
#   terraform init -backend-config=backend.hcl
#
# Locking uses S3 itself (a lock object next to the state, Terraform >= 1.10):
# see docs/adr/0004-s3-native-state-locking.md for the DynamoDB table and how
# to move from one to the other.
terraform {
  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }
}
