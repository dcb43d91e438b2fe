# Plan against state written by the real provider: the state is upgraded from
# JSON, refreshed (unchanged), an argument change is planned in place, and a
# change to cidr_block (which forces a new VPC) as a replacement. The committed
# lock file (for the real provider) must come through init unchanged.
terraform {
  backend "local" {
    path = "prior-state.json"
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.1.0.0/16"
  tags       = { Name = "main" }
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/app"
  retention_in_days = 14
}
