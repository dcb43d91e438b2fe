locals {
  https = var.certificate_arn != null

  listener_ports = local.https ? [80, 443] : [80]

  # One ingress rule per (port, range), keyed so that adding a range never
  # replaces the rules of the others.
  ingress_ipv4 = { for pair in setproduct(local.listener_ports, var.allowed_ingress_cidrs) : "${pair[0]}-${pair[1]}" => { port = pair[0], cidr = pair[1] } }
  ingress_ipv6 = var.enable_ipv6 ? { for pair in setproduct(local.listener_ports, var.allowed_ingress_ipv6_cidrs) : "${pair[0]}-${pair[1]}" => { port = pair[0], cidr = pair[1] } } : {}
}

resource "aws_security_group" "this" {
  name_prefix = "${var.name}-alb-"
  description = "Load balancer of ${var.name}: HTTP(S) in from the allowed ranges, out only to the service's tasks."
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-alb" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "ipv4" {
  for_each = local.ingress_ipv4

  security_group_id = aws_security_group.this.id
  description       = "HTTP${each.value.port == 443 ? "S" : ""} from ${each.value.cidr}"
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr

  tags = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "ipv6" {
  for_each = local.ingress_ipv6

  security_group_id = aws_security_group.this.id
  description       = "HTTP${each.value.port == 443 ? "S" : ""} from ${each.value.cidr}"
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv6         = each.value.cidr

  tags = var.tags
}

# The egress rule to the tasks is added by the service module, which owns the
# tasks' security group: the load balancer can reach nothing else.

resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_76:WAF is optional (var.web_acl_arn); its rule groups are the web ACL owner's choice.
  #checkov:skip=CKV2_AWS_20:Port 80 redirects to HTTPS whenever var.certificate_arn is set; without a certificate there is no HTTPS to redirect to.
  #checkov:skip=CKV2_AWS_28:WAF is optional (var.web_acl_arn): the service reads no body or parameters, and the ALB drops invalid headers.
  #checkov:skip=CKV_AWS_150:Deletion protection is a variable (var.deletion_protection), off by default so that destroy works; production sets it.
  #checkov:skip=CKV_AWS_91:Access logs are optional (var.access_logs_bucket): they need a bucket whose policy admits Elastic Load Balancing.
  name                       = var.name
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.subnet_ids
  security_groups            = [aws_security_group.this.id]
  ip_address_type            = var.enable_ipv6 ? "dualstack" : "ipv4"
  idle_timeout               = var.idle_timeout
  enable_deletion_protection = var.deletion_protection
  enable_http2               = true

  # Reject requests with header names that are not valid HTTP tokens, and
  # classify every request for HTTP desync (request smuggling) risk, blocking
  # all but the compliant ones.
  drop_invalid_header_fields = true
  desync_mitigation_mode     = "strictest"

  # Append the caller's address to X-Forwarded-For. The service trusts entries
  # added by addresses inside the VPC (TRUSTED_PROXIES) and takes the last
  # untrusted entry as the client, so a forged header cannot spoof its "ip".
  xff_header_processing_mode = "append"

  dynamic "access_logs" {
    for_each = var.access_logs_bucket == null ? [] : [var.access_logs_bucket]

    content {
      enabled = true
      bucket  = access_logs.value
      prefix  = var.access_logs_prefix
    }
  }

  tags = var.tags
}

resource "aws_lb_target_group" "this" {
  #checkov:skip=CKV_AWS_378:TLS ends at the load balancer; it reaches the tasks over plain HTTP inside the VPC (security group: only the load balancer may connect). The service has no TLS.
  name                 = "${var.name}-${substr(sha1("${var.target_port}${var.health_check_path}"), 0, 4)}"
  vpc_id               = var.vpc_id
  target_type          = "ip"
  protocol             = "HTTP"
  protocol_version     = "HTTP1"
  port                 = var.target_port
  deregistration_delay = var.deregistration_delay

  health_check {
    enabled             = true
    protocol            = "HTTP"
    port                = "traffic-port"
    path                = var.health_check_path
    matcher             = "200"
    interval            = var.health_check_interval
    timeout             = var.health_check_timeout
    healthy_threshold   = var.healthy_threshold
    unhealthy_threshold = var.unhealthy_threshold
  }

  tags = var.tags

  # A changed port or health path replaces the target group; the new one must
  # exist before the listener is moved to it.
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_lb_listener" "http" {
  #checkov:skip=CKV_AWS_2:Port 80 serves plain HTTP only when no certificate is given; with var.certificate_arn it redirects to HTTPS.
  #checkov:skip=CKV_AWS_103:Port 80 has no TLS; the HTTPS listener below uses a TLS 1.3 policy.
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  dynamic "default_action" {
    for_each = local.https ? [] : [1]

    content {
      type             = "forward"
      target_group_arn = aws_lb_target_group.this.arn
    }
  }

  dynamic "default_action" {
    for_each = local.https ? [1] : []

    content {
      type = "redirect"

      redirect {
        protocol    = "HTTPS"
        port        = "443"
        status_code = "HTTP_301"
      }
    }
  }

  tags = var.tags
}

resource "aws_lb_listener" "https" {
  count = local.https ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  tags = var.tags
}

# The service answers GET /metrics (Prometheus text) on the port it serves the
# API on. It is for a scraper inside the VPC, which reaches the tasks directly;
# the load balancer answers it itself, on the listener that forwards, with the
# service's own 404 for unknown paths, so the rule reveals nothing. Path
# patterns are case-sensitive and ignore the query string, as the service's
# routing does: "/metrics?x" is caught, "/Metrics" and "/metrics/" reach the
# service and get its 404.
resource "aws_lb_listener_rule" "block_metrics" {
  count = var.expose_metrics ? 0 : 1

  listener_arn = local.https ? aws_lb_listener.https[0].arn : aws_lb_listener.http.arn
  priority     = 1

  action {
    type = "fixed-response"

    fixed_response {
      status_code  = "404"
      content_type = "application/json"
      message_body = jsonencode({ error = "not found" })
    }
  }

  condition {
    path_pattern {
      values = ["/metrics"]
    }
  }

  tags = var.tags
}

resource "aws_wafv2_web_acl_association" "this" {
  count = var.web_acl_arn == null ? 0 : 1

  resource_arn = aws_lb.this.arn
  web_acl_arn  = var.web_acl_arn
}
