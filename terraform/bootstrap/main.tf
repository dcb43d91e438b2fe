data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id        = data.aws_caller_identity.current.account_id
  partition         = data.aws_partition.current.partition
  state_bucket_name = coalesce(var.state_bucket_name, "${var.name}-tfstate-${local.account_id}-${var.region}")
  lock_table_name   = "${var.name}-tflock"
}

# --- State bucket ------------------------------------------------------------

resource "aws_s3_bucket" "state" {
  #checkov:skip=CKV_AWS_144:Cross-region replication of a few kilobytes of state is left to the user; versioning keeps every past state.
  #checkov:skip=CKV_AWS_18:Access logging would need a second bucket; CloudTrail records who read or wrote the state.
  #checkov:skip=CKV2_AWS_62:No consumer for event notifications of state writes.
  #checkov:skip=CKV_AWS_145:SSE-S3 by default; SSE-KMS when var.state_kms_key_arn is set.
  bucket        = local.state_bucket_name
  force_destroy = var.force_destroy

  tags = { Name = local.state_bucket_name }

  # The state of every environment lives here: never delete it by accident.
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket = aws_s3_bucket.state.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.state_kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.state_kms_key_arn
    }
    bucket_key_enabled = var.state_kms_key_arn != null
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    id     = "expire-old-state-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_retention_days
    }

    # Each lock file leaves a delete marker; remove markers with no versions left.
    expiration {
      expired_object_delete_marker = true
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.state]
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "DenyTlsOlderThan12"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
        Condition = { NumericLessThan = { "s3:TlsVersion" = "1.2" } }
      },
    ]
  })

  depends_on = [aws_s3_bucket_public_access_block.state]
}

# --- Lock table (Terraform < 1.10) ---------------------------------------------

resource "aws_dynamodb_table" "lock" {
  #checkov:skip=CKV_AWS_119:Encrypted with the AWS-managed key (aws/dynamodb) unless var.state_kms_key_arn names a customer key; lock items hold no secrets.
  count = var.create_lock_table ? 1 : 0

  name                        = local.lock_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "LockID"
  deletion_protection_enabled = var.lock_table_deletion_protection

  attribute {
    name = "LockID"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.state_kms_key_arn
  }

  tags = { Name = local.lock_table_name }
}
