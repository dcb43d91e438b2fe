"""iam/deployer-policy.json must be valid and cover everything the Terraform manages.

For every resource and data source type used under terraform/, the table below
lists the API calls Terraform makes to create, read and delete it, each with the
ARN it acts on for the default name. The test evaluates the policy's Allow
statements (actions and resources, with the condition keys given here) the way
IAM matches them. A type missing from the table fails the test: add the calls
it needs, and the permissions to the policy.
"""

from __future__ import annotations

import fnmatch
import json
import re
import unittest

from tfplan import REPO_ROOT

POLICY_PATH = REPO_ROOT / "iam" / "deployer-policy.json"
MANAGED_POLICY_LIMIT = 6144  # characters, whitespace excluded

NAME = "simple-time-service"
ACCOUNT = "123456789012"
REGION = "us-east-1"
VPC = "*"  # EC2 networking calls cannot be scoped by name (resource IDs are generated)
LB = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/{NAME}/0123456789abcdef"
TG = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{NAME}-ab12/0123456789abcdef"
LISTENER = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener/app/{NAME}/0123456789abcdef/fedcba9876543210"
LISTENER_RULE = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener-rule/app/{NAME}/0123456789abcdef/fedcba9876543210/0011223344556677"
CLUSTER = f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{NAME}"
SERVICE = f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/{NAME}/{NAME}"
LOG_GROUP = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/ecs/{NAME}"
FLOW_LOG_GROUP = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/vpc/{NAME}/flow-logs"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/{NAME}-execution"
POLICY = f"arn:aws:iam::{ACCOUNT}:policy/{NAME}-deployer-1"
OIDC = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
ALARM = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{NAME}-5xx"
TT_ALARM = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:TargetTracking-service/{NAME}/{NAME}-AlarmHigh-0123"
BUCKET = f"arn:aws:s3:::{NAME}-tfstate-{ACCOUNT}-{REGION}"
TABLE = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{NAME}-tflock"
REPOSITORY = f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/{NAME}"
ZONE = "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"
WEB_ACL = f"arn:aws:wafv2:{REGION}:{ACCOUNT}:regional/webacl/example/00000000-0000-0000-0000-000000000000"

# type -> [(action, resource ARN, condition context)]
CALLS: dict[str, list[tuple[str, str, dict]]] = {
    # Network
    "aws_vpc": [("ec2:CreateVpc", VPC, {}), ("ec2:ModifyVpcAttribute", VPC, {}), ("ec2:DeleteVpc", VPC, {}), ("ec2:DescribeVpcs", "*", {}), ("ec2:DescribeVpcAttribute", VPC, {}), ("ec2:CreateTags", VPC, {})],
    "aws_default_security_group": [("ec2:RevokeSecurityGroupIngress", VPC, {}), ("ec2:RevokeSecurityGroupEgress", VPC, {}), ("ec2:DescribeSecurityGroups", "*", {})],
    "aws_internet_gateway": [("ec2:CreateInternetGateway", VPC, {}), ("ec2:AttachInternetGateway", VPC, {}), ("ec2:DetachInternetGateway", VPC, {}), ("ec2:DeleteInternetGateway", VPC, {})],
    "aws_subnet": [("ec2:CreateSubnet", VPC, {}), ("ec2:ModifySubnetAttribute", VPC, {}), ("ec2:DeleteSubnet", VPC, {})],
    "aws_route_table": [("ec2:CreateRouteTable", VPC, {}), ("ec2:DeleteRouteTable", VPC, {}), ("ec2:DescribeRouteTables", "*", {})],
    "aws_route": [("ec2:CreateRoute", VPC, {}), ("ec2:ReplaceRoute", VPC, {}), ("ec2:DeleteRoute", VPC, {})],
    "aws_route_table_association": [("ec2:AssociateRouteTable", VPC, {}), ("ec2:DisassociateRouteTable", VPC, {})],
    "aws_eip": [("ec2:AllocateAddress", VPC, {}), ("ec2:ReleaseAddress", VPC, {}), ("ec2:DescribeAddresses", "*", {})],
    "aws_nat_gateway": [("ec2:CreateNatGateway", VPC, {}), ("ec2:DeleteNatGateway", VPC, {}), ("ec2:DescribeNatGateways", "*", {})],
    "aws_flow_log": [("ec2:CreateFlowLogs", VPC, {}), ("ec2:DeleteFlowLogs", VPC, {}), ("ec2:DescribeFlowLogs", "*", {}), ("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/{NAME}-flow-logs", {"iam:PassedToService": "vpc-flow-logs.amazonaws.com"})],
    "aws_security_group": [("ec2:CreateSecurityGroup", VPC, {}), ("ec2:RevokeSecurityGroupEgress", VPC, {}), ("ec2:DeleteSecurityGroup", VPC, {})],
    "aws_vpc_security_group_ingress_rule": [("ec2:AuthorizeSecurityGroupIngress", VPC, {}), ("ec2:RevokeSecurityGroupIngress", VPC, {}), ("ec2:DescribeSecurityGroupRules", "*", {})],
    "aws_vpc_security_group_egress_rule": [("ec2:AuthorizeSecurityGroupEgress", VPC, {}), ("ec2:RevokeSecurityGroupEgress", VPC, {}), ("ec2:DescribeSecurityGroupRules", "*", {})],
    # Load balancer
    "aws_lb": [
        ("elasticloadbalancing:CreateLoadBalancer", LB, {}),
        ("elasticloadbalancing:ModifyLoadBalancerAttributes", LB, {}),
        ("elasticloadbalancing:SetSecurityGroups", LB, {}),
        ("elasticloadbalancing:AddTags", LB, {}),
        ("elasticloadbalancing:DeleteLoadBalancer", LB, {}),
        ("elasticloadbalancing:DescribeLoadBalancers", "*", {}),
        ("iam:CreateServiceLinkedRole", "*", {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}),
    ],
    "aws_lb_target_group": [
        ("elasticloadbalancing:CreateTargetGroup", TG, {}),
        ("elasticloadbalancing:ModifyTargetGroup", TG, {}),
        ("elasticloadbalancing:ModifyTargetGroupAttributes", TG, {}),
        ("elasticloadbalancing:DeleteTargetGroup", TG, {}),
        ("elasticloadbalancing:DescribeTargetGroups", "*", {}),
    ],
    "aws_lb_listener": [
        ("elasticloadbalancing:CreateListener", LB, {}),
        ("elasticloadbalancing:ModifyListener", LISTENER, {}),
        ("elasticloadbalancing:DeleteListener", LISTENER, {}),
        ("elasticloadbalancing:DescribeListeners", "*", {}),
    ],
    "aws_lb_listener_rule": [
        # CreateRule is authorized on the listener and on the new rule; its tags
        # (default_tags) need AddTags on the rule.
        ("elasticloadbalancing:CreateRule", LISTENER, {}),
        ("elasticloadbalancing:CreateRule", LISTENER_RULE, {}),
        ("elasticloadbalancing:AddTags", LISTENER_RULE, {}),
        ("elasticloadbalancing:RemoveTags", LISTENER_RULE, {}),
        ("elasticloadbalancing:DescribeRules", "*", {}),
        ("elasticloadbalancing:DescribeTags", "*", {}),
        ("elasticloadbalancing:ModifyRule", LISTENER_RULE, {}),
        ("elasticloadbalancing:SetRulePriorities", LISTENER_RULE, {}),
        ("elasticloadbalancing:DeleteRule", LISTENER_RULE, {}),
    ],
    "aws_wafv2_web_acl_association": [("wafv2:AssociateWebACL", WEB_ACL, {}), ("wafv2:AssociateWebACL", LB, {}), ("elasticloadbalancing:SetWebAcl", LB, {}), ("wafv2:GetWebACLForResource", "*", {}), ("wafv2:DisassociateWebACL", LB, {})],
    "aws_route53_record": [("route53:ChangeResourceRecordSets", ZONE, {}), ("route53:ListResourceRecordSets", ZONE, {}), ("route53:GetChange", "*", {})],
    # ECS
    "aws_ecs_cluster": [("ecs:CreateCluster", CLUSTER, {}), ("ecs:DescribeClusters", CLUSTER, {}), ("ecs:DeleteCluster", CLUSTER, {}), ("iam:CreateServiceLinkedRole", "*", {"iam:AWSServiceName": "ecs.amazonaws.com"})],
    "aws_ecs_cluster_capacity_providers": [("ecs:PutClusterCapacityProviders", CLUSTER, {})],
    "aws_ecs_task_definition": [
        ("ecs:RegisterTaskDefinition", "*", {}),
        ("ecs:DescribeTaskDefinition", "*", {}),
        ("ecs:DeregisterTaskDefinition", "*", {}),
        ("iam:PassRole", ROLE, {"iam:PassedToService": "ecs-tasks.amazonaws.com"}),
        ("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/{NAME}-task", {"iam:PassedToService": "ecs-tasks.amazonaws.com"}),
    ],
    "aws_ecs_service": [("ecs:CreateService", SERVICE, {}), ("ecs:UpdateService", SERVICE, {}), ("ecs:DescribeServices", SERVICE, {}), ("ecs:DeleteService", SERVICE, {}), ("ecs:TagResource", SERVICE, {})],
    "aws_appautoscaling_target": [
        ("application-autoscaling:RegisterScalableTarget", "*", {"application-autoscaling:service-namespace": "ecs"}),
        ("application-autoscaling:DescribeScalableTargets", "*", {}),
        ("application-autoscaling:DeregisterScalableTarget", "*", {"application-autoscaling:service-namespace": "ecs"}),
        ("iam:CreateServiceLinkedRole", "*", {"iam:AWSServiceName": "ecs.application-autoscaling.amazonaws.com"}),
        ("application-autoscaling:TagResource", f"arn:aws:application-autoscaling:{REGION}:{ACCOUNT}:scalable-target/0123456789abcdef", {}),
        ("application-autoscaling:ListTagsForResource", f"arn:aws:application-autoscaling:{REGION}:{ACCOUNT}:scalable-target/0123456789abcdef", {}),
    ],
    "aws_appautoscaling_policy": [
        ("application-autoscaling:PutScalingPolicy", "*", {"application-autoscaling:service-namespace": "ecs"}),
        ("application-autoscaling:DescribeScalingPolicies", "*", {}),
        ("application-autoscaling:DeleteScalingPolicy", "*", {"application-autoscaling:service-namespace": "ecs"}),
        # Target tracking creates and deletes its own alarms with the caller's rights.
        ("cloudwatch:PutMetricAlarm", TT_ALARM, {}),
        ("cloudwatch:DeleteAlarms", TT_ALARM, {}),
        ("cloudwatch:DescribeAlarms", TT_ALARM, {}),
    ],
    "aws_cloudwatch_metric_alarm": [("cloudwatch:PutMetricAlarm", ALARM, {}), ("cloudwatch:DescribeAlarms", ALARM, {}), ("cloudwatch:DeleteAlarms", ALARM, {}), ("cloudwatch:TagResource", ALARM, {})],
    "aws_cloudwatch_log_group": [
        ("logs:CreateLogGroup", LOG_GROUP, {}),
        ("logs:PutRetentionPolicy", LOG_GROUP, {}),
        ("logs:DeleteLogGroup", LOG_GROUP, {}),
        ("logs:CreateLogGroup", FLOW_LOG_GROUP, {}),
        ("logs:DeleteLogGroup", FLOW_LOG_GROUP, {}),
        ("logs:DescribeLogGroups", "*", {}),
        ("logs:ListTagsForResource", LOG_GROUP, {}),
    ],
    # IAM
    "aws_iam_role": [("iam:CreateRole", ROLE, {}), ("iam:GetRole", ROLE, {}), ("iam:UpdateAssumeRolePolicy", ROLE, {}), ("iam:ListInstanceProfilesForRole", ROLE, {}), ("iam:DeleteRole", ROLE, {}), ("iam:TagRole", ROLE, {}), ("iam:ListRoleTags", ROLE, {})],
    "aws_iam_role_policy": [("iam:PutRolePolicy", ROLE, {}), ("iam:GetRolePolicy", ROLE, {}), ("iam:DeleteRolePolicy", ROLE, {}), ("iam:ListRolePolicies", ROLE, {})],
    "aws_iam_policy": [("iam:CreatePolicy", POLICY, {}), ("iam:GetPolicy", POLICY, {}), ("iam:GetPolicyVersion", POLICY, {}), ("iam:CreatePolicyVersion", POLICY, {}), ("iam:DeletePolicyVersion", POLICY, {}), ("iam:ListPolicyVersions", POLICY, {}), ("iam:DeletePolicy", POLICY, {})],
    "aws_iam_role_policy_attachment": [("iam:AttachRolePolicy", ROLE, {}), ("iam:ListAttachedRolePolicies", ROLE, {}), ("iam:DetachRolePolicy", ROLE, {})],
    "aws_iam_openid_connect_provider": [("iam:CreateOpenIDConnectProvider", OIDC, {}), ("iam:GetOpenIDConnectProvider", OIDC, {}), ("iam:TagOpenIDConnectProvider", OIDC, {}), ("iam:DeleteOpenIDConnectProvider", OIDC, {})],
    # State backend and image repository
    "aws_s3_bucket": [("s3:CreateBucket", BUCKET, {}), ("s3:GetBucketPolicy", BUCKET, {}), ("s3:GetBucketVersioning", BUCKET, {}), ("s3:GetBucketTagging", BUCKET, {}), ("s3:PutBucketTagging", BUCKET, {}), ("s3:DeleteBucket", BUCKET, {})],
    "aws_s3_bucket_ownership_controls": [("s3:PutBucketOwnershipControls", BUCKET, {}), ("s3:GetBucketOwnershipControls", BUCKET, {})],
    "aws_s3_bucket_public_access_block": [("s3:PutBucketPublicAccessBlock", BUCKET, {}), ("s3:GetBucketPublicAccessBlock", BUCKET, {})],
    "aws_s3_bucket_versioning": [("s3:PutBucketVersioning", BUCKET, {}), ("s3:GetBucketVersioning", BUCKET, {})],
    "aws_s3_bucket_server_side_encryption_configuration": [("s3:PutEncryptionConfiguration", BUCKET, {}), ("s3:GetEncryptionConfiguration", BUCKET, {})],
    "aws_s3_bucket_lifecycle_configuration": [("s3:PutLifecycleConfiguration", BUCKET, {}), ("s3:GetLifecycleConfiguration", BUCKET, {})],
    "aws_s3_bucket_policy": [("s3:PutBucketPolicy", BUCKET, {}), ("s3:GetBucketPolicy", BUCKET, {}), ("s3:DeleteBucketPolicy", BUCKET, {})],
    "aws_dynamodb_table": [("dynamodb:CreateTable", TABLE, {}), ("dynamodb:DescribeTable", TABLE, {}), ("dynamodb:UpdateContinuousBackups", TABLE, {}), ("dynamodb:DescribeContinuousBackups", TABLE, {}), ("dynamodb:DescribeTimeToLive", TABLE, {}), ("dynamodb:ListTagsOfResource", TABLE, {}), ("dynamodb:DeleteTable", TABLE, {})],
    "aws_ecr_repository": [("ecr:CreateRepository", REPOSITORY, {}), ("ecr:DescribeRepositories", REPOSITORY, {}), ("ecr:ListTagsForResource", REPOSITORY, {}), ("ecr:DeleteRepository", REPOSITORY, {})],
    "aws_ecr_lifecycle_policy": [("ecr:PutLifecyclePolicy", REPOSITORY, {}), ("ecr:GetLifecyclePolicy", REPOSITORY, {}), ("ecr:DeleteLifecyclePolicy", REPOSITORY, {})],
    # Data sources
    "data.aws_availability_zones": [("ec2:DescribeAvailabilityZones", "*", {})],
    "data.aws_caller_identity": [("sts:GetCallerIdentity", "*", {})],
    "data.aws_partition": [],
    "data.aws_region": [],
    "data.aws_iam_openid_connect_provider": [("iam:GetOpenIDConnectProvider", OIDC, {}), ("iam:ListOpenIDConnectProviders", "*", {})],
}

# Terraform's own use of the backend: state object and lock file.
STATE_CALLS = [
    ("s3:ListBucket", BUCKET, {}),
    ("s3:GetObject", f"{BUCKET}/{NAME}/app.tfstate", {}),
    ("s3:PutObject", f"{BUCKET}/{NAME}/app.tfstate", {}),
    ("s3:GetObject", f"{BUCKET}/{NAME}/app.tfstate.tflock", {}),
    ("s3:PutObject", f"{BUCKET}/{NAME}/app.tfstate.tflock", {}),
    ("s3:DeleteObject", f"{BUCKET}/{NAME}/app.tfstate.tflock", {}),
    ("dynamodb:GetItem", TABLE, {}),
    ("dynamodb:PutItem", TABLE, {}),
    ("dynamodb:DeleteItem", TABLE, {}),
]


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def matches(pattern: str, value: str, case_sensitive: bool) -> bool:
    if not case_sensitive:
        pattern, value = pattern.lower(), value.lower()
    return fnmatch.fnmatchcase(value, pattern)


def conditions_hold(condition: dict, context: dict) -> bool:
    """StringEquals/StringLike as IAM evaluates them: a key missing from the request fails."""
    for operator, pairs in condition.items():
        if operator not in ("StringEquals", "StringLike"):
            raise AssertionError(f"condition operator {operator} is not modelled by this test")
        for key, wanted in pairs.items():
            if key not in context:
                return False
            wanted = as_list(wanted)
            if operator == "StringEquals" and context[key] not in wanted:
                return False
            if operator == "StringLike" and not any(matches(w, context[key], True) for w in wanted):
                return False
    return True


def allowed(policy: dict, action: str, resource: str, context: dict) -> bool:
    for statement in policy["Statement"]:
        if statement["Effect"] != "Allow":
            continue
        if not any(matches(p, action, False) for p in as_list(statement["Action"])):
            continue
        # A call on "*" (an unscopable action) needs Resource "*".
        resources = as_list(statement["Resource"])
        if resource == "*" and "*" not in resources:
            continue
        if not any(matches(p, resource, True) for p in resources):
            continue
        if conditions_hold(statement.get("Condition", {}), context):
            return True
    return False


def terraform_types() -> set[str]:
    found = set()
    for path in (REPO_ROOT / "terraform").rglob("*.tf"):
        if ".terraform" in path.parts:
            continue
        for kind, type_ in re.findall(r'^\s*(resource|data)\s+"([a-z0-9_]+)"', path.read_text(), re.M):
            found.add(type_ if kind == "resource" else f"data.{type_}")
    return found


class DeployerPolicy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.text = POLICY_PATH.read_text()
        cls.policy = json.loads(cls.text)

    def test_is_a_valid_policy_document(self):
        self.assertEqual(self.policy["Version"], "2012-10-17")
        sids = [s.get("Sid") for s in self.policy["Statement"]]
        self.assertEqual(len(sids), len(set(sids)), "statement ids must be unique")
        for statement in self.policy["Statement"]:
            with self.subTest(sid=statement.get("Sid")):
                self.assertRegex(statement.get("Sid", ""), r"^[A-Za-z0-9]+$")
                self.assertEqual(statement["Effect"], "Allow")
                self.assertTrue(set(statement) <= {"Sid", "Effect", "Action", "Resource", "Condition"})
                for action in as_list(statement["Action"]):
                    self.assertRegex(action, r"^[a-z0-9-]+:[A-Za-z0-9*]+$")
                    self.assertNotRegex(action, r":\*$", "no whole-service wildcards")
                for resource in as_list(statement["Resource"]):
                    self.assertTrue(resource == "*" or resource.startswith("arn:aws:"), resource)

    def test_no_write_access_to_every_resource_of_iam(self):
        for statement in self.policy["Statement"]:
            if "*" in as_list(statement["Resource"]):
                for action in as_list(statement["Action"]):
                    if action.startswith("iam:") and not action.startswith(("iam:Get", "iam:List")):
                        self.assertIn("Condition", statement, f"{action} on every resource needs a condition")

    def test_fits_two_managed_policies(self):
        # terraform/bootstrap splits the statements into two managed policies of about equal size.
        compact = lambda value: len(json.dumps(value, separators=(",", ":")))  # noqa: E731
        sizes = [compact(s) for s in self.policy["Statement"]]
        half, running, parts = -(-sum(sizes) // 2), 0, [[], []]
        for statement, size in zip(self.policy["Statement"], sizes):
            running += size
            parts[0 if running <= half else 1].append(statement)
        for part in parts:
            # Longer project names make the policy longer: leave room for them.
            self.assertLess(compact({"Version": "2012-10-17", "Statement": part}), MANAGED_POLICY_LIMIT - 500)

    def test_covers_every_type_terraform_manages(self):
        types = terraform_types()
        self.assertGreater(len(types), 20, "found too few Terraform types: is terraform/ there?")
        unknown = sorted(types - CALLS.keys())
        self.assertEqual(unknown, [], "types without a list of API calls in test_deployer_policy.py")
        for type_ in sorted(types):
            for action, resource, context in CALLS[type_]:
                with self.subTest(type=type_, action=action, resource=resource):
                    self.assertTrue(allowed(self.policy, action, resource, context), f"{action} on {resource} is not allowed")

    def test_covers_the_state_backend(self):
        for action, resource, context in STATE_CALLS:
            with self.subTest(action=action, resource=resource):
                self.assertTrue(allowed(self.policy, action, resource, context), f"{action} on {resource} is not allowed")

    def test_denies_what_it_should_not_reach(self):
        # The name scoping is real: other projects' resources are out of reach.
        for action, resource, context in [
            ("ecs:DeleteCluster", f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/payments", {}),
            ("elasticloadbalancing:DeleteRule", f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener-rule/app/payments/0123456789abcdef/fedcba9876543210/0011223344556677", {}),
            ("elasticloadbalancing:CreateRule", f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener/app/payments/0123456789abcdef/fedcba9876543210", {}),
            ("iam:PutRolePolicy", f"arn:aws:iam::{ACCOUNT}:role/Admin", {}),
            ("iam:PassRole", ROLE, {"iam:PassedToService": "ec2.amazonaws.com"}),
            ("iam:CreateServiceLinkedRole", "*", {"iam:AWSServiceName": "rds.amazonaws.com"}),
            ("s3:GetObject", "arn:aws:s3:::company-secrets/key", {}),
            ("dynamodb:DeleteTable", f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders", {}),
            ("ecr:DeleteRepository", f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/other", {}),
            ("logs:DeleteLogGroup", f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/other", {}),
            ("ec2:RunInstances", "*", {}),
            ("iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/{NAME}-x", {}),
        ]:
            with self.subTest(action=action, resource=resource):
                self.assertFalse(allowed(self.policy, action, resource, context), f"{action} on {resource} must not be allowed")


if __name__ == "__main__":
    unittest.main()
