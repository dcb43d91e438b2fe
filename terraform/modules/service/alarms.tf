# Alarms on what a caller sees. They notify var.alarm_actions and, through the
# service's deployment alarms, roll a deployment back when one fires while it
# is in progress.

locals {
  alarm_dimensions = {
    LoadBalancer = var.load_balancer_arn_suffix
    TargetGroup  = var.target_group_arn_suffix
  }
}

resource "aws_cloudwatch_metric_alarm" "deployment" {
  for_each = var.enable_alarms ? toset(["5xx", "unhealthy-targets", "p99-latency"]) : toset([])

  alarm_name = "${var.name}-${each.key}"
  alarm_description = lookup({
    "5xx"               = "More than ${var.alarm_5xx_threshold} 5xx responses a minute (load balancer and tasks together) for 3 minutes."
    "unhealthy-targets" = "At least one task failed its load balancer health check (GET /healthz) for 2 minutes."
    "p99-latency"       = "p99 target response time above ${var.alarm_p99_latency_threshold} s for 3 minutes."
  }, each.key)
  comparison_operator = each.key == "unhealthy-targets" ? "GreaterThanOrEqualToThreshold" : "GreaterThanThreshold"
  evaluation_periods  = each.key == "unhealthy-targets" ? 2 : 3
  datapoints_to_alarm = each.key == "unhealthy-targets" ? 2 : 3
  threshold           = lookup({ "5xx" = var.alarm_5xx_threshold, "unhealthy-targets" = 1, "p99-latency" = var.alarm_p99_latency_threshold }, each.key)
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions

  # Single-metric alarms.
  namespace          = each.key == "5xx" ? null : "AWS/ApplicationELB"
  metric_name        = lookup({ "unhealthy-targets" = "UnHealthyHostCount", "p99-latency" = "TargetResponseTime" }, each.key, null)
  dimensions         = each.key == "5xx" ? null : local.alarm_dimensions
  period             = each.key == "5xx" ? null : 60
  statistic          = each.key == "unhealthy-targets" ? "Maximum" : null
  extended_statistic = each.key == "p99-latency" ? "p99" : null

  # The 5xx alarm adds the load balancer's own 5xx (502/503/504: no healthy
  # target, a task closed the connection) to the tasks' 5xx.
  dynamic "metric_query" {
    for_each = each.key == "5xx" ? {
      m_elb    = { metric = "HTTPCode_ELB_5XX_Count", dimensions = { LoadBalancer = var.load_balancer_arn_suffix } }
      m_target = { metric = "HTTPCode_Target_5XX_Count", dimensions = local.alarm_dimensions }
    } : {}

    content {
      id          = metric_query.key
      return_data = false

      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = metric_query.value.metric
        dimensions  = metric_query.value.dimensions
        period      = 60
        stat        = "Sum"
      }
    }
  }

  dynamic "metric_query" {
    for_each = each.key == "5xx" ? [1] : []

    content {
      id          = "e_5xx"
      expression  = "FILL(m_elb, 0) + FILL(m_target, 0)"
      label       = "5xx responses per minute"
      return_data = true
    }
  }

  tags = var.tags
}
