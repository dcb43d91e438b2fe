variable "name" {
  description = "Name prefix of the load balancer, its target group and security group (at most 26 characters: AWS limits load balancer names to 32)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,24}[a-z0-9]$", var.name))
    error_message = "name must be 3-26 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the load balancer and its targets are in."
  type        = string
}

variable "subnet_ids" {
  description = "Public subnets for the load balancer, in at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must list at least two subnets in different availability zones."
  }
}

variable "target_port" {
  description = "Port the targets (the service's containers) listen on."
  type        = number
  default     = 8080

  validation {
    condition     = var.target_port >= 1 && var.target_port <= 65535 && floor(var.target_port) == var.target_port
    error_message = "target_port must be a TCP port number (1-65535)."
  }
}

variable "health_check_path" {
  description = "Path the target group health check requests (GET); it must answer 200."
  type        = string
  default     = "/healthz"

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "health_check_path must start with \"/\"."
  }
}

variable "health_check_interval" {
  description = "Seconds between two health checks of a target."
  type        = number
  default     = 10

  validation {
    condition     = var.health_check_interval >= 5 && var.health_check_interval <= 300
    error_message = "health_check_interval must be between 5 and 300 seconds."
  }
}

variable "health_check_timeout" {
  description = "Seconds a health check may take before it counts as failed (less than the interval)."
  type        = number
  default     = 5

  validation {
    condition     = var.health_check_timeout >= 2 && var.health_check_timeout <= 120 && var.health_check_timeout < var.health_check_interval
    error_message = "health_check_timeout must be between 2 and 120 seconds and below health_check_interval."
  }
}

variable "healthy_threshold" {
  description = "Consecutive successful health checks before a target receives traffic."
  type        = number
  default     = 2

  validation {
    condition     = var.healthy_threshold >= 2 && var.healthy_threshold <= 10
    error_message = "healthy_threshold must be between 2 and 10."
  }
}

variable "unhealthy_threshold" {
  description = "Consecutive failed health checks before a target stops receiving traffic (interval x threshold = time to take a bad task out, 30 s by default)."
  type        = number
  default     = 3

  validation {
    condition     = var.unhealthy_threshold >= 2 && var.unhealthy_threshold <= 10
    error_message = "unhealthy_threshold must be between 2 and 10."
  }
}

variable "deregistration_delay" {
  description = "Seconds the load balancer keeps a deregistering target for in-flight requests before ECS stops the task. Added to every deployment and scale-in; the service answers in microseconds, so it can be short."
  type        = number
  default     = 20

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay <= 3600
    error_message = "deregistration_delay must be between 0 and 3600 seconds."
  }
}

variable "idle_timeout" {
  description = "Seconds the load balancer keeps an idle connection open. The service's IDLE_TIMEOUT must be longer, so the service never closes a connection the load balancer is about to reuse."
  type        = number
  default     = 60

  validation {
    condition     = var.idle_timeout >= 1 && var.idle_timeout <= 4000
    error_message = "idle_timeout must be between 1 and 4000 seconds."
  }
}

variable "certificate_arn" {
  description = "ACM certificate ARN. Set: HTTPS on 443 with a TLS 1.3 policy and port 80 redirecting to it. Null: plain HTTP on 80."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID) or null."
  }
}

variable "ssl_policy" {
  description = "TLS security policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = startswith(var.ssl_policy, "ELBSecurityPolicy-TLS13-")
    error_message = "ssl_policy must be one of the ELBSecurityPolicy-TLS13-* policies (TLS 1.3 support, nothing older than TLS 1.2)."
  }
}

variable "allowed_ingress_cidrs" {
  description = "IPv4 ranges allowed to reach the load balancer on 80 (and 443)."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for cidr in var.allowed_ingress_cidrs : can(cidrhost(cidr, 0)) && !strcontains(cidr, ":")])
    error_message = "allowed_ingress_cidrs must hold IPv4 CIDR blocks."
  }
}

variable "allowed_ingress_ipv6_cidrs" {
  description = "IPv6 ranges allowed to reach the load balancer when enable_ipv6 is on."
  type        = list(string)
  default     = ["::/0"]

  validation {
    condition     = alltrue([for cidr in var.allowed_ingress_ipv6_cidrs : can(cidrhost(cidr, 0)) && strcontains(cidr, ":")])
    error_message = "allowed_ingress_ipv6_cidrs must hold IPv6 CIDR blocks."
  }
}

variable "enable_ipv6" {
  description = "Dual-stack load balancer (IPv4 and IPv6). The subnets must have IPv6 blocks."
  type        = bool
  default     = false
}

variable "expose_metrics" {
  description = "Let the internet reach GET /metrics. The service's Prometheus metrics (request and error counts, open connections, version and git revision) are for a scraper inside the VPC, which reaches the tasks directly; false makes the load balancer answer /metrics itself with the service's own 404."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Turn on the load balancer's deletion protection (terraform destroy then fails until it is turned off)."
  type        = bool
  default     = false
}

variable "access_logs_bucket" {
  description = "S3 bucket for the load balancer's access logs (its policy must let Elastic Load Balancing write). Null: no access logs."
  type        = string
  default     = null
}

variable "access_logs_prefix" {
  description = "Key prefix of the access logs in access_logs_bucket."
  type        = string
  default     = "alb"
}

variable "web_acl_arn" {
  description = "ARN of a WAFv2 web ACL (REGIONAL) to associate with the load balancer. Null: none."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
