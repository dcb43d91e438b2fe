output "arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "arn_suffix" {
  description = "ARN suffix of the load balancer (the LoadBalancer dimension of its CloudWatch metrics)."
  value       = aws_lb.this.arn_suffix
}

output "dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "zone_id" {
  description = "Route 53 hosted zone ID of the load balancer (for alias records)."
  value       = aws_lb.this.zone_id
}

output "security_group_id" {
  description = "ID of the load balancer's security group."
  value       = aws_security_group.this.id
}

output "target_group_arn" {
  description = "ARN of the target group the service registers its tasks in (available once a listener forwards to it)."
  value       = aws_lb_target_group.this.arn

  # ECS refuses to create a service on a target group that no listener uses:
  # whoever reads this output waits for the listeners.
  depends_on = [aws_lb_listener.http, aws_lb_listener.https]
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group (the TargetGroup dimension of its CloudWatch metrics)."
  value       = aws_lb_target_group.this.arn_suffix
}

output "https_enabled" {
  description = "Whether the load balancer serves HTTPS (a certificate was given)."
  value       = local.https
}

output "listener_arn" {
  description = "ARN of the listener that forwards to the target group (HTTPS when enabled, else HTTP)."
  value       = local.https ? aws_lb_listener.https[0].arn : aws_lb_listener.http.arn
}

output "idle_timeout" {
  description = "Idle timeout of the load balancer, in seconds."
  value       = aws_lb.this.idle_timeout
}
