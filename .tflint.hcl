# TFLint configuration for every Terraform configuration under terraform/.
#
#   tflint --init --config "$PWD/.tflint.hcl"
#   tflint --recursive --config "$PWD/.tflint.hcl"
#
# Run by .github/workflows/ci.yml (TFLint needs its plugins from GitHub, so it is not
# part of the offline test command). Keep TFLINT_VERSION in ci.yml and the plugin
# versions here in step.

config {
  # Follow calls to the modules in this repository (terraform/modules/*), so rules see
  # the values the roots pass in.
  call_module_type = "local"
}

# Terraform language rules (bundled with TFLint): the recommended preset, plus
# documentation and naming rules that a reference configuration should meet.
plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

rule "terraform_documented_variables" {
  enabled = true
}

rule "terraform_documented_outputs" {
  enabled = true
}

rule "terraform_naming_convention" {
  enabled = true
  format  = "snake_case"
}

# AWS rules: invalid instance types, regions, names and values that the provider's own
# validation accepts but the AWS API rejects at apply time.
plugin "aws" {
  enabled = true
  version = "0.49.0"
  source  = "github.com/terraform-linters/tflint-ruleset-aws"
}
