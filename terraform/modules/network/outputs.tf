output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC (the service trusts X-Forwarded-For from this range: the load balancer's addresses)."
  value       = aws_vpc.this.cidr_block
}

output "vpc_ipv6_cidr" {
  description = "IPv6 CIDR block of the VPC, or null when IPv6 is off."
  value       = var.enable_ipv6 ? aws_vpc.this.ipv6_cidr_block : null
}

output "availability_zones" {
  description = "Availability zones the subnets are in, in subnet order."
  value       = local.azs
}

output "public_subnet_ids" {
  description = "IDs of the public subnets (for the load balancer), one per zone."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets (for the tasks), one per zone."
  value       = aws_subnet.private[*].id
}

output "public_subnet_cidrs" {
  description = "IPv4 CIDR blocks of the public subnets."
  value       = aws_subnet.public[*].cidr_block
}

output "private_subnet_cidrs" {
  description = "IPv4 CIDR blocks of the private subnets."
  value       = aws_subnet.private[*].cidr_block
}

output "nat_gateway_ids" {
  description = "IDs of the NAT gateways (one, or one per zone)."
  value       = aws_nat_gateway.this[*].id
}

output "nat_public_ips" {
  description = "Public IPv4 addresses the tasks' outbound traffic leaves from."
  value       = aws_eip.nat[*].public_ip
}

output "flow_log_group_name" {
  description = "CloudWatch log group of the VPC flow logs, or null when they are off."
  value       = var.enable_flow_logs ? aws_cloudwatch_log_group.flow_logs[0].name : null
}
