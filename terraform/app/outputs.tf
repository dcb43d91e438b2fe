output "url" {
  description = "URL of the service (https:// when a certificate is set)."
  value       = local.url
}

output "load_balancer_dns" {
  description = "DNS name of the load balancer."
  value       = module.load_balancer.dns_name
}

output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = module.service.cluster_name
}

output "service_name" {
  description = "Name of the ECS service."
  value       = module.service.service_name
}

output "log_group_name" {
  description = "CloudWatch log group with the service's JSON logs."
  value       = module.service.log_group_name
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = module.network.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets of the tasks: where a metrics scraper can run (docs/operations.md)."
  value       = module.network.private_subnet_ids
}

output "service_security_group_id" {
  description = "Security group of the tasks: the destination a metrics scraper's security group needs an egress rule to, on port 8080."
  value       = module.service.security_group_id
}

output "task_definition_arn" {
  description = "Task definition (with revision) the service runs."
  value       = module.service.task_definition_arn
}

output "alarm_names" {
  description = "CloudWatch alarms that notify alarm_actions and roll deployments back."
  value       = module.service.alarm_names
}
