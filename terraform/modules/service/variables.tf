variable "name" {
  description = "Name of the ECS cluster and service, and prefix of the other resources."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "image" {
  description = "Container image with an explicit tag or digest, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/simple-time-service@sha256:... A digest pins exactly what runs; \"latest\" is refused."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._/:-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$", var.image))
    error_message = "image must name a tag (repo:TAG) or a digest (repo@sha256:<64 hex>)."
  }

  validation {
    condition     = !endswith(var.image, ":latest")
    error_message = "image must not use the \"latest\" tag: give the version tag or the digest to deploy."
  }
}

variable "container_name" {
  description = "Name of the container in the task definition."
  type        = string
  default     = "simple-time-service"
}

variable "container_port" {
  description = "Port the service listens on inside the container (its PORT setting)."
  type        = number
  default     = 8080

  validation {
    condition     = var.container_port >= 1024 && var.container_port <= 65535 && floor(var.container_port) == var.container_port
    error_message = "container_port must be between 1024 and 65535: the service runs without capabilities, so it cannot bind privileged ports."
  }
}

variable "cpu" {
  description = "Task CPU units (256 = 0.25 vCPU)."
  type        = number
  default     = 256

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be one of Fargate's sizes: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "memory" {
  description = "Task memory in MiB; must be a pair Fargate allows with cpu."
  type        = number
  default     = 512

  validation {
    condition = contains(
      lookup({
        "256"   = [512, 1024, 2048]
        "512"   = [for gb in range(1, 5) : gb * 1024]
        "1024"  = [for gb in range(2, 9) : gb * 1024]
        "2048"  = [for gb in range(4, 17) : gb * 1024]
        "4096"  = [for gb in range(8, 31) : gb * 1024]
        "8192"  = [for gb in range(16, 61, 4) : gb * 1024]
        "16384" = [for gb in range(32, 121, 8) : gb * 1024]
      }, tostring(var.cpu), []),
      var.memory
    )
    error_message = "memory must be a value Fargate allows for the chosen cpu: 256 -> 512/1024/2048; 512 -> 1-4 GiB; 1024 -> 2-8 GiB; 2048 -> 4-16 GiB; 4096 -> 8-30 GiB (1 GiB steps); 8192 -> 16-60 GiB (4 GiB steps); 16384 -> 32-120 GiB (8 GiB steps)."
  }
}

variable "cpu_architecture" {
  description = "CPU architecture of the task: X86_64 or ARM64 (Graviton, about 20% cheaper; the image must have an arm64 variant)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be \"X86_64\" or \"ARM64\"."
  }
}

variable "trusted_proxies" {
  description = "CIDR blocks whose X-Forwarded-For entries the service trusts (its TRUSTED_PROXIES): the VPC CIDR, where the load balancer's addresses come from."
  type        = list(string)

  validation {
    condition     = length(var.trusted_proxies) > 0 && alltrue([for cidr in var.trusted_proxies : can(cidrhost(cidr, 0))])
    error_message = "trusted_proxies must list at least one CIDR block (the VPC CIDR)."
  }
}

variable "shutdown_timeout" {
  description = "Seconds the service drains connections after SIGTERM before it exits (its SHUTDOWN_TIMEOUT); must be below stop_timeout."
  type        = number
  default     = 10

  validation {
    condition     = var.shutdown_timeout >= 1 && var.shutdown_timeout < var.stop_timeout
    error_message = "shutdown_timeout must be at least 1 and below stop_timeout, so the drain finishes before ECS sends SIGKILL."
  }
}

variable "stop_timeout" {
  description = "Seconds ECS waits after SIGTERM before it sends SIGKILL (the container's stopTimeout; Fargate allows at most 120)."
  type        = number
  default     = 30

  validation {
    condition     = var.stop_timeout >= 2 && var.stop_timeout <= 120
    error_message = "stop_timeout must be between 2 and 120 seconds (Fargate's maximum)."
  }
}

variable "idle_timeout" {
  description = "Seconds the service keeps an idle keep-alive connection (its IDLE_TIMEOUT); must exceed the load balancer's idle timeout."
  type        = number
  default     = 75

  validation {
    condition     = var.idle_timeout > var.load_balancer_idle_timeout
    error_message = "idle_timeout must exceed load_balancer_idle_timeout, or the service may close a connection the load balancer is reusing (502s)."
  }
}

variable "load_balancer_idle_timeout" {
  description = "Idle timeout of the load balancer in front of the service, in seconds (only used to check idle_timeout)."
  type        = number
  default     = 60
}

variable "log_level" {
  description = "The service's LOG_LEVEL."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["debug", "info", "warn", "error"], var.log_level)
    error_message = "log_level must be debug, info, warn or error."
  }
}

variable "access_log" {
  description = "Whether the service logs every request (its ACCESS_LOG)."
  type        = bool
  default     = true
}

variable "vpc_id" {
  description = "ID of the VPC the tasks run in."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the tasks (no public IP is assigned), in at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must list at least two subnets in different availability zones."
  }
}

variable "load_balancer_security_group_id" {
  description = "Security group of the load balancer: allowed to reach the tasks on the container port (with metrics_scraper_security_group_ids, the only other source), and given an egress rule to them."
  type        = string
}

variable "metrics_scraper_security_group_ids" {
  description = "Security groups of Prometheus-compatible scrapers in the VPC allowed to reach the tasks on the container port, for GET /metrics. Empty: only the load balancer reaches the tasks."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.metrics_scraper_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "metrics_scraper_security_group_ids must hold security group IDs (sg-...)."
  }
}

variable "target_group_arn" {
  description = "Target group (target type ip) the tasks are registered in."
  type        = string
}

variable "load_balancer_arn_suffix" {
  description = "ARN suffix of the load balancer, for the request-count scaling policy and the alarms."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the target group, for the request-count scaling policy and the alarms."
  type        = string
}

variable "desired_count" {
  description = "Number of tasks when the service is created (autoscaling manages it afterwards, between min_capacity and max_capacity)."
  type        = number
  default     = 2

  validation {
    condition     = var.desired_count >= var.min_capacity && var.desired_count <= var.max_capacity
    error_message = "desired_count must be between min_capacity and max_capacity."
  }
}

variable "min_capacity" {
  description = "Fewest tasks autoscaling keeps (2 keeps one per zone)."
  type        = number
  default     = 2

  validation {
    condition     = var.min_capacity >= 1 && floor(var.min_capacity) == var.min_capacity
    error_message = "min_capacity must be a whole number of at least 1."
  }
}

variable "max_capacity" {
  description = "Most tasks autoscaling may run."
  type        = number
  default     = 10

  validation {
    condition     = var.max_capacity >= var.min_capacity && var.max_capacity <= 1000 && floor(var.max_capacity) == var.max_capacity
    error_message = "max_capacity must be a whole number between min_capacity and 1000."
  }
}

variable "cpu_target" {
  description = "Average CPU utilization (percent) autoscaling keeps the tasks at."
  type        = number
  default     = 60

  validation {
    condition     = var.cpu_target >= 10 && var.cpu_target <= 90
    error_message = "cpu_target must be between 10 and 90 percent."
  }
}

variable "requests_per_target" {
  description = "Requests per task per minute (ALBRequestCountPerTarget) autoscaling keeps the tasks at."
  type        = number
  default     = 6000

  validation {
    condition     = var.requests_per_target >= 1
    error_message = "requests_per_target must be at least 1."
  }
}

variable "scale_in_cooldown" {
  description = "Seconds after a scale-in before another scale-in."
  type        = number
  default     = 300
}

variable "scale_out_cooldown" {
  description = "Seconds after a scale-out before another scale-out."
  type        = number
  default     = 60
}

variable "fargate_weight" {
  description = "Relative share of tasks placed on FARGATE (on-demand)."
  type        = number
  default     = 1

  validation {
    condition     = var.fargate_weight >= 0 && var.fargate_weight <= 1000
    error_message = "fargate_weight must be between 0 and 1000."
  }

  validation {
    condition     = var.fargate_weight + var.fargate_spot_weight > 0
    error_message = "fargate_weight and fargate_spot_weight cannot both be 0: ECS needs a capacity provider with a weight."
  }
}

variable "fargate_spot_weight" {
  description = "Relative share of tasks placed on FARGATE_SPOT (up to 70% cheaper, may be interrupted with a two-minute warning). 0: no Spot."
  type        = number
  default     = 0

  validation {
    condition     = var.fargate_spot_weight >= 0 && var.fargate_spot_weight <= 1000
    error_message = "fargate_spot_weight must be between 0 and 1000."
  }
}

variable "fargate_base" {
  description = "Tasks always placed on FARGATE (on-demand) before the weights apply."
  type        = number
  default     = 1

  validation {
    condition     = var.fargate_base >= 0 && var.fargate_base <= 100000
    error_message = "fargate_base must be between 0 and 100000."
  }
}

variable "container_insights" {
  description = "CloudWatch Container Insights level of the cluster: \"enabled\", \"enhanced\" or \"disabled\"."
  type        = string
  default     = "enabled"

  validation {
    condition     = contains(["enabled", "enhanced", "disabled"], var.container_insights)
    error_message = "container_insights must be \"enabled\", \"enhanced\" or \"disabled\"."
  }
}

variable "health_check_grace_period" {
  description = "Seconds after a task starts during which failing load balancer health checks do not stop it."
  type        = number
  default     = 30

  validation {
    condition     = var.health_check_grace_period >= 0 && var.health_check_grace_period <= 2147483647
    error_message = "health_check_grace_period must not be negative."
  }
}

variable "wait_for_steady_state" {
  description = "Make terraform apply wait until the deployment has reached a steady state (or rolled back)."
  type        = bool
  default     = true
}

variable "enable_execute_command" {
  description = "Turn on ECS Exec. The image is a static binary in an empty (scratch) image with a read-only root filesystem: there is no shell to exec into, so this is off by default."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of the service's log group, in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "log_kms_key_arn" {
  description = "KMS key ARN to encrypt the log group with (its key policy must allow CloudWatch Logs). Null: CloudWatch Logs' default encryption."
  type        = string
  default     = null
}

variable "enable_alarms" {
  description = "Create CloudWatch alarms (load balancer 5xx, unhealthy targets, p99 latency) and roll a deployment back when one fires."
  type        = bool
  default     = true
}

variable "alarm_actions" {
  description = "ARNs (e.g. SNS topics) notified when an alarm fires or recovers."
  type        = list(string)
  default     = []
}

variable "alarm_5xx_threshold" {
  description = "5xx responses (from the load balancer and the targets together) per minute that fire the 5xx alarm."
  type        = number
  default     = 10
}

variable "alarm_p99_latency_threshold" {
  description = "Target response time p99, in seconds, that fires the latency alarm."
  type        = number
  default     = 0.5
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
