variable "name" {
  description = "Name prefix for every resource of the network (for example \"simple-time-service\")."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC. Subnets are derived from it with cidrsubnet() unless given explicitly."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 19, false)
    error_message = "vpc_cidr must be an IPv4 CIDR block with a prefix length between /16 and /19 (AWS allows /16 at most; the derived public subnets must be at least /27 for a load balancer)."
  }
}

variable "az_count" {
  description = "Number of availability zones to spread the subnets over (at least 2: a load balancer needs two)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 6 && floor(var.az_count) == var.az_count
    error_message = "az_count must be a whole number between 2 and 6."
  }
}

variable "availability_zones" {
  description = "Availability zone names to use (exactly az_count of them). Empty: the first az_count zones of the region that need no opt-in."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.availability_zones) == 0 || length(var.availability_zones) == var.az_count
    error_message = "availability_zones must be empty or list exactly az_count zones."
  }
}

variable "public_subnet_cidrs" {
  description = "IPv4 CIDR blocks of the public subnets (load balancer), one per zone. Empty: cidrsubnet(vpc_cidr, 8, 240 + i)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.public_subnet_cidrs) == 0 || length(var.public_subnet_cidrs) == var.az_count
    error_message = "public_subnet_cidrs must be empty or list exactly az_count CIDR blocks."
  }

  validation {
    condition     = alltrue([for cidr in var.public_subnet_cidrs : can(cidrhost(cidr, 0))])
    error_message = "public_subnet_cidrs must hold IPv4 CIDR blocks such as 10.0.240.0/24."
  }
}

variable "private_subnet_cidrs" {
  description = "IPv4 CIDR blocks of the private subnets (tasks), one per zone. Empty: cidrsubnet(vpc_cidr, 4, i)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.private_subnet_cidrs) == 0 || length(var.private_subnet_cidrs) == var.az_count
    error_message = "private_subnet_cidrs must be empty or list exactly az_count CIDR blocks."
  }

  validation {
    condition     = alltrue([for cidr in var.private_subnet_cidrs : can(cidrhost(cidr, 0))])
    error_message = "private_subnet_cidrs must hold IPv4 CIDR blocks such as 10.0.0.0/20."
  }
}

variable "nat_gateway_mode" {
  description = "\"single\": one NAT gateway for all private subnets (cheapest; outbound traffic of every zone depends on one zone). \"per_az\": one NAT gateway per zone (survives the loss of a zone)."
  type        = string
  default     = "single"

  validation {
    condition     = contains(["single", "per_az"], var.nat_gateway_mode)
    error_message = "nat_gateway_mode must be \"single\" or \"per_az\"."
  }
}

variable "enable_ipv6" {
  description = "Give the VPC an Amazon-provided IPv6 block and the public subnets a /64 each, so the load balancer can be dual-stack."
  type        = bool
  default     = false
}

variable "enable_flow_logs" {
  description = "Record VPC flow logs (all traffic) to a CloudWatch log group."
  type        = bool
  default     = true
}

variable "flow_logs_retention_days" {
  description = "Retention of the flow log group, in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_logs_retention_days)
    error_message = "flow_logs_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "flow_logs_kms_key_arn" {
  description = "KMS key ARN to encrypt the flow log group with. Null: CloudWatch Logs' default encryption."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
