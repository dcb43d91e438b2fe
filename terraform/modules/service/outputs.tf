output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "task_definition_arn" {
  description = "ARN (with revision) of the task definition the service runs."
  value       = aws_ecs_task_definition.this.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the service's output (JSON lines)."
  value       = aws_cloudwatch_log_group.this.name
}

output "security_group_id" {
  description = "ID of the tasks' security group."
  value       = aws_security_group.tasks.id
}

output "execution_role_arn" {
  description = "ARN of the task execution role (image pull, logs)."
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "ARN of the task role (no permissions)."
  value       = aws_iam_role.task.arn
}

output "alarm_names" {
  description = "Names of the CloudWatch alarms that roll a deployment back."
  value       = [for alarm in aws_cloudwatch_metric_alarm.deployment : alarm.alarm_name]
}

output "environment" {
  description = "Environment variables given to the container."
  value       = local.environment
}
