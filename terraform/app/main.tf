module "network" {
  source = "../modules/network"

  name             = var.name
  vpc_cidr         = var.vpc_cidr
  az_count         = var.az_count
  nat_gateway_mode = var.nat_gateway_mode
  enable_ipv6      = var.enable_ipv6
  enable_flow_logs = var.enable_flow_logs
}

module "load_balancer" {
  source = "../modules/load-balancer"

  name                       = var.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.public_subnet_ids
  target_port                = local.container_port
  health_check_path          = "/healthz"
  idle_timeout               = var.load_balancer_idle_timeout
  deregistration_delay       = var.deregistration_delay
  certificate_arn            = var.certificate_arn
  allowed_ingress_cidrs      = var.allowed_ingress_cidrs
  allowed_ingress_ipv6_cidrs = var.allowed_ingress_ipv6_cidrs
  enable_ipv6                = var.enable_ipv6
  expose_metrics             = var.expose_metrics
  deletion_protection        = var.deletion_protection
  access_logs_bucket         = var.access_logs_bucket
  web_acl_arn                = var.web_acl_arn
}

module "service" {
  source = "../modules/service"

  name             = var.name
  image            = var.image
  container_port   = local.container_port
  cpu              = var.cpu
  memory           = var.memory
  cpu_architecture = var.cpu_architecture

  # The load balancer connects from its addresses in the public subnets, inside
  # the VPC: trusting the VPC range makes the service take the caller's address
  # from the entry the load balancer appended to X-Forwarded-For.
  trusted_proxies            = [module.network.vpc_cidr]
  shutdown_timeout           = var.shutdown_timeout
  stop_timeout               = var.stop_timeout
  idle_timeout               = var.load_balancer_idle_timeout + 15
  load_balancer_idle_timeout = var.load_balancer_idle_timeout
  log_level                  = var.log_level

  vpc_id                             = module.network.vpc_id
  subnet_ids                         = module.network.private_subnet_ids
  load_balancer_security_group_id    = module.load_balancer.security_group_id
  metrics_scraper_security_group_ids = var.metrics_scraper_security_group_ids
  target_group_arn                   = module.load_balancer.target_group_arn
  load_balancer_arn_suffix           = module.load_balancer.arn_suffix
  target_group_arn_suffix            = module.load_balancer.target_group_arn_suffix

  desired_count       = coalesce(var.desired_count, var.min_capacity)
  min_capacity        = var.min_capacity
  max_capacity        = var.max_capacity
  fargate_spot_weight = var.fargate_spot_weight

  log_retention_days     = var.log_retention_days
  log_kms_key_arn        = var.log_kms_key_arn
  enable_alarms          = var.enable_alarms
  alarm_actions          = var.alarm_actions
  enable_execute_command = var.enable_execute_command
  wait_for_steady_state  = var.wait_for_steady_state
}

locals {
  # The service's PORT; the image EXPOSEs it too.
  container_port = 8080

  host = coalesce(var.domain_name, module.load_balancer.dns_name)
  url  = "${module.load_balancer.https_enabled ? "https" : "http"}://${local.host}"
}

resource "aws_route53_record" "alias" {
  for_each = var.route53_zone_id == null ? toset([]) : toset(var.enable_ipv6 ? ["A", "AAAA"] : ["A"])

  zone_id = var.route53_zone_id
  name    = var.domain_name
  type    = each.key

  alias {
    name                   = module.load_balancer.dns_name
    zone_id                = module.load_balancer.zone_id
    evaluate_target_health = true
  }
}
