# --- Where and what ------------------------------------------------------------

variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "name" {
  description = "Name of the deployment: prefix of every resource (at most 26 characters: load balancer names are limited to 32)."
  type        = string
  default     = "simple-time-service"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,24}[a-z0-9]$", var.name))
    error_message = "name must be 3-26 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name, used in tags (for example production, staging)."
  type        = string
  default     = "production"
}

variable "image" {
  description = "Container image to run, with a tag or (better) a digest: 123456789012.dkr.ecr.us-east-1.amazonaws.com/simple-time-service@sha256:... There is no default and \"latest\" is refused."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._/:-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$", var.image)) && !endswith(var.image, ":latest")
    error_message = "image must name a tag (repo:TAG, not latest) or a digest (repo@sha256:<64 hex>)."
  }
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

# --- Network -----------------------------------------------------------------

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC (/16 to /19). The service trusts X-Forwarded-For from this range."
  type        = string
  default     = "10.0.0.0/16"
}

variable "az_count" {
  description = "Number of availability zones (at least 2)."
  type        = number
  default     = 2
}

variable "nat_gateway_mode" {
  description = "\"single\" (one NAT gateway, cheapest) or \"per_az\" (one per zone, survives a zone outage)."
  type        = string
  default     = "single"
}

variable "enable_ipv6" {
  description = "Dual-stack (IPv4 and IPv6) load balancer."
  type        = bool
  default     = false
}

variable "enable_flow_logs" {
  description = "Record VPC flow logs in CloudWatch Logs."
  type        = bool
  default     = true
}

# --- Load balancer -----------------------------------------------------------

variable "certificate_arn" {
  description = "ACM certificate for HTTPS (443, TLS 1.3 policy; 80 redirects). Null: HTTP only."
  type        = string
  default     = null
}

variable "domain_name" {
  description = "DNS name users reach the service at (must match certificate_arn when HTTPS is on). Null: the load balancer's own DNS name."
  type        = string
  default     = null
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone in which to create an alias record for domain_name. Null: manage DNS elsewhere."
  type        = string
  default     = null

  validation {
    condition     = var.route53_zone_id == null || var.domain_name != null
    error_message = "route53_zone_id needs domain_name: the record to create in that zone."
  }
}

variable "allowed_ingress_cidrs" {
  description = "IPv4 ranges allowed to reach the load balancer."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "allowed_ingress_ipv6_cidrs" {
  description = "IPv6 ranges allowed to reach the load balancer (when enable_ipv6 is on)."
  type        = list(string)
  default     = ["::/0"]
}

variable "load_balancer_idle_timeout" {
  description = "Idle timeout of the load balancer, in seconds. The service's IDLE_TIMEOUT is set 15 s above it."
  type        = number
  default     = 60
}

variable "deregistration_delay" {
  description = "Seconds a stopping task keeps serving in-flight requests after it leaves the target group."
  type        = number
  default     = 20
}

variable "metrics_scraper_security_group_ids" {
  description = "Security groups of Prometheus-compatible scrapers in the VPC allowed to reach the tasks on port 8080 for GET /metrics (docs/operations.md). Empty: only the load balancer reaches the tasks."
  type        = list(string)
  default     = []
}

variable "expose_metrics" {
  description = "Let the internet reach the service's GET /metrics through the load balancer. False: the load balancer answers /metrics with the service's own 404; scrape the tasks from inside the VPC (docs/operations.md)."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Deletion protection on the load balancer."
  type        = bool
  default     = false
}

variable "access_logs_bucket" {
  description = "S3 bucket for load balancer access logs (its policy must admit Elastic Load Balancing). Null: none."
  type        = string
  default     = null
}

variable "web_acl_arn" {
  description = "WAFv2 web ACL (REGIONAL) to attach to the load balancer. Null: none."
  type        = string
  default     = null
}

# --- Service -----------------------------------------------------------------

variable "cpu" {
  description = "Task CPU units (256 = 0.25 vCPU)."
  type        = number
  default     = 256
}

variable "memory" {
  description = "Task memory in MiB (a pair Fargate allows with cpu)."
  type        = number
  default     = 512
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64 (the image must have that platform)."
  type        = string
  default     = "X86_64"
}

variable "desired_count" {
  description = "Tasks at creation; autoscaling manages the count between min_capacity and max_capacity afterwards. Null: min_capacity."
  type        = number
  default     = null
}

variable "min_capacity" {
  description = "Fewest tasks (2: one per zone)."
  type        = number
  default     = 2
}

variable "max_capacity" {
  description = "Most tasks."
  type        = number
  default     = 10
}

variable "fargate_spot_weight" {
  description = "Share of tasks on FARGATE_SPOT relative to FARGATE (weight 1); the first task is always on-demand. 0: no Spot."
  type        = number
  default     = 0
}

variable "shutdown_timeout" {
  description = "The service's SHUTDOWN_TIMEOUT: seconds it drains after SIGTERM."
  type        = number
  default     = 10
}

variable "stop_timeout" {
  description = "Seconds ECS waits after SIGTERM before SIGKILL (above shutdown_timeout, at most 120)."
  type        = number
  default     = 30
}

variable "log_level" {
  description = "The service's LOG_LEVEL: debug, info, warn or error."
  type        = string
  default     = "info"
}

variable "log_retention_days" {
  description = "Retention of the service's logs, in days."
  type        = number
  default     = 30
}

variable "log_kms_key_arn" {
  description = "KMS key for the service's log group. Null: default encryption."
  type        = string
  default     = null
}

variable "enable_alarms" {
  description = "CloudWatch alarms (5xx, unhealthy targets, p99 latency) that also roll back a failing deployment."
  type        = bool
  default     = true
}

variable "alarm_actions" {
  description = "ARNs (for example an SNS topic) notified by the alarms."
  type        = list(string)
  default     = []
}

variable "enable_execute_command" {
  description = "ECS Exec. Useless with this image (no shell in a scratch image), so off."
  type        = bool
  default     = false
}

variable "wait_for_steady_state" {
  description = "Make apply wait for the deployment to finish (or roll back)."
  type        = bool
  default     = true
}
