variable "region" {
  description = "AWS region of the state bucket, lock table and image repository (normally the region the service runs in)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "name" {
  description = "Project name: prefix of every resource here, and the name prefix the deploy policy is scoped to (it must match the app's name)."
  type        = string
  default     = "simple-time-service"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,24}[a-z0-9]$", var.name))
    error_message = "name must be 3-26 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

# --- State -------------------------------------------------------------------

variable "state_bucket_name" {
  description = "Name of the state bucket. Null: \"<name>-tfstate-<account id>-<region>\" (globally unique)."
  type        = string
  default     = null

  validation {
    condition     = var.state_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)."
  }
}

variable "state_key" {
  description = "Object key of the app's state in the bucket."
  type        = string
  default     = "simple-time-service/app.tfstate"
}

variable "state_kms_key_arn" {
  description = "KMS key for the state bucket (SSE-KMS with a bucket key). Null: SSE-S3 (AES256)."
  type        = string
  default     = null
}

variable "noncurrent_version_retention_days" {
  description = "Days to keep old versions of state files (each apply writes one) before they expire."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_retention_days >= 1
    error_message = "noncurrent_version_retention_days must be at least 1."
  }
}

variable "force_destroy" {
  description = "Let terraform destroy delete the state bucket with every state version in it. Keep false; the bucket also has prevent_destroy."
  type        = bool
  default     = false
}

variable "create_lock_table" {
  description = "Create the DynamoDB lock table for Terraform older than 1.10 (newer versions lock with a lock file in S3)."
  type        = bool
  default     = true
}

variable "lock_table_deletion_protection" {
  description = "Deletion protection on the lock table."
  type        = bool
  default     = false
}

# --- Image repository --------------------------------------------------------

variable "ecr_repository_name" {
  description = "Name of the ECR repository for the service's image. Null: the project name."
  type        = string
  default     = null
}

variable "ecr_kms_key_arn" {
  description = "KMS key for the ECR repository. Null: the AWS-managed aws/ecr key."
  type        = string
  default     = null
}

variable "ecr_keep_tagged_images" {
  description = "Number of most recent tagged images the repository keeps (older ones expire; keep enough to roll back)."
  type        = number
  default     = 50

  validation {
    condition     = var.ecr_keep_tagged_images >= 1
    error_message = "ecr_keep_tagged_images must be at least 1."
  }
}

variable "ecr_force_delete" {
  description = "Let terraform destroy delete the repository while it still holds images."
  type        = bool
  default     = false
}

# --- GitHub Actions ----------------------------------------------------------

variable "github_repository" {
  description = "GitHub repository (\"owner/name\") whose workflows may assume the roles. Null: no GitHub roles."
  type        = string
  default     = null

  validation {
    condition     = var.github_repository == null || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like \"owner/name\"."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's IAM OIDC provider for token.actions.githubusercontent.com. False: use the one the account already has (an account holds at most one per URL)."
  type        = bool
  default     = true
}

variable "github_deploy_environments" {
  description = "GitHub environments whose jobs may assume the deploy role (the job's `environment:`; protect it with required reviewers)."
  type        = list(string)
  default     = ["production"]
}

variable "github_deploy_branches" {
  description = "Branches whose jobs without an environment may assume the deploy role. Empty: environments only."
  type        = list(string)
  default     = []
}

variable "github_image_push_refs" {
  description = "Git refs (patterns allowed) whose jobs may push images: the default branch and version tags."
  type        = list(string)
  default     = ["refs/heads/main", "refs/tags/v*"]
}

variable "github_plan_on_pull_requests" {
  description = "Create a read-only role that pull request jobs of github_repository may assume to run terraform plan."
  type        = bool
  default     = true
}
