# Apply-time test with a mocked provider: Terraform generates the values the
# real provider would compute, so the whole configuration "applies" offline.

mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = {
      names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    }
  }

  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "210987654321"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_resource "aws_lb" {
    defaults = {
      dns_name = "sts-selftest-123.eu-west-1.elb.amazonaws.com"
    }
  }
}

run "applies_with_mocked_provider" {
  command = apply

  assert {
    condition     = output.url == "http://sts-selftest-123.eu-west-1.elb.amazonaws.com"
    error_message = "the load balancer URL output is wrong: ${output.url}"
  }

  assert {
    condition     = output.state_bucket == "sts-selftest-state-210987654321"
    error_message = "the state bucket name does not use the account id"
  }

  assert {
    condition     = length(aws_subnet.public) == 2 && length(aws_route_table_association.private) == 2
    error_message = "expected two public and two private subnets"
  }
}
