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

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/sts-test"
    }
  }
}

variables {
  name                            = "sts-test"
  image                           = "123456789012.dkr.ecr.us-east-1.amazonaws.com/simple-time-service@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
  trusted_proxies                 = ["10.0.0.0/16"]
  vpc_id                          = "vpc-0123456789abcdef0"
  subnet_ids                      = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  load_balancer_security_group_id = "sg-0alb0000000000000"
  target_group_arn                = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/sts-test-ab12/0123456789abcdef"
  load_balancer_arn_suffix        = "app/sts-test/0123456789abcdef"
  target_group_arn_suffix         = "targetgroup/sts-test-ab12/0123456789abcdef"
}

run "container_matches_the_service" {
  command = plan

  variables {
    shutdown_timeout = 10
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].image == var.image
    error_message = "The container must run exactly the given image."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].portMappings[0].containerPort == 8080 && jsondecode(aws_ecs_task_definition.this.container_definitions)[0].portMappings[0].protocol == "tcp"
    error_message = "The container must expose TCP 8080."
  }

  assert {
    condition = {
      for e in jsondecode(aws_ecs_task_definition.this.container_definitions)[0].environment : e.name => e.value
      } == {
      ACCESS_LOG       = "on"
      IDLE_TIMEOUT     = "75"
      LOG_FORMAT       = "json"
      LOG_LEVEL        = "info"
      PORT             = "8080"
      SHUTDOWN_TIMEOUT = "10"
      TRUSTED_PROXIES  = "10.0.0.0/16"
    }
    error_message = "The container environment must set PORT, TRUSTED_PROXIES (the VPC CIDR), SHUTDOWN_TIMEOUT, IDLE_TIMEOUT, LOG_FORMAT=json, LOG_LEVEL and ACCESS_LOG."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].healthCheck.command == ["CMD", "/simple-time-service", "healthcheck"]
    error_message = "The container health check must run the binary's healthcheck subcommand (the image has no shell)."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].readonlyRootFilesystem == true
    error_message = "The root filesystem must be read-only."
  }

  assert {
    condition     = split(":", jsondecode(aws_ecs_task_definition.this.container_definitions)[0].user)[0] == "65532"
    error_message = "The container must run as uid 65532."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].linuxParameters.capabilities.drop == ["ALL"] && length(jsondecode(aws_ecs_task_definition.this.container_definitions)[0].linuxParameters.capabilities.add) == 0
    error_message = "All capabilities must be dropped and none added."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].linuxParameters.initProcessEnabled == true
    error_message = "An init process must run as PID 1."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].stopTimeout == 30 && jsondecode(aws_ecs_task_definition.this.container_definitions)[0].stopTimeout > 10
    error_message = "stopTimeout must be 30 s by default, above the service's SHUTDOWN_TIMEOUT."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].logConfiguration.logDriver == "awslogs" && jsondecode(aws_ecs_task_definition.this.container_definitions)[0].logConfiguration.options["awslogs-group"] == "/ecs/sts-test" && jsondecode(aws_ecs_task_definition.this.container_definitions)[0].logConfiguration.options["awslogs-region"] == "us-east-1"
    error_message = "The container must log through awslogs to the service's log group in its region."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.retention_in_days == 30
    error_message = "Logs must be kept 30 days by default."
  }
}

run "task_definition_is_fargate" {
  command = plan

  assert {
    condition     = toset(aws_ecs_task_definition.this.requires_compatibilities) == toset(["FARGATE"]) && aws_ecs_task_definition.this.network_mode == "awsvpc"
    error_message = "The task must be a Fargate task in awsvpc mode."
  }

  assert {
    condition     = aws_ecs_task_definition.this.cpu == "256" && aws_ecs_task_definition.this.memory == "512"
    error_message = "Default size: 0.25 vCPU, 512 MiB."
  }

  assert {
    condition     = aws_ecs_task_definition.this.runtime_platform[0].operating_system_family == "LINUX" && aws_ecs_task_definition.this.runtime_platform[0].cpu_architecture == "X86_64"
    error_message = "Default platform: Linux on X86_64."
  }
}

run "service_deploys_safely" {
  command = plan

  assert {
    condition     = aws_ecs_service.this.desired_count == 2
    error_message = "Two tasks by default (one per zone)."
  }

  assert {
    condition     = aws_ecs_service.this.deployment_circuit_breaker[0].enable && aws_ecs_service.this.deployment_circuit_breaker[0].rollback
    error_message = "The deployment circuit breaker must be on, with rollback."
  }

  assert {
    condition     = aws_ecs_service.this.deployment_minimum_healthy_percent == 100 && aws_ecs_service.this.deployment_maximum_percent == 200
    error_message = "Deployments must keep 100% healthy and may go to 200%."
  }

  assert {
    condition     = aws_ecs_service.this.network_configuration[0].assign_public_ip == false && toset(aws_ecs_service.this.network_configuration[0].subnets) == toset(var.subnet_ids)
    error_message = "Tasks must run in the given private subnets without public IPs."
  }

  assert {
    condition     = aws_ecs_service.this.enable_execute_command == false
    error_message = "ECS Exec must be off by default (the image has no shell)."
  }

  assert {
    condition     = aws_ecs_service.this.propagate_tags == "SERVICE" && aws_ecs_service.this.health_check_grace_period_seconds == 30 && aws_ecs_service.this.wait_for_steady_state
    error_message = "Tags must propagate from the service; grace period 30 s; apply waits for steady state."
  }

  assert {
    condition     = one(aws_ecs_service.this.load_balancer).container_port == 8080 && one(aws_ecs_service.this.load_balancer).container_name == "simple-time-service" && one(aws_ecs_service.this.load_balancer).target_group_arn == var.target_group_arn
    error_message = "The service must register the container's port 8080 in the target group."
  }

  assert {
    condition     = toset(aws_ecs_cluster.this.setting) == toset([{ name = "containerInsights", value = "enabled" }])
    error_message = "Container Insights must be on."
  }

  assert {
    condition     = [for s in aws_ecs_service.this.capacity_provider_strategy : s.capacity_provider] == ["FARGATE"]
    error_message = "Only on-demand Fargate by default."
  }
}

run "network_access_is_minimal" {
  command = plan

  assert {
    condition     = aws_vpc_security_group_ingress_rule.tasks_from_load_balancer.from_port == 8080 && aws_vpc_security_group_ingress_rule.tasks_from_load_balancer.to_port == 8080 && aws_vpc_security_group_ingress_rule.tasks_from_load_balancer.referenced_security_group_id == var.load_balancer_security_group_id && aws_vpc_security_group_ingress_rule.tasks_from_load_balancer.cidr_ipv4 == null
    error_message = "Only the load balancer's security group may reach the tasks, and only on 8080."
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.load_balancer_to_tasks.security_group_id == var.load_balancer_security_group_id && aws_vpc_security_group_egress_rule.load_balancer_to_tasks.from_port == 8080 && aws_vpc_security_group_egress_rule.load_balancer_to_tasks.to_port == 8080
    error_message = "The load balancer's only egress must be 8080 to the tasks."
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.tasks_https.from_port == 443 && aws_vpc_security_group_egress_rule.tasks_https.to_port == 443 && aws_vpc_security_group_egress_rule.tasks_https.ip_protocol == "tcp"
    error_message = "Tasks may only make HTTPS connections (image pulls, logs)."
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.tasks_from_metrics_scrapers) == 0
    error_message = "No metrics scraper may reach the tasks unless its security group is listed."
  }
}

run "metrics_scrapers_reach_the_container_port_when_listed" {
  command = plan

  variables {
    metrics_scraper_security_group_ids = ["sg-0aaaaaaaaaaaaaaa1", "sg-0bbbbbbbbbbbbbbb2"]
  }

  assert {
    condition     = toset(keys(aws_vpc_security_group_ingress_rule.tasks_from_metrics_scrapers)) == toset(var.metrics_scraper_security_group_ids)
    error_message = "Each listed scraper security group must get one ingress rule."
  }

  assert {
    condition = alltrue([
      for id, rule in aws_vpc_security_group_ingress_rule.tasks_from_metrics_scrapers :
      rule.referenced_security_group_id == id && rule.from_port == 8080 && rule.to_port == 8080 && rule.ip_protocol == "tcp" && rule.cidr_ipv4 == null && rule.cidr_ipv6 == null
    ])
    error_message = "A scraper may reach the tasks only on the container port, from its security group, never from an address range."
  }
}

run "iam_is_least_privilege" {
  command = apply

  assert {
    condition     = toset(flatten([for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : s.Resource if s.Resource == "*"])) == toset(["*"]) && alltrue([for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : s.Action == ["ecr:GetAuthorizationToken"] if s.Resource == "*"])
    error_message = "Only ecr:GetAuthorizationToken (which cannot be scoped) may use Resource \"*\"."
  }

  assert {
    condition     = contains([for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : s.Resource], "arn:aws:ecr:us-east-1:123456789012:repository/simple-time-service")
    error_message = "Image pulls must be scoped to the image's ECR repository."
  }

  assert {
    condition     = contains([for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : s.Resource], "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/sts-test:log-stream:*")
    error_message = "Log writes must be scoped to the service's log group."
  }

  assert {
    condition     = jsondecode(aws_iam_role.task.assume_role_policy).Statement[0].Principal.Service == "ecs-tasks.amazonaws.com" && jsondecode(aws_iam_role.task.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "Only ECS tasks of this account may assume the task role."
  }

  assert {
    condition     = aws_ecs_task_definition.this.task_role_arn == aws_iam_role.task.arn && aws_ecs_task_definition.this.execution_role_arn == aws_iam_role.execution.arn && aws_iam_role.task.arn != aws_iam_role.execution.arn
    error_message = "The task and execution roles must be separate."
  }
}

run "task_role_has_no_permissions" {
  command = plan

  assert {
    condition     = length(aws_iam_role_policy.task_execute_command) == 0
    error_message = "Without ECS Exec the task role must have no policy."
  }
}

run "ecs_exec_when_asked" {
  command = plan

  variables {
    enable_execute_command = true
  }

  assert {
    condition     = aws_ecs_service.this.enable_execute_command && length(aws_iam_role_policy.task_execute_command) == 1
    error_message = "enable_execute_command must turn ECS Exec on and give the task role the Session Manager channels."
  }
}

run "public_image_needs_no_ecr_rights" {
  command = apply

  variables {
    image = "public.ecr.aws/example/simple-time-service:0.1.0"
  }

  assert {
    condition     = length(jsondecode(aws_iam_role_policy.execution.policy).Statement) == 1 && jsondecode(aws_iam_role_policy.execution.policy).Statement[0].Sid == "WriteLogs"
    error_message = "An image outside private ECR must give the execution role no ECR rights."
  }
}

run "autoscaling_bounds_and_policies" {
  command = plan

  variables {
    min_capacity  = 3
    max_capacity  = 12
    desired_count = 3
  }

  assert {
    condition     = aws_appautoscaling_target.this.min_capacity == 3 && aws_appautoscaling_target.this.max_capacity == 12 && aws_appautoscaling_target.this.scalable_dimension == "ecs:service:DesiredCount"
    error_message = "Autoscaling must keep the task count between min_capacity and max_capacity."
  }

  assert {
    condition     = aws_appautoscaling_target.this.resource_id == "service/sts-test/sts-test"
    error_message = "Autoscaling must target this service."
  }

  assert {
    condition     = aws_appautoscaling_policy.cpu.target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type == "ECSServiceAverageCPUUtilization" && aws_appautoscaling_policy.cpu.target_tracking_scaling_policy_configuration[0].target_value == 60
    error_message = "A target tracking policy must keep average CPU at 60%."
  }

  assert {
    condition     = aws_appautoscaling_policy.requests.target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type == "ALBRequestCountPerTarget" && aws_appautoscaling_policy.requests.target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].resource_label == "app/sts-test/0123456789abcdef/targetgroup/sts-test-ab12/0123456789abcdef"
    error_message = "A target tracking policy must follow requests per target of this load balancer and target group."
  }
}

run "alarms_roll_deployments_back" {
  command = plan

  variables {
    alarm_actions = ["arn:aws:sns:us-east-1:123456789012:alerts"]
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.deployment)) == toset(["5xx", "unhealthy-targets", "p99-latency"])
    error_message = "There must be 5xx, unhealthy target and p99 latency alarms."
  }

  assert {
    condition     = one(aws_ecs_service.this.alarms).enable && one(aws_ecs_service.this.alarms).rollback && toset(one(aws_ecs_service.this.alarms).alarm_names) == toset(["sts-test-5xx", "sts-test-unhealthy-targets", "sts-test-p99-latency"])
    error_message = "The alarms must be the service's deployment alarms, with rollback."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.deployment["p99-latency"].extended_statistic == "p99" && aws_cloudwatch_metric_alarm.deployment["p99-latency"].metric_name == "TargetResponseTime"
    error_message = "The latency alarm must watch p99 TargetResponseTime."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.deployment["unhealthy-targets"].metric_name == "UnHealthyHostCount" && aws_cloudwatch_metric_alarm.deployment["unhealthy-targets"].dimensions["TargetGroup"] == var.target_group_arn_suffix
    error_message = "The unhealthy alarm must watch UnHealthyHostCount of this target group."
  }

  assert {
    condition     = toset([for q in aws_cloudwatch_metric_alarm.deployment["5xx"].metric_query : q.id]) == toset(["m_elb", "m_target", "e_5xx"])
    error_message = "The 5xx alarm must add the load balancer's and the targets' 5xx."
  }

  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.deployment : toset(a.alarm_actions) == toset(var.alarm_actions)])
    error_message = "Every alarm must notify alarm_actions."
  }
}

run "alarms_can_be_turned_off" {
  command = plan

  variables {
    enable_alarms = false
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.deployment) == 0 && length(aws_ecs_service.this.alarms) == 0
    error_message = "enable_alarms = false must create no alarms."
  }
}

run "arm64_with_spot" {
  command = plan

  variables {
    cpu                 = 512
    memory              = 1024
    cpu_architecture    = "ARM64"
    fargate_spot_weight = 3
  }

  assert {
    condition     = aws_ecs_task_definition.this.runtime_platform[0].cpu_architecture == "ARM64" && aws_ecs_task_definition.this.cpu == "512" && aws_ecs_task_definition.this.memory == "1024"
    error_message = "cpu_architecture, cpu and memory must reach the task definition."
  }

  assert {
    condition = {
      for s in aws_ecs_service.this.capacity_provider_strategy : s.capacity_provider => [s.base, s.weight]
      } == {
      FARGATE      = [1, 1]
      FARGATE_SPOT = [0, 3]
    }
    error_message = "Spot weight 3 must place 3 of every 4 tasks past the first on FARGATE_SPOT."
  }
}

# --- Every validation rejects a bad value ------------------------------------

run "rejects_bad_name" {
  command = plan
  variables {
    name = "-bad"
  }
  expect_failures = [var.name]
}

run "rejects_image_without_tag_or_digest" {
  command = plan
  variables {
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/simple-time-service"
  }
  expect_failures = [var.image]
}

run "rejects_latest" {
  command = plan
  variables {
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/simple-time-service:latest"
  }
  expect_failures = [var.image]
}

run "rejects_privileged_container_port" {
  command = plan
  variables {
    container_port = 80
  }
  expect_failures = [var.container_port]
}

run "rejects_cpu_fargate_does_not_offer" {
  command = plan
  variables {
    cpu = 384
  }
  expect_failures = [var.cpu]
}

run "rejects_memory_not_paired_with_cpu" {
  command = plan
  variables {
    cpu    = 256
    memory = 4096
  }
  expect_failures = [var.memory]
}

run "rejects_unknown_architecture" {
  command = plan
  variables {
    cpu_architecture = "AMD64"
  }
  expect_failures = [var.cpu_architecture]
}

run "rejects_no_trusted_proxies" {
  command = plan
  variables {
    trusted_proxies = []
  }
  expect_failures = [var.trusted_proxies]
}

run "rejects_shutdown_timeout_not_below_stop_timeout" {
  command = plan
  variables {
    shutdown_timeout = 30
    stop_timeout     = 30
  }
  expect_failures = [var.shutdown_timeout]
}

run "rejects_stop_timeout_above_fargate_maximum" {
  command = plan
  variables {
    stop_timeout = 121
  }
  expect_failures = [var.stop_timeout]
}

run "rejects_idle_timeout_not_above_load_balancer" {
  command = plan
  variables {
    idle_timeout               = 60
    load_balancer_idle_timeout = 60
  }
  expect_failures = [var.idle_timeout]
}

run "rejects_unknown_log_level" {
  command = plan
  variables {
    log_level = "trace"
  }
  expect_failures = [var.log_level]
}

run "rejects_a_scraper_that_is_not_a_security_group" {
  command = plan
  variables {
    metrics_scraper_security_group_ids = ["10.0.0.0/16"]
  }
  expect_failures = [var.metrics_scraper_security_group_ids]
}

run "rejects_a_single_subnet" {
  command = plan
  variables {
    subnet_ids = ["subnet-0aaaaaaaaaaaaaaaa"]
  }
  expect_failures = [var.subnet_ids]
}

run "rejects_desired_count_outside_bounds" {
  command = plan
  variables {
    desired_count = 20
  }
  expect_failures = [var.desired_count]
}

run "rejects_min_capacity_of_zero" {
  command = plan
  variables {
    min_capacity  = 0
    desired_count = 2
  }
  expect_failures = [var.min_capacity]
}

run "rejects_max_capacity_below_min" {
  command = plan
  variables {
    min_capacity  = 2
    max_capacity  = 1
    desired_count = 2
  }
  expect_failures = [var.max_capacity]
}

run "rejects_cpu_target_above_90" {
  command = plan
  variables {
    cpu_target = 95
  }
  expect_failures = [var.cpu_target]
}

run "rejects_zero_requests_per_target" {
  command = plan
  variables {
    requests_per_target = 0
  }
  expect_failures = [var.requests_per_target]
}

run "rejects_negative_fargate_weight" {
  command = plan
  variables {
    fargate_weight = -1
  }
  expect_failures = [var.fargate_weight]
}

run "rejects_no_capacity_provider_weight" {
  command = plan
  variables {
    fargate_weight      = 0
    fargate_spot_weight = 0
  }
  expect_failures = [var.fargate_weight]
}

run "rejects_negative_spot_weight" {
  command = plan
  variables {
    fargate_spot_weight = -1
  }
  expect_failures = [var.fargate_spot_weight]
}

run "rejects_negative_fargate_base" {
  command = plan
  variables {
    fargate_base = -1
  }
  expect_failures = [var.fargate_base]
}

run "rejects_unknown_container_insights_level" {
  command = plan
  variables {
    container_insights = "on"
  }
  expect_failures = [var.container_insights]
}

run "rejects_negative_grace_period" {
  command = plan
  variables {
    health_check_grace_period = -5
  }
  expect_failures = [var.health_check_grace_period]
}

run "rejects_unsupported_retention" {
  command = plan
  variables {
    log_retention_days = 10
  }
  expect_failures = [var.log_retention_days]
}
