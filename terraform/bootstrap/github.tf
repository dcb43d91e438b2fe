# Roles that GitHub Actions workflows of one repository assume with OIDC: no
# long-lived AWS keys are stored in GitHub.
#
#   image push  <- jobs on github_image_push_refs (main, v* tags): push to the
#                  one ECR repository, nothing else.
#   deploy      <- jobs in a github_deploy_environments environment (required
#                  reviewers) or on github_deploy_branches: the deployer policy.
#   plan        <- pull request jobs: read-only, plus the state lock.

locals {
  github          = var.github_repository != null
  github_oidc_url = "token.actions.githubusercontent.com"
  github_oidc_arn = local.github ? (var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn) : null
  github_deploy_subjects = local.github ? concat(
    [for environment in var.github_deploy_environments : "repo:${var.github_repository}:environment:${environment}"],
    [for branch in var.github_deploy_branches : "repo:${var.github_repository}:ref:refs/heads/${branch}"],
  ) : []
  github_push_subjects = local.github ? [for ref in var.github_image_push_refs : "repo:${var.github_repository}:ref:${ref}"] : []
  github_plan_subjects = local.github ? ["repo:${var.github_repository}:pull_request"] : []

  # iam/deployer-policy.json is written for the default name; scope it to this
  # deployment's name and partition.
  deployer_policy = jsondecode(replace(replace(file("${path.module}/../../iam/deployer-policy.json"), "simple-time-service", var.name), "arn:aws:", "arn:${local.partition}:"))

  # A managed policy holds at most 6,144 characters: split the statements into
  # two halves of about the same size.
  deployer_statement_sizes = [for statement in local.deployer_policy.Statement : length(jsonencode(statement))]
  deployer_half_size       = ceil(sum(local.deployer_statement_sizes) / 2)
  deployer_statement_chunks = [
    [for i, statement in local.deployer_policy.Statement : statement if sum(slice(local.deployer_statement_sizes, 0, i + 1)) <= local.deployer_half_size],
    [for i, statement in local.deployer_policy.Statement : statement if sum(slice(local.deployer_statement_sizes, 0, i + 1)) > local.deployer_half_size],
  ]
}

resource "aws_iam_openid_connect_provider" "github" {
  count = local.github && var.create_github_oidc_provider ? 1 : 0

  url            = "https://${local.github_oidc_url}"
  client_id_list = ["sts.amazonaws.com"]

  tags = { Name = "github-actions" }
}

data "aws_iam_openid_connect_provider" "github" {
  count = local.github && !var.create_github_oidc_provider ? 1 : 0

  url = "https://${local.github_oidc_url}"
}

locals {
  github_assume_role_policies = {
    for role, subjects in {
      deploy     = local.github_deploy_subjects
      image-push = local.github_push_subjects
      plan       = local.github_plan_subjects
      } : role => jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Action    = "sts:AssumeRoleWithWebIdentity"
          Principal = { Federated = local.github_oidc_arn }
          Condition = {
            StringEquals = { "${local.github_oidc_url}:aud" = "sts.amazonaws.com" }
            StringLike   = { "${local.github_oidc_url}:sub" = subjects }
          }
        }]
    })
  }
}

# --- Deploy role ---------------------------------------------------------------

resource "aws_iam_policy" "deployer" {
  count = length(local.deployer_statement_chunks)

  name        = "${var.name}-deployer-${count.index + 1}"
  description = "Bootstrap, apply and destroy ${var.name} (part ${count.index + 1} of ${length(local.deployer_statement_chunks)} of iam/deployer-policy.json)."
  policy = jsonencode({
    Version   = local.deployer_policy.Version
    Statement = local.deployer_statement_chunks[count.index]
  })
}

resource "aws_iam_role" "github_deploy" {
  count = local.github && length(local.github_deploy_subjects) > 0 ? 1 : 0

  name                 = "${var.name}-github-deploy"
  description          = "GitHub Actions deployments of ${var.github_repository} (${join(", ", local.github_deploy_subjects)})."
  assume_role_policy   = local.github_assume_role_policies["deploy"]
  max_session_duration = 3600
}

resource "aws_iam_role_policy_attachment" "github_deploy" {
  count = length(aws_iam_role.github_deploy) > 0 ? length(aws_iam_policy.deployer) : 0

  role       = aws_iam_role.github_deploy[0].name
  policy_arn = aws_iam_policy.deployer[count.index].arn
}

# --- Image push role -----------------------------------------------------------

resource "aws_iam_role" "github_image_push" {
  count = local.github && length(var.github_image_push_refs) > 0 ? 1 : 0

  name                 = "${var.name}-github-image-push"
  description          = "GitHub Actions image builds of ${var.github_repository}: push to the ${local.ecr_repository_name} repository."
  assume_role_policy   = local.github_assume_role_policies["image-push"]
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "github_image_push" {
  count = length(aws_iam_role.github_image_push)

  name = "push-${local.ecr_repository_name}"
  role = aws_iam_role.github_image_push[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "PushToTheRepository"
        Effect = "Allow"
        Action = [
          "ecr:BatchCheckLayerAvailability",
          "ecr:BatchGetImage",
          "ecr:CompleteLayerUpload",
          "ecr:DescribeImages",
          "ecr:DescribeImageScanFindings",
          "ecr:GetDownloadUrlForLayer",
          "ecr:InitiateLayerUpload",
          "ecr:PutImage",
          "ecr:UploadLayerPart",
        ]
        Resource = aws_ecr_repository.this.arn
      },
      {
        # GetAuthorizationToken has no resource-level permissions in IAM.
        Sid      = "LogInToTheRegistry"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = "*"
      },
    ]
  })
}

# --- Plan role (pull requests) ---------------------------------------------------

resource "aws_iam_role" "github_plan" {
  count = local.github && var.github_plan_on_pull_requests ? 1 : 0

  name                 = "${var.name}-github-plan"
  description          = "GitHub Actions pull request plans of ${var.github_repository}: read-only."
  assume_role_policy   = local.github_assume_role_policies["plan"]
  max_session_duration = 3600
}

locals {
  plan_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # Read-only calls the refresh makes; most have no resource-level
        # permissions in IAM.
        Sid    = "DescribeTheStack"
        Effect = "Allow"
        Action = [
          "application-autoscaling:DescribeScalableTargets",
          "application-autoscaling:DescribeScalingPolicies",
          "ec2:Describe*",
          "ecs:DescribeTaskDefinition",
          "elasticloadbalancing:Describe*",
          "logs:DescribeLogGroups",
          "wafv2:GetWebACLForResource",
        ]
        Resource = "*"
      },
      {
        Sid    = "ReadTheStacksResources"
        Effect = "Allow"
        Action = [
          "application-autoscaling:ListTagsForResource",
          "cloudwatch:DescribeAlarms",
          "cloudwatch:ListTagsForResource",
          "ecr:DescribeImages",
          "ecr:DescribeRepositories",
          "ecs:DescribeClusters",
          "ecs:DescribeServices",
          "ecs:ListTagsForResource",
          "iam:GetRole",
          "iam:GetRolePolicy",
          "iam:ListAttachedRolePolicies",
          "iam:ListRolePolicies",
          "iam:ListRoleTags",
          "logs:ListTagsForResource",
        ]
        Resource = [
          "arn:${local.partition}:application-autoscaling:${var.region}:${local.account_id}:scalable-target/*",
          "arn:${local.partition}:cloudwatch:${var.region}:${local.account_id}:alarm:${var.name}-*",
          "arn:${local.partition}:cloudwatch:${var.region}:${local.account_id}:alarm:TargetTracking-service/${var.name}*",
          aws_ecr_repository.this.arn,
          "arn:${local.partition}:ecs:${var.region}:${local.account_id}:cluster/${var.name}",
          "arn:${local.partition}:ecs:${var.region}:${local.account_id}:service/${var.name}/*",
          "arn:${local.partition}:ecs:${var.region}:${local.account_id}:task-definition/${var.name}:*",
          "arn:${local.partition}:iam::${local.account_id}:role/${var.name}-*",
          "arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:/ecs/${var.name}*",
          "arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:/vpc/${var.name}/*",
        ]
      },
      {
        # Only when the app manages a DNS record (route53_zone_id).
        Sid      = "ReadDnsRecords"
        Effect   = "Allow"
        Action   = ["route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ListTagsForResource"]
        Resource = "arn:${local.partition}:route53:::hostedzone/*"
      },
      {
        Sid      = "ReadTheState"
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:GetObject"]
        Resource = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/${var.state_key}"]
      },
      {
        # The S3 lock file sits next to the state object.
        Sid      = "HoldTheStateLock"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:DeleteObject"]
        Resource = "${aws_s3_bucket.state.arn}/${var.state_key}.tflock"
      },
    ]
  })
}

resource "aws_iam_role_policy" "github_plan" {
  count = length(aws_iam_role.github_plan)

  name   = "plan-${var.name}"
  role   = aws_iam_role.github_plan[0].id
  policy = local.plan_policy
}
