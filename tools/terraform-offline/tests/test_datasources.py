import ipaddress
import json
import re

from tfoffline import datasources
from tfoffline.planning import ProviderContext
from tfoffline.schema import block_from_json, load

CTX = ProviderContext(region="eu-west-1")


def statement(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "sid": None,
        "effect": None,
        "actions": None,
        "not_actions": None,
        "resources": None,
        "not_resources": None,
        "principals": [],
        "not_principals": [],
        "condition": [],
    }
    base.update(fields)
    return base


def test_policy_document_renders_like_the_provider() -> None:
    out = datasources.policy_document(
        {
            "statement": [
                statement(
                    sid="S1",
                    actions=["s3:GetObject", "s3:PutObject"],
                    resources=["arn:aws:s3:::b/&{aws:username}/*"],
                    principals=[{"type": "AWS", "identifiers": ["arn:aws:iam::123456789012:root"]}],
                    condition=[{"test": "Bool", "variable": "aws:SecureTransport", "values": ["true"]}],
                ),
                statement(effect="Deny", actions=["s3:*"], principals=[{"type": "*", "identifiers": ["*"]}]),
            ]
        },
        CTX,
    )
    doc = json.loads(out["json"])
    assert doc["Version"] == "2012-10-17"
    first, second = doc["Statement"]
    assert list(first) == ["Sid", "Effect", "Action", "Resource", "Principal", "Condition"]
    assert first["Effect"] == "Allow"
    assert first["Action"] == ["s3:PutObject", "s3:GetObject"]
    assert first["Resource"] == "arn:aws:s3:::b/${aws:username}/*"
    assert first["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    assert first["Condition"] == {"Bool": {"aws:SecureTransport": "true"}}
    assert second == {"Effect": "Deny", "Action": "s3:*", "Principal": "*"}
    assert json.loads(out["minified_json"]) == doc
    assert "\n" not in out["minified_json"] and out["json"].startswith('{\n  "Version"')
    assert out["id"].isdigit()


def test_policy_document_merges_sources_and_overrides_by_sid() -> None:
    source = json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "a:1"}]})
    override = json.dumps({"Statement": [{"Sid": "B", "Effect": "Deny", "Action": "b:9"}]})
    out = datasources.policy_document(
        {
            "source_policy_documents": [source],
            "override_policy_documents": [override],
            "statement": [statement(sid="B", actions=["b:1"]), statement(actions=["c:1"])],
        },
        CTX,
    )
    statements = json.loads(out["json"])["Statement"]
    assert [s.get("Sid") for s in statements] == ["A", "B", None]
    assert statements[1] == {"Sid": "B", "Effect": "Deny", "Action": "b:9"}


def test_availability_zones_follow_the_region_and_exclusions() -> None:
    out = datasources.availability_zones({"exclude_names": ["eu-west-1b"]}, CTX)
    assert out["names"] == ["eu-west-1a", "eu-west-1c"]
    assert out["zone_ids"] == ["euw1-az1", "euw1-az3"]


def test_partition_and_region_of_other_partitions() -> None:
    china = ProviderContext(region="cn-north-1")
    assert datasources.partition({}, china)["dns_suffix"] == "amazonaws.com.cn"
    assert datasources.region({"region": "us-west-2"}, CTX)["endpoint"] == "ec2.us-west-2.amazonaws.com"


def test_placeholders_look_like_aws_values() -> None:
    values = datasources.Placeholders("aws_vpc", CTX)
    ipaddress.ip_network(values.string("cidr_block"))
    ipaddress.ip_network(values.string("ipv6_cidr_block"))
    assert re.fullmatch(r"arn:aws:ec2:eu-west-1:\d{12}:vpc/offline", values.string("arn"))
    assert values.string("owner_id") == "123456789012"
    assert values.string("id").startswith("vpc-")
    assert values.string("main_route_table_id").startswith("rtb-")
    ids = values.value("subnet_ids", ["set", "string"])
    assert len(set(ids)) == 3 and all(i.startswith("subnet-") for i in ids)
    json.loads(values.string("policy"))


def test_read_fills_computed_attributes_and_keeps_configuration() -> None:
    schema = load()
    ts = schema.data_source("aws_vpc")
    assert ts is not None
    config = {name: None for name in ts.block.attributes}
    config.update({"id": "vpc-0123", "filter": [{"name": "tag:Name", "values": ["main"]}]})
    config.update({k: [] for k, nb in ts.block.block_types.items() if nb.nesting in ("list", "set") and k != "filter"})
    state = datasources.read("aws_vpc", ts.block, config, CTX)
    assert state["id"] == "vpc-0123"
    assert state["filter"] == [{"name": "tag:Name", "values": ["main"]}]
    ipaddress.ip_network(state["cidr_block"])
    assert isinstance(state["cidr_block_associations"], list) and state["cidr_block_associations"]


def test_special_data_sources_override_placeholders() -> None:
    block = block_from_json(
        {
            "attributes": {
                "id": {"type": "string", "computed": True},
                "account_id": {"type": "string", "computed": True},
                "arn": {"type": "string", "computed": True},
                "user_id": {"type": "string", "computed": True},
            }
        }
    )
    state = datasources.read("aws_caller_identity", block, {}, CTX)
    assert state == {
        "id": "123456789012",
        "account_id": "123456789012",
        "arn": "arn:aws:iam::123456789012:user/terraform-offline",
        "user_id": "AIDAOFFLINEPLACEHOLDER",
    }
