locals {
  ecr_repository_name = coalesce(var.ecr_repository_name, var.name)
}

resource "aws_ecr_repository" "this" {
  name = local.ecr_repository_name

  # A tag, once pushed, always means the same image: deployments by tag are
  # reproducible and a compromised pipeline cannot silently replace one.
  image_tag_mutability = "IMMUTABLE"
  force_delete         = var.ecr_force_delete

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.ecr_kms_key_arn
  }

  tags = { Name = local.ecr_repository_name }
}

# Keep the newest tagged images (enough to roll back) and expire older ones.
# Untagged manifests are not expired by age: the per-platform manifests of a
# multi-architecture image are untagged, and expiring them would break the
# tagged image index that points at them.
resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name

  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Keep the ${var.ecr_keep_tagged_images} most recent tagged images"
        selection = {
          tagStatus      = "tagged"
          tagPatternList = ["*"]
          countType      = "imageCountMoreThan"
          countNumber    = var.ecr_keep_tagged_images
        }
        action = { type = "expire" }
      },
    ]
  })
}
