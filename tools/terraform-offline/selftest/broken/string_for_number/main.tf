resource "aws_lb_target_group" "app" {
  name     = "app"
  port     = "eighty"
  protocol = "HTTP"
}
