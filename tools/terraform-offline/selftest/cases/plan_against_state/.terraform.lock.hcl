# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

# A lock file as committed for online use (these hashes are placeholders, not
# the real provider's): offline init and plan must work and leave it as it is.
provider "registry.terraform.io/hashicorp/aws" {
  version     = "6.25.0"
  constraints = "~> 6.0"
  hashes = [
    "h1:0000000000000000000000000000000000000000000=",
    "zh:0000000000000000000000000000000000000000000000000000000000000000",
  ]
}
