# Offline: runs with `mock_provider`, so no AWS account is needed.

mock_provider "aws" {}

variables {
  name       = "sts-test"
  vpc_id     = "vpc-0123456789abcdef0"
  subnet_ids = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
}

run "http_only_by_default" {
  command = plan

  assert {
    condition     = aws_lb.this.load_balancer_type == "application" && aws_lb.this.internal == false && aws_lb.this.ip_address_type == "ipv4"
    error_message = "The load balancer must be an internet-facing IPv4 application load balancer."
  }

  assert {
    condition     = aws_lb.this.drop_invalid_header_fields && aws_lb.this.desync_mitigation_mode == "strictest"
    error_message = "Invalid headers must be dropped and desync mitigation must be strictest."
  }

  assert {
    condition     = aws_lb.this.xff_header_processing_mode == "append"
    error_message = "X-Forwarded-For must be appended to: the service takes the last untrusted entry as the client."
  }

  assert {
    condition     = aws_lb.this.idle_timeout == 60 && aws_lb.this.enable_deletion_protection == false
    error_message = "Defaults: idle timeout 60 s, deletion protection off."
  }

  assert {
    condition     = length(aws_lb.this.access_logs) == 0
    error_message = "No access logs without a bucket."
  }

  assert {
    condition     = aws_lb_listener.http.port == 80 && aws_lb_listener.http.protocol == "HTTP" && aws_lb_listener.http.default_action[0].type == "forward"
    error_message = "Without a certificate, port 80 must forward to the target group."
  }

  assert {
    condition     = length(aws_lb_listener.https) == 0
    error_message = "Without a certificate there must be no HTTPS listener."
  }

  assert {
    condition     = output.https_enabled == false
    error_message = "https_enabled must be false without a certificate."
  }

  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.ipv4) == ["80-0.0.0.0/0"] && aws_vpc_security_group_ingress_rule.ipv4["80-0.0.0.0/0"].from_port == 80 && aws_vpc_security_group_ingress_rule.ipv4["80-0.0.0.0/0"].to_port == 80 && aws_vpc_security_group_ingress_rule.ipv4["80-0.0.0.0/0"].ip_protocol == "tcp"
    error_message = "Only TCP 80 from everyone must be open without a certificate."
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.ipv6) == 0
    error_message = "No IPv6 ingress without enable_ipv6."
  }
}

run "target_group_matches_the_service" {
  command = plan

  assert {
    condition     = aws_lb_target_group.this.target_type == "ip" && aws_lb_target_group.this.port == 8080 && aws_lb_target_group.this.protocol == "HTTP"
    error_message = "The target group must send HTTP to ip targets on 8080, the container port."
  }

  assert {
    condition     = aws_lb_target_group.this.health_check[0].path == "/healthz" && aws_lb_target_group.this.health_check[0].matcher == "200" && aws_lb_target_group.this.health_check[0].port == "traffic-port"
    error_message = "The health check must be GET /healthz on the traffic port expecting 200."
  }

  assert {
    condition     = aws_lb_target_group.this.health_check[0].interval * aws_lb_target_group.this.health_check[0].unhealthy_threshold <= 30
    error_message = "A failing task must be taken out within 30 seconds."
  }

  assert {
    condition     = aws_lb_target_group.this.health_check[0].timeout < aws_lb_target_group.this.health_check[0].interval
    error_message = "The health check timeout must be shorter than its interval."
  }

  assert {
    condition     = aws_lb_target_group.this.deregistration_delay >= 15 && aws_lb_target_group.this.deregistration_delay <= 30
    error_message = "The deregistration delay must be short (15-30 s): it is added to every deployment and scale-in."
  }
}

run "https_with_a_certificate" {
  command = plan

  variables {
    certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition     = length(aws_lb_listener.https) == 1 && aws_lb_listener.https[0].port == 443 && aws_lb_listener.https[0].protocol == "HTTPS"
    error_message = "A certificate must add an HTTPS listener on 443."
  }

  assert {
    condition     = startswith(aws_lb_listener.https[0].ssl_policy, "ELBSecurityPolicy-TLS13-") && aws_lb_listener.https[0].certificate_arn == var.certificate_arn
    error_message = "The HTTPS listener must use a TLS 1.3 policy and the given certificate."
  }

  assert {
    condition     = aws_lb_listener.https[0].default_action[0].type == "forward"
    error_message = "The HTTPS listener must forward to the target group."
  }

  assert {
    condition     = aws_lb_listener.http.default_action[0].type == "redirect" && aws_lb_listener.http.default_action[0].redirect[0].protocol == "HTTPS" && aws_lb_listener.http.default_action[0].redirect[0].port == "443" && aws_lb_listener.http.default_action[0].redirect[0].status_code == "HTTP_301"
    error_message = "With a certificate, port 80 must redirect permanently to HTTPS."
  }

  assert {
    condition     = toset(keys(aws_vpc_security_group_ingress_rule.ipv4)) == toset(["80-0.0.0.0/0", "443-0.0.0.0/0"])
    error_message = "With a certificate, 80 and 443 must be open."
  }

  assert {
    condition     = output.https_enabled
    error_message = "https_enabled must be true with a certificate."
  }
}

run "dual_stack_and_restricted_ranges" {
  command = plan

  variables {
    enable_ipv6                = true
    allowed_ingress_cidrs      = ["198.51.100.0/24", "203.0.113.0/24"]
    allowed_ingress_ipv6_cidrs = ["2001:db8::/32"]
  }

  assert {
    condition     = aws_lb.this.ip_address_type == "dualstack"
    error_message = "enable_ipv6 must make the load balancer dual-stack."
  }

  assert {
    condition     = toset(keys(aws_vpc_security_group_ingress_rule.ipv4)) == toset(["80-198.51.100.0/24", "80-203.0.113.0/24"])
    error_message = "Only the allowed IPv4 ranges may reach port 80."
  }

  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.ipv6) == ["80-2001:db8::/32"] && aws_vpc_security_group_ingress_rule.ipv6["80-2001:db8::/32"].cidr_ipv6 == "2001:db8::/32"
    error_message = "Only the allowed IPv6 range may reach port 80."
  }
}

run "access_logs_and_waf_when_asked" {
  command = plan

  variables {
    access_logs_bucket  = "example-alb-logs"
    web_acl_arn         = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/example/00000000-0000-0000-0000-000000000000"
    deletion_protection = true
  }

  assert {
    condition     = aws_lb.this.access_logs[0].enabled && aws_lb.this.access_logs[0].bucket == "example-alb-logs" && aws_lb.this.access_logs[0].prefix == "alb"
    error_message = "access_logs_bucket must turn access logs on."
  }

  assert {
    condition     = length(aws_wafv2_web_acl_association.this) == 1
    error_message = "web_acl_arn must associate the web ACL."
  }

  assert {
    condition     = aws_lb.this.enable_deletion_protection
    error_message = "deletion_protection must reach the load balancer."
  }
}

# --- /metrics stays inside the VPC -------------------------------------------

run "metrics_answered_404_on_the_http_listener_by_default" {
  command = apply

  override_resource {
    target = aws_lb_listener.http
    values = {
      arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/sts-test/0123456789abcdef/00000000000000a0"
    }
  }

  assert {
    condition     = length(aws_lb_listener_rule.block_metrics) == 1
    error_message = "By default the load balancer must keep /metrics from the internet."
  }

  assert {
    condition     = aws_lb_listener_rule.block_metrics[0].listener_arn == "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/sts-test/0123456789abcdef/00000000000000a0"
    error_message = "Without a certificate the rule must be on the HTTP listener, which forwards to the tasks."
  }

  assert {
    condition     = aws_lb_listener_rule.block_metrics[0].priority == 1
    error_message = "The rule must come first (priority 1), before any rule that could forward /metrics."
  }

  assert {
    condition     = length(aws_lb_listener_rule.block_metrics[0].action) == 1 && aws_lb_listener_rule.block_metrics[0].action[0].type == "fixed-response" && aws_lb_listener_rule.block_metrics[0].action[0].target_group_arn == null
    error_message = "The rule must answer by itself and forward nothing."
  }

  assert {
    condition     = aws_lb_listener_rule.block_metrics[0].action[0].fixed_response[0].status_code == "404" && aws_lb_listener_rule.block_metrics[0].action[0].fixed_response[0].content_type == "application/json" && aws_lb_listener_rule.block_metrics[0].action[0].fixed_response[0].message_body == "{\"error\":\"not found\"}"
    error_message = "The rule must give the service's own answer to an unknown path: 404, application/json, {\"error\":\"not found\"}."
  }

  assert {
    condition     = one(aws_lb_listener_rule.block_metrics[0].condition).path_pattern[0].values == toset(["/metrics"])
    error_message = "The rule must match exactly the path /metrics, and nothing else."
  }
}

run "metrics_answered_404_on_the_https_listener_with_a_certificate" {
  command = apply

  variables {
    certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  }

  override_resource {
    target = aws_lb_listener.http
    values = {
      arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/sts-test/0123456789abcdef/00000000000000a0"
    }
  }

  override_resource {
    target = aws_lb_listener.https
    values = {
      arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/sts-test/0123456789abcdef/00000000000001bb"
    }
  }

  assert {
    condition     = length(aws_lb_listener_rule.block_metrics) == 1 && aws_lb_listener_rule.block_metrics[0].listener_arn == "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/sts-test/0123456789abcdef/00000000000001bb"
    error_message = "With a certificate the rule must be on the HTTPS listener, which forwards (port 80 only redirects)."
  }

  assert {
    condition     = aws_lb_listener_rule.block_metrics[0].listener_arn == aws_lb_listener.https[0].arn && aws_lb_listener_rule.block_metrics[0].listener_arn != aws_lb_listener.http.arn
    error_message = "The rule must not stay on the redirecting HTTP listener."
  }

  assert {
    condition     = aws_lb_listener_rule.block_metrics[0].action[0].fixed_response[0].status_code == "404" && one(aws_lb_listener_rule.block_metrics[0].condition).path_pattern[0].values == toset(["/metrics"])
    error_message = "The rule must answer /metrics with 404 on HTTPS too."
  }
}

run "metrics_forwarded_when_exposed" {
  command = plan

  variables {
    expose_metrics = true
  }

  assert {
    condition     = length(aws_lb_listener_rule.block_metrics) == 0
    error_message = "expose_metrics = true must remove the rule, so /metrics reaches the tasks."
  }
}

# --- Every validation rejects a bad value ------------------------------------

run "rejects_bad_name" {
  command = plan
  variables {
    name = "this-name-is-far-too-long-for-an-alb"
  }
  expect_failures = [var.name]
}

run "rejects_a_single_subnet" {
  command = plan
  variables {
    subnet_ids = ["subnet-0aaaaaaaaaaaaaaaa"]
  }
  expect_failures = [var.subnet_ids]
}

run "rejects_bad_target_port" {
  command = plan
  variables {
    target_port = 70000
  }
  expect_failures = [var.target_port]
}

run "rejects_relative_health_check_path" {
  command = plan
  variables {
    health_check_path = "healthz"
  }
  expect_failures = [var.health_check_path]
}

run "rejects_too_short_interval" {
  command = plan
  variables {
    health_check_interval = 4
    health_check_timeout  = 3
  }
  expect_failures = [var.health_check_interval]
}

run "rejects_timeout_not_below_interval" {
  command = plan
  variables {
    health_check_timeout = 10
  }
  expect_failures = [var.health_check_timeout]
}

run "rejects_healthy_threshold_of_one" {
  command = plan
  variables {
    healthy_threshold = 1
  }
  expect_failures = [var.healthy_threshold]
}

run "rejects_unhealthy_threshold_above_ten" {
  command = plan
  variables {
    unhealthy_threshold = 11
  }
  expect_failures = [var.unhealthy_threshold]
}

run "rejects_negative_deregistration_delay" {
  command = plan
  variables {
    deregistration_delay = -1
  }
  expect_failures = [var.deregistration_delay]
}

run "rejects_idle_timeout_of_zero" {
  command = plan
  variables {
    idle_timeout = 0
  }
  expect_failures = [var.idle_timeout]
}

run "rejects_a_certificate_that_is_not_an_acm_arn" {
  command = plan
  variables {
    certificate_arn = "arn:aws:iam::123456789012:server-certificate/example"
  }
  expect_failures = [var.certificate_arn]
}

run "rejects_a_tls12_only_policy" {
  command = plan
  variables {
    ssl_policy = "ELBSecurityPolicy-2016-08"
  }
  expect_failures = [var.ssl_policy]
}

run "rejects_ipv6_in_ipv4_ranges" {
  command = plan
  variables {
    allowed_ingress_cidrs = ["::/0"]
  }
  expect_failures = [var.allowed_ingress_cidrs]
}

run "rejects_ipv4_in_ipv6_ranges" {
  command = plan
  variables {
    allowed_ingress_ipv6_cidrs = ["0.0.0.0/0"]
  }
  expect_failures = [var.allowed_ingress_ipv6_cidrs]
}
