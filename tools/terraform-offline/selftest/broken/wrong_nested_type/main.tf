resource "aws_ecs_service" "app" {
  name = "app"

  network_configuration {
    subnets          = "subnet-0123456789abcdef0"
    assign_public_ip = false
  }
}
