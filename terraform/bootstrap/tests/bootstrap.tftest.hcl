# Offline: runs with `mock_provider`, so no AWS account is needed.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }

  mock_data "aws_region" {
    defaults = {
      region = "us-east-1"
    }
  }

  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::simple-time-service-tfstate-123456789012-us-east-1"
    }
  }

  mock_resource "aws_ecr_repository" {
    defaults = {
      arn            = "arn:aws:ecr:us-east-1:123456789012:repository/simple-time-service"
      repository_url = "123456789012.dkr.ecr.us-east-1.amazonaws.com/simple-time-service"
    }
  }

  mock_resource "aws_iam_openid_connect_provider" {
    defaults = {
      arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    }
  }

  mock_data "aws_iam_openid_connect_provider" {
    defaults = {
      arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    }
  }
}

variables {
  github_repository = "example-org/simple-time-service"
}

run "state_bucket_is_locked_down" {
  command = apply

  assert {
    condition     = aws_s3_bucket.state.bucket == "simple-time-service-tfstate-123456789012-us-east-1" && aws_s3_bucket.state.force_destroy == false
    error_message = "The bucket name must carry the account and region, and force_destroy must be off."
  }

  assert {
    condition     = aws_s3_bucket_versioning.state.versioning_configuration[0].status == "Enabled"
    error_message = "Versioning must be on."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.state.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "Default encryption must be SSE-S3 without a KMS key."
  }

  assert {
    condition     = aws_s3_bucket_public_access_block.state.block_public_acls && aws_s3_bucket_public_access_block.state.block_public_policy && aws_s3_bucket_public_access_block.state.ignore_public_acls && aws_s3_bucket_public_access_block.state.restrict_public_buckets
    error_message = "All public access must be blocked."
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.state.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "Object ownership must be BucketOwnerEnforced (no ACLs)."
  }

  assert {
    condition     = contains([for s in jsondecode(aws_s3_bucket_policy.state.policy).Statement : s.Condition.Bool["aws:SecureTransport"] if s.Effect == "Deny" && can(s.Condition.Bool)], "false")
    error_message = "The bucket policy must deny requests without TLS."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.state.rule[0].noncurrent_version_expiration[0].noncurrent_days == 90 && aws_s3_bucket_lifecycle_configuration.state.rule[0].status == "Enabled"
    error_message = "Old state versions must expire after 90 days by default."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.state.rule[0].expiration[0].expired_object_delete_marker
    error_message = "Delete markers left by lock files must be cleaned up."
  }
}

run "state_bucket_with_kms" {
  command = plan

  variables {
    state_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.state.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms" && one(one(aws_s3_bucket_server_side_encryption_configuration.state.rule).apply_server_side_encryption_by_default).kms_master_key_id == var.state_kms_key_arn && one(aws_s3_bucket_server_side_encryption_configuration.state.rule).bucket_key_enabled
    error_message = "A KMS key must switch the bucket to SSE-KMS with a bucket key."
  }

  assert {
    condition     = strcontains(output.backend_config, "kms_key_id   = \"${var.state_kms_key_arn}\"")
    error_message = "The backend config must name the KMS key."
  }
}

run "lock_table" {
  command = plan

  assert {
    condition     = aws_dynamodb_table.lock[0].name == "simple-time-service-tflock" && aws_dynamodb_table.lock[0].hash_key == "LockID" && aws_dynamodb_table.lock[0].billing_mode == "PAY_PER_REQUEST"
    error_message = "The lock table must be on-demand with the LockID hash key Terraform expects."
  }

  assert {
    condition     = one(aws_dynamodb_table.lock[0].attribute).name == "LockID" && one(aws_dynamodb_table.lock[0].attribute).type == "S"
    error_message = "LockID must be a string attribute."
  }

  assert {
    condition     = aws_dynamodb_table.lock[0].point_in_time_recovery[0].enabled && aws_dynamodb_table.lock[0].server_side_encryption[0].enabled
    error_message = "Point-in-time recovery and encryption must be on."
  }
}

run "backend_config_names_everything_once" {
  command = plan

  assert {
    condition     = output.backend_config == join("\n", ["# Generated by terraform/bootstrap for terraform/app:", "#   terraform init -backend-config=backend.hcl", "bucket       = \"simple-time-service-tfstate-123456789012-us-east-1\"", "key          = \"simple-time-service/app.tfstate\"", "region       = \"us-east-1\"", "encrypt      = true", "use_lockfile = true", "# Only while Terraform < 1.10 clients share this state (docs/adr/0004-s3-native-state-locking.md):", "# dynamodb_table = \"simple-time-service-tflock\"", ""])
    error_message = "backend_config must hold the bucket, key, region, encryption and S3 native locking."
  }

  assert {
    condition     = output.state_bucket == "simple-time-service-tfstate-123456789012-us-east-1" && output.lock_table == "simple-time-service-tflock"
    error_message = "state_bucket and lock_table must be output."
  }
}

run "image_repository" {
  command = plan

  assert {
    condition     = aws_ecr_repository.this.name == "simple-time-service" && aws_ecr_repository.this.image_tag_mutability == "IMMUTABLE"
    error_message = "The repository must have immutable tags."
  }

  assert {
    condition     = aws_ecr_repository.this.image_scanning_configuration[0].scan_on_push && aws_ecr_repository.this.encryption_configuration[0].encryption_type == "KMS"
    error_message = "The repository must scan on push and encrypt with KMS."
  }

  assert {
    condition     = jsondecode(aws_ecr_lifecycle_policy.this.policy).rules[0].selection.countType == "imageCountMoreThan" && jsondecode(aws_ecr_lifecycle_policy.this.policy).rules[0].selection.countNumber == 50 && jsondecode(aws_ecr_lifecycle_policy.this.policy).rules[0].action.type == "expire"
    error_message = "The lifecycle policy must keep the 50 newest tagged images."
  }
}

run "github_roles_are_limited_to_the_repository" {
  command = apply

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 1 && aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com" && toset(aws_iam_openid_connect_provider.github[0].client_id_list) == toset(["sts.amazonaws.com"])
    error_message = "The GitHub OIDC provider must be created for the STS audience."
  }

  assert {
    condition     = jsondecode(aws_iam_role.github_deploy[0].assume_role_policy).Statement[0].Condition.StringLike["token.actions.githubusercontent.com:sub"] == ["repo:example-org/simple-time-service:environment:production"]
    error_message = "Only jobs of the production environment of this repository may assume the deploy role."
  }

  assert {
    condition     = jsondecode(aws_iam_role.github_deploy[0].assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    error_message = "The deploy role must require the STS audience."
  }

  assert {
    condition     = jsondecode(aws_iam_role.github_image_push[0].assume_role_policy).Statement[0].Condition.StringLike["token.actions.githubusercontent.com:sub"] == ["repo:example-org/simple-time-service:ref:refs/heads/main", "repo:example-org/simple-time-service:ref:refs/tags/v*"]
    error_message = "Only main and version tags of this repository may push images."
  }

  assert {
    condition     = jsondecode(aws_iam_role.github_plan[0].assume_role_policy).Statement[0].Condition.StringLike["token.actions.githubusercontent.com:sub"] == ["repo:example-org/simple-time-service:pull_request"]
    error_message = "Only pull requests of this repository may assume the plan role."
  }

  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.github_image_push[0].policy).Statement : s.Resource == "arn:aws:ecr:us-east-1:123456789012:repository/simple-time-service" || s.Action == ["ecr:GetAuthorizationToken"]])
    error_message = "The image push role may only push to its repository."
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.github_deploy) == length(aws_iam_policy.deployer) && length(aws_iam_policy.deployer) == 2
    error_message = "The deploy role must carry both parts of the deployer policy."
  }

  assert {
    condition     = alltrue([for p in aws_iam_policy.deployer : length(p.policy) <= 6144])
    error_message = "Each part of the deployer policy must fit a managed policy (6,144 characters)."
  }

  assert {
    condition     = length(flatten([for p in aws_iam_policy.deployer : jsondecode(p.policy).Statement])) == length(jsondecode(file("../../iam/deployer-policy.json")).Statement)
    error_message = "The managed policies must hold every statement of iam/deployer-policy.json."
  }

  assert {
    condition     = output.github_actions_role_arn == aws_iam_role.github_deploy[0].arn && output.ecr_repository_url == "123456789012.dkr.ecr.us-east-1.amazonaws.com/simple-time-service"
    error_message = "The deploy role ARN and repository URL must be output."
  }
}

run "existing_oidc_provider_and_branch_deploys" {
  command = apply

  variables {
    create_github_oidc_provider  = false
    github_deploy_environments   = []
    github_deploy_branches       = ["main"]
    github_plan_on_pull_requests = false
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0 && jsondecode(aws_iam_role.github_deploy[0].assume_role_policy).Statement[0].Principal.Federated == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    error_message = "create_github_oidc_provider = false must reuse the account's provider."
  }

  assert {
    condition     = jsondecode(aws_iam_role.github_deploy[0].assume_role_policy).Statement[0].Condition.StringLike["token.actions.githubusercontent.com:sub"] == ["repo:example-org/simple-time-service:ref:refs/heads/main"]
    error_message = "github_deploy_branches must admit that branch only."
  }

  assert {
    condition     = length(aws_iam_role.github_plan) == 0
    error_message = "No plan role when github_plan_on_pull_requests is false."
  }
}

run "no_github_roles_without_a_repository" {
  command = plan

  variables {
    github_repository = null
  }

  assert {
    condition     = length(aws_iam_role.github_deploy) == 0 && length(aws_iam_role.github_image_push) == 0 && length(aws_iam_role.github_plan) == 0 && length(aws_iam_openid_connect_provider.github) == 0
    error_message = "Without github_repository no GitHub role or provider may be created."
  }

  assert {
    condition     = length(aws_iam_policy.deployer) == 2
    error_message = "The deployer policies exist for people too, with or without GitHub."
  }
}

# --- Every validation rejects a bad value ------------------------------------

run "rejects_bad_region" {
  command = plan
  variables {
    region = "useast1"
  }
  expect_failures = [var.region]
}

run "rejects_bad_name" {
  command = plan
  variables {
    name = "Simple Time Service"
  }
  expect_failures = [var.name]
}

run "rejects_bad_bucket_name" {
  command = plan
  variables {
    state_bucket_name = "Bad_Bucket"
  }
  expect_failures = [var.state_bucket_name]
}

run "rejects_zero_retention" {
  command = plan
  variables {
    noncurrent_version_retention_days = 0
  }
  expect_failures = [var.noncurrent_version_retention_days]
}

run "rejects_keeping_no_images" {
  command = plan
  variables {
    ecr_keep_tagged_images = 0
  }
  expect_failures = [var.ecr_keep_tagged_images]
}

run "rejects_repository_without_owner" {
  command = plan
  variables {
    github_repository = "simple-time-service"
  }
  expect_failures = [var.github_repository]
}
