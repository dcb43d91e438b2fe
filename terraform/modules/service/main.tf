data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  # An image in a private ECR repository: the execution role may pull from
  # that repository only. Any other registry must be public (no credentials).
  ecr_match          = try(regex("^([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/([^:@]+)", var.image), null)
  ecr_repository_arn = local.ecr_match == null ? null : "arn:${local.partition}:ecr:${local.ecr_match[1]}:${local.ecr_match[0]}:repository/${local.ecr_match[2]}"

  # The service's configuration (see `simple-time-service --print-config`).
  environment = {
    PORT             = tostring(var.container_port)
    TRUSTED_PROXIES  = join(",", var.trusted_proxies)
    SHUTDOWN_TIMEOUT = tostring(var.shutdown_timeout)
    IDLE_TIMEOUT     = tostring(var.idle_timeout)
    LOG_FORMAT       = "json"
    LOG_LEVEL        = var.log_level
    ACCESS_LOG       = var.access_log ? "on" : "off"
  }

  container_definition = {
    name                   = var.container_name
    image                  = var.image
    essential              = true
    readonlyRootFilesystem = true
    user                   = "65532:65532"
    stopTimeout            = var.stop_timeout

    portMappings = [{
      name          = "http"
      containerPort = var.container_port
      hostPort      = var.container_port
      protocol      = "tcp"
      appProtocol   = "http"
    }]

    environment = [for key in sort(keys(local.environment)) : { name = key, value = local.environment[key] }]

    linuxParameters = {
      # The service needs no capability: it binds an unprivileged port.
      capabilities = { add = [], drop = ["ALL"] }
      # A tiny init as PID 1 forwards SIGTERM and reaps children.
      initProcessEnabled = true
    }

    # The service holds one descriptor per connection (MAX_CONNECTIONS).
    ulimits = [{ name = "nofile", softLimit = 65535, hardLimit = 65535 }]

    # The image has no shell: the health check is the binary's own subcommand.
    healthCheck = {
      command     = ["CMD", "/simple-time-service", "healthcheck"]
      interval    = 10
      timeout     = 5
      retries     = 3
      startPeriod = 10
    }

    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = local.region
        awslogs-stream-prefix = "ecs"
        # Never block the service on CloudWatch: buffer in memory, and drop
        # lines rather than stall writes if the buffer fills.
        mode            = "non-blocking"
        max-buffer-size = "4m"
      }
    }
  }

  capacity_providers = concat(
    var.fargate_weight > 0 || var.fargate_base > 0 ? ["FARGATE"] : [],
    var.fargate_spot_weight > 0 ? ["FARGATE_SPOT"] : [],
  )
}

# --- Logs --------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158:KMS encryption is optional (var.log_kms_key_arn); CloudWatch Logs encrypts every log group at rest by default.
  #checkov:skip=CKV_AWS_338:Retention is a variable (var.log_retention_days, 30 days by default); a year of request logs is a cost the user opts into.
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

# --- IAM ---------------------------------------------------------------------

locals {
  # Only ECS acting for this account may assume the task roles (confused deputy).
  tasks_assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
        ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:*" }
      }
    }]
  })

  execution_policy_statements = concat(
    [{
      Sid      = "WriteLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${aws_cloudwatch_log_group.this.arn}:log-stream:*"
    }],
    local.ecr_repository_arn == null ? [] : [
      {
        Sid      = "PullImage"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Resource = local.ecr_repository_arn
      },
      {
        # GetAuthorizationToken has no resource-level permissions in IAM.
        Sid      = "GetRegistryToken"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = "*"
      },
    ],
  )
}

# The execution role is used by the ECS agent to pull the image and to send the
# container's output to CloudWatch Logs; nothing else.
resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  description        = "ECS task execution role of ${var.name}: pull its image, write its logs."
  assume_role_policy = local.tasks_assume_role_policy

  tags = var.tags
}

resource "aws_iam_role_policy" "execution" {
  name   = "pull-image-write-logs"
  role   = aws_iam_role.execution.id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.execution_policy_statements })
}

# The service calls no AWS API: its task role has no permissions (unless ECS
# Exec is turned on, below).
resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  description        = "ECS task role of ${var.name}: no permissions (the service calls no AWS API)."
  assume_role_policy = local.tasks_assume_role_policy

  tags = var.tags
}

# ECS Exec (off by default: the image has no shell) needs the task to open
# Session Manager channels; these actions have no resource-level permissions.
resource "aws_iam_role_policy" "task_execute_command" {
  count = var.enable_execute_command ? 1 : 0

  name = "ecs-exec"
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid    = "SessionManagerChannels"
      Effect = "Allow"
      Action = [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
      ]
      Resource = "*"
    }]
  })
}

# --- Security group ----------------------------------------------------------

resource "aws_security_group" "tasks" {
  name_prefix = "${var.name}-tasks-"
  description = "Tasks of ${var.name}: the container port in from the load balancer only; HTTPS out for image pulls and logs."
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-tasks" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "tasks_from_load_balancer" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "Service port from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = var.load_balancer_security_group_id

  tags = var.tags
}

# Prometheus-compatible scrapers inside the VPC (GET /metrics on the container
# port): none by default. Security groups work on ports, not paths, so a
# scraper can send any request to the port, as the load balancer can.
resource "aws_vpc_security_group_ingress_rule" "tasks_from_metrics_scrapers" {
  for_each = toset(var.metrics_scraper_security_group_ids)

  security_group_id            = aws_security_group.tasks.id
  description                  = "Service port (GET /metrics) from a metrics scraper"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = each.value

  tags = var.tags
}

resource "aws_vpc_security_group_egress_rule" "tasks_https" {
  security_group_id = aws_security_group.tasks.id
  description       = "HTTPS to ECR, S3 (image layers) and CloudWatch Logs through the NAT gateway"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"

  tags = var.tags
}

resource "aws_vpc_security_group_egress_rule" "load_balancer_to_tasks" {
  security_group_id            = var.load_balancer_security_group_id
  description                  = "Service port on the tasks of ${var.name}"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = aws_security_group.tasks.id

  tags = var.tags
}

# --- Cluster -----------------------------------------------------------------

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = var.container_insights
  }

  tags = var.tags
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  dynamic "default_capacity_provider_strategy" {
    for_each = local.capacity_providers

    content {
      capacity_provider = default_capacity_provider_strategy.value
      base              = default_capacity_provider_strategy.value == "FARGATE" ? var.fargate_base : 0
      weight            = default_capacity_provider_strategy.value == "FARGATE" ? var.fargate_weight : var.fargate_spot_weight
    }
  }
}

# --- Task definition ---------------------------------------------------------

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.cpu)
  memory                   = tostring(var.memory)
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  container_definitions = jsonencode([local.container_definition])

  tags = var.tags
}

# --- Service -----------------------------------------------------------------

resource "aws_ecs_service" "this" {
  name                    = var.name
  cluster                 = aws_ecs_cluster.this.arn
  task_definition         = aws_ecs_task_definition.this.arn
  desired_count           = var.desired_count
  platform_version        = "LATEST"
  propagate_tags          = "SERVICE"
  enable_ecs_managed_tags = true
  enable_execute_command  = var.enable_execute_command
  wait_for_steady_state   = var.wait_for_steady_state

  # Start new tasks before stopping old ones: capacity never drops below
  # desired_count during a deployment.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = var.health_check_grace_period
  availability_zone_rebalancing      = "ENABLED"

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  dynamic "alarms" {
    for_each = var.enable_alarms ? [1] : []

    content {
      enable      = true
      rollback    = true
      alarm_names = [for alarm in aws_cloudwatch_metric_alarm.deployment : alarm.alarm_name]
    }
  }

  dynamic "capacity_provider_strategy" {
    for_each = local.capacity_providers

    content {
      capacity_provider = capacity_provider_strategy.value
      base              = capacity_provider_strategy.value == "FARGATE" ? var.fargate_base : 0
      weight            = capacity_provider_strategy.value == "FARGATE" ? var.fargate_weight : var.fargate_spot_weight
    }
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = var.container_name
    container_port   = var.container_port
  }

  tags = var.tags

  lifecycle {
    # Autoscaling owns the task count once the service exists.
    ignore_changes = [desired_count]
  }

  depends_on = [
    aws_ecs_cluster_capacity_providers.this,
    aws_iam_role_policy.execution,
    aws_vpc_security_group_egress_rule.load_balancer_to_tasks,
  ]
}

# --- Autoscaling -------------------------------------------------------------

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.this.name}"
  min_capacity       = var.min_capacity
  max_capacity       = var.max_capacity

  tags = var.tags
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  resource_id        = aws_appautoscaling_target.this.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target
    scale_in_cooldown  = var.scale_in_cooldown
    scale_out_cooldown = var.scale_out_cooldown

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "requests" {
  name               = "${var.name}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  resource_id        = aws_appautoscaling_target.this.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.requests_per_target
    scale_in_cooldown  = var.scale_in_cooldown
    scale_out_cooldown = var.scale_out_cooldown

    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${var.load_balancer_arn_suffix}/${var.target_group_arn_suffix}"
    }
  }
}
