# Offline: runs with `mock_provider`, so no AWS account is needed.

mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = {
      names = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"]
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

  mock_resource "aws_vpc" {
    defaults = {
      ipv6_cidr_block = "2600:1f18:abc:de00::/56"
    }
  }
}

variables {
  name = "sts-test"
}

run "defaults_two_zones_single_nat" {
  command = plan

  assert {
    condition     = aws_vpc.this.cidr_block == "10.0.0.0/16" && aws_vpc.this.enable_dns_support && aws_vpc.this.enable_dns_hostnames
    error_message = "The VPC must be 10.0.0.0/16 with DNS support and hostnames."
  }

  assert {
    condition     = length(aws_subnet.public) == 2 && length(aws_subnet.private) == 2
    error_message = "Two zones must give two public and two private subnets."
  }

  assert {
    condition     = [for s in aws_subnet.private : s.cidr_block] == ["10.0.0.0/20", "10.0.16.0/20"]
    error_message = "Private subnets must be the first /20s of the VPC."
  }

  assert {
    condition     = [for s in aws_subnet.public : s.cidr_block] == ["10.0.240.0/24", "10.0.241.0/24"]
    error_message = "Public subnets must be /24s at the top of the VPC."
  }

  assert {
    condition     = [for s in aws_subnet.public : s.availability_zone] == ["us-east-1a", "us-east-1b"] && [for s in aws_subnet.private : s.availability_zone] == ["us-east-1a", "us-east-1b"]
    error_message = "Subnets must spread over the first two zones, one of each tier per zone."
  }

  assert {
    condition     = alltrue([for s in concat(aws_subnet.public, aws_subnet.private) : s.map_public_ip_on_launch == false])
    error_message = "No subnet may give instances public IPs automatically."
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && length(aws_eip.nat) == 1
    error_message = "nat_gateway_mode = single must create exactly one NAT gateway."
  }

  assert {
    condition     = length(aws_route_table.private) == 2 && length(aws_route.private_nat) == 2 && alltrue([for r in aws_route.private_nat : r.destination_cidr_block == "0.0.0.0/0"])
    error_message = "Each private subnet must have its own route table with a default route."
  }

  assert {
    condition     = aws_route.public_ipv4.destination_cidr_block == "0.0.0.0/0" && length(aws_route.public_ipv6) == 0
    error_message = "The public route table must send 0.0.0.0/0 to the internet gateway, and no IPv6 route without IPv6."
  }

  assert {
    condition     = length(aws_flow_log.this) == 1 && aws_flow_log.this[0].traffic_type == "ALL" && aws_cloudwatch_log_group.flow_logs[0].retention_in_days == 30
    error_message = "Flow logs must be on by default, record all traffic, and be kept 30 days."
  }

  assert {
    condition     = jsondecode(aws_iam_role.flow_logs[0].assume_role_policy).Statement[0].Principal.Service == "vpc-flow-logs.amazonaws.com"
    error_message = "Only VPC Flow Logs may assume the flow log role."
  }
}

run "single_nat_serves_every_zone" {
  command = apply

  variables {
    az_count = 3
  }

  assert {
    condition     = alltrue([for r in aws_route.private_nat : r.nat_gateway_id == aws_nat_gateway.this[0].id])
    error_message = "In single mode every private route table must use the one NAT gateway."
  }

  assert {
    condition     = aws_nat_gateway.this[0].subnet_id == aws_subnet.public[0].id
    error_message = "The NAT gateway must sit in a public subnet."
  }
}

run "per_az_nat_keeps_traffic_in_its_zone" {
  command = apply

  variables {
    az_count         = 3
    nat_gateway_mode = "per_az"
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 3 && length(aws_eip.nat) == 3
    error_message = "per_az must create one NAT gateway (and address) per zone."
  }

  assert {
    condition     = alltrue([for i in range(3) : aws_route.private_nat[i].nat_gateway_id == aws_nat_gateway.this[i].id && aws_nat_gateway.this[i].subnet_id == aws_subnet.public[i].id])
    error_message = "Each zone's private route table must use the NAT gateway in that zone's public subnet."
  }

  assert {
    condition     = [for s in aws_subnet.private : s.cidr_block] == ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]
    error_message = "Three zones must derive three private /20s."
  }
}

run "explicit_cidrs_and_zones" {
  command = plan

  variables {
    vpc_cidr             = "172.20.0.0/19"
    availability_zones   = ["us-east-1c", "us-east-1d"]
    public_subnet_cidrs  = ["172.20.30.0/27", "172.20.30.32/27"]
    private_subnet_cidrs = ["172.20.0.0/22", "172.20.4.0/22"]
    enable_flow_logs     = false
  }

  assert {
    condition     = [for s in aws_subnet.public : s.cidr_block] == ["172.20.30.0/27", "172.20.30.32/27"] && [for s in aws_subnet.private : s.cidr_block] == ["172.20.0.0/22", "172.20.4.0/22"]
    error_message = "Given subnet CIDRs must be used as they are."
  }

  assert {
    condition     = [for s in aws_subnet.public : s.availability_zone] == ["us-east-1c", "us-east-1d"]
    error_message = "Given zones must be used as they are."
  }

  assert {
    condition     = length(aws_flow_log.this) == 0 && length(aws_iam_role.flow_logs) == 0 && length(aws_cloudwatch_log_group.flow_logs) == 0
    error_message = "enable_flow_logs = false must create no flow log resources."
  }
}

run "ipv6_gives_public_subnets_a_64" {
  command = apply

  variables {
    enable_ipv6 = true
  }

  assert {
    condition     = aws_vpc.this.assign_generated_ipv6_cidr_block
    error_message = "enable_ipv6 must request an Amazon-provided IPv6 block."
  }

  assert {
    condition     = [for s in aws_subnet.public : s.ipv6_cidr_block] == ["2600:1f18:abc:de00::/64", "2600:1f18:abc:de01::/64"]
    error_message = "Each public subnet must get a /64 of the VPC's block."
  }

  assert {
    condition     = length(aws_route.public_ipv6) == 1 && aws_route.public_ipv6[0].destination_ipv6_cidr_block == "::/0"
    error_message = "The public route table must route ::/0 to the internet gateway."
  }

  assert {
    condition     = output.vpc_ipv6_cidr == "2600:1f18:abc:de00::/56"
    error_message = "vpc_ipv6_cidr must output the VPC's IPv6 block."
  }
}

# --- Every validation rejects a bad value ------------------------------------

run "rejects_bad_name" {
  command = plan

  variables {
    name = "Not_Valid"
  }

  expect_failures = [var.name]
}

run "rejects_vpc_cidr_too_small" {
  command = plan

  variables {
    vpc_cidr = "10.0.0.0/24"
  }

  expect_failures = [var.vpc_cidr]
}

run "rejects_single_zone" {
  command = plan

  variables {
    az_count = 1
  }

  expect_failures = [var.az_count]
}

run "rejects_zone_list_of_wrong_length" {
  command = plan

  variables {
    availability_zones = ["us-east-1a"]
  }

  expect_failures = [var.availability_zones]
}

run "rejects_public_cidrs_of_wrong_count" {
  command = plan

  variables {
    public_subnet_cidrs = ["10.0.240.0/24"]
  }

  expect_failures = [var.public_subnet_cidrs]
}

run "rejects_public_cidrs_that_are_not_cidrs" {
  command = plan

  variables {
    public_subnet_cidrs = ["10.0.240.0/24", "public-b"]
  }

  expect_failures = [var.public_subnet_cidrs]
}

run "rejects_private_cidrs_of_wrong_count" {
  command = plan

  variables {
    private_subnet_cidrs = ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]
  }

  expect_failures = [var.private_subnet_cidrs]
}

run "rejects_private_cidrs_that_are_not_cidrs" {
  command = plan

  variables {
    private_subnet_cidrs = ["10.0.0.0/20", "10.0.16.0"]
  }

  expect_failures = [var.private_subnet_cidrs]
}

run "rejects_unknown_nat_mode" {
  command = plan

  variables {
    nat_gateway_mode = "none"
  }

  expect_failures = [var.nat_gateway_mode]
}

run "rejects_unsupported_retention" {
  command = plan

  variables {
    flow_logs_retention_days = 42
  }

  expect_failures = [var.flow_logs_retention_days]
}
