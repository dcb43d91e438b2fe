# Offline: runs with `mock_provider`, so no AWS account is needed. These tests
# check how the root wires the modules together: that the service, the load
# balancer and the network agree with each other.

mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = {
      names = ["us-east-1a", "us-east-1b", "us-east-1c"]
    }
  }

  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }

  mock_data "aws_region" {
    defaults = {
      region = "us-east-1"
    }
  }

  mock_resource "aws_lb" {
    defaults = {
      dns_name   = "simple-time-service-1234567890.us-east-1.elb.amazonaws.com"
      zone_id    = "Z35SXDOTRQ7X7K"
      arn_suffix = "app/simple-time-service/0123456789abcdef"
    }
  }

  mock_resource "aws_vpc" {
    defaults = {
      ipv6_cidr_block = "2600:1f18:abc:de00::/56"
    }
  }
}

variables {
  image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/simple-time-service@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
}

run "service_trusts_the_vpc_and_outlives_the_load_balancer" {
  command = apply

  variables {
    vpc_cidr                   = "10.42.0.0/16"
    load_balancer_idle_timeout = 120
  }

  assert {
    condition     = module.service.environment.TRUSTED_PROXIES == "10.42.0.0/16" && module.service.environment.TRUSTED_PROXIES == module.network.vpc_cidr
    error_message = "TRUSTED_PROXIES must be the VPC CIDR, where the load balancer's addresses come from."
  }

  assert {
    condition     = tonumber(module.service.environment.IDLE_TIMEOUT) > module.load_balancer.idle_timeout
    error_message = "The service's IDLE_TIMEOUT must exceed the load balancer's idle timeout."
  }

  assert {
    condition     = module.service.environment.PORT == "8080" && module.service.environment.LOG_FORMAT == "json" && module.service.environment.SHUTDOWN_TIMEOUT == "10"
    error_message = "PORT 8080, JSON logs and a 10 s shutdown timeout by default."
  }

  assert {
    condition     = output.url == "http://simple-time-service-1234567890.us-east-1.elb.amazonaws.com" && output.load_balancer_dns == "simple-time-service-1234567890.us-east-1.elb.amazonaws.com"
    error_message = "Without a certificate the URL must be http:// and the load balancer's name."
  }

  assert {
    condition     = output.cluster_name == "simple-time-service" && output.service_name == "simple-time-service" && output.log_group_name == "/ecs/simple-time-service"
    error_message = "Cluster, service and log group must be named after var.name."
  }

  assert {
    condition     = output.vpc_id == module.network.vpc_id
    error_message = "vpc_id must be the network's VPC."
  }

  assert {
    condition     = output.private_subnet_ids == module.network.private_subnet_ids && output.service_security_group_id == module.service.security_group_id
    error_message = "A metrics scraper must be told the tasks' subnets and security group."
  }

  assert {
    condition     = length(aws_route53_record.alias) == 0
    error_message = "No DNS record without route53_zone_id."
  }
}

run "https_with_own_domain" {
  command = apply

  variables {
    certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
    domain_name     = "time.example.com"
    route53_zone_id = "Z0123456789ABCDEFGHIJ"
    enable_ipv6     = true
  }

  assert {
    condition     = output.url == "https://time.example.com"
    error_message = "With a certificate and a domain the URL must be https://domain."
  }

  assert {
    condition     = toset(keys(aws_route53_record.alias)) == toset(["A", "AAAA"]) && aws_route53_record.alias["A"].name == "time.example.com"
    error_message = "A dual-stack deployment must get A and AAAA alias records for the domain."
  }

  assert {
    condition     = one(aws_route53_record.alias["A"].alias).name == "simple-time-service-1234567890.us-east-1.elb.amazonaws.com" && one(aws_route53_record.alias["A"].alias).zone_id == "Z35SXDOTRQ7X7K"
    error_message = "The alias must point at the load balancer."
  }
}

run "a_higher_floor_alone_sets_the_starting_count" {
  # desired_count follows min_capacity unless set: raising the floor needs no
  # second setting (the service module refuses a desired_count below it).
  command = plan

  variables {
    min_capacity = 3
    max_capacity = 12
  }
}

# --- Every validation rejects a bad value ------------------------------------

run "rejects_bad_region" {
  command = plan
  variables {
    region = "US East"
  }
  expect_failures = [var.region]
}

run "rejects_name_too_long_for_a_load_balancer" {
  command = plan
  variables {
    name = "simple-time-service-production"
  }
  expect_failures = [var.name]
}

run "rejects_latest_image" {
  command = plan
  variables {
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/simple-time-service:latest"
  }
  expect_failures = [var.image]
}

run "rejects_zone_without_domain" {
  command = plan
  variables {
    route53_zone_id = "Z0123456789ABCDEFGHIJ"
  }
  expect_failures = [var.route53_zone_id]
}
