# Plans with the offline provider itself (no mocks): data sources must give
# realistic values and the plan must carry what the real provider plans.

run "plans_with_realistic_data_sources" {
  command = plan

  assert {
    condition     = data.aws_caller_identity.current.account_id == "123456789012"
    error_message = "the caller identity has no 12-digit account id"
  }

  assert {
    condition     = data.aws_partition.current.partition == "aws" && data.aws_region.current.region == "eu-west-1"
    error_message = "partition or region do not follow the provider configuration"
  }

  assert {
    condition     = local.azs == tolist(["eu-west-1a", "eu-west-1b"])
    error_message = "availability zones are not named after the region"
  }

  assert {
    condition     = aws_subnet.private[1].cidr_block == "10.42.11.0/24"
    error_message = "cidrsubnet() over the configuration gave ${aws_subnet.private[1].cidr_block}"
  }

  assert {
    condition     = data.aws_elb_service_account.main.arn == "arn:aws:iam::156460612806:root"
    error_message = "the ELB service account of eu-west-1 is wrong"
  }

  assert {
    condition     = jsondecode(data.aws_iam_policy_document.kms.json).Statement[1].Principal.Service == "logs.eu-west-1.amazonaws.com"
    error_message = "the policy document is not rendered as JSON"
  }

  assert {
    condition     = length(jsondecode(data.aws_iam_policy_document.kms.minified_json).Statement[1].Action) == 5
    error_message = "the policy document lost actions"
  }

  assert {
    condition     = aws_vpc.main.tags_all == tomap({ Name = "sts-selftest", Project = "offline-selftest", ManagedBy = "terraform" })
    error_message = "tags_all is not the merge of default_tags and tags"
  }

  assert {
    condition     = aws_ecs_cluster.main.region == "eu-west-1"
    error_message = "region is not planned from the provider configuration"
  }

  assert {
    condition     = output.deploy_role_account == "123456789012"
    error_message = "provider::aws::arn_parse() does not work"
  }

  assert {
    condition     = one(aws_lb_listener_rule.metrics.condition).path_pattern[0].values == toset(["/metrics"]) && aws_lb_listener_rule.metrics.action[0].fixed_response[0].message_body == "{\"error\":\"not found\"}"
    error_message = "a set of condition blocks or a nested fixed_response block is not planned as configured"
  }

  assert {
    condition     = module.naming.bucket_name == "sts-logs-123456789012"
    error_message = "module outputs do not resolve"
  }
}
