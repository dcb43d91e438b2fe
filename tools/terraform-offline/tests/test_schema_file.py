"""Facts about hashicorp/aws 6.25.0 that the committed schema must keep."""

from typing import Any

import pytest

from tfoffline.schema import ProviderSchema, load


@pytest.fixture(scope="module")
def schema() -> ProviderSchema:
    return load()


def attr(schema: ProviderSchema, type_name: str, *path: str, data: bool = False) -> Any:
    ts = schema.data_source(type_name) if data else schema.resource(type_name)
    assert ts is not None, type_name
    block = ts.block
    for name in path[:-1]:
        block = block.block_types[name].block
    return block.attributes[path[-1]]


def nested(schema: ProviderSchema, type_name: str, *path: str) -> Any:
    ts = schema.resource(type_name)
    assert ts is not None
    block = ts.block
    nb = None
    for name in path:
        nb = block.block_types[name]
        block = nb.block
    return nb


def test_counts(schema: ProviderSchema) -> None:
    assert len(schema.resource_names) == 1581
    assert len(schema.data_source_names) == 630


def test_optional_computed_is_recovered(schema: ProviderSchema) -> None:
    a = attr(schema, "aws_s3_bucket", "bucket")
    assert (a.optional, a.computed, a.required) == (True, True, False)
    a = attr(schema, "aws_vpc", "cidr_block")
    assert (a.optional, a.computed) == (True, True)
    a = attr(schema, "aws_vpc", "arn")
    assert (a.optional, a.computed) == (False, True)
    assert attr(schema, "aws_subnet", "vpc_id").required


def test_sets_and_lists_are_told_apart(schema: ProviderSchema) -> None:
    assert attr(schema, "aws_lb", "subnets").type == ["set", "string"]
    assert attr(schema, "aws_ecs_task_definition", "requires_compatibilities").type == ["set", "string"]
    assert nested(schema, "aws_ecs_service", "load_balancer").nesting == "set"
    assert nested(schema, "aws_ecs_service", "ordered_placement_strategy").nesting == "list"
    assert attr(schema, "aws_vpc_endpoint", "dns_entry").type[0] == "list"


def test_single_item_blocks_and_required_blocks(schema: ProviderSchema) -> None:
    nb = nested(schema, "aws_ecs_service", "network_configuration")
    assert (nb.nesting, nb.max_items) == ("list", 1)
    assert nested(schema, "aws_lb_listener", "default_action").min_items == 1
    assert nested(schema, "aws_s3_bucket_versioning", "versioning_configuration").max_items == 1
    assert nested(schema, "aws_subnet", "timeouts").nesting == "single"


def test_attributes_as_blocks_are_object_attributes(schema: ProviderSchema) -> None:
    for type_name, name in (
        ("aws_security_group", "ingress"),
        ("aws_route_table", "route"),
        ("aws_default_security_group", "egress"),
    ):
        a = attr(schema, type_name, name)
        assert a.type[0] == "set" and a.type[1][0] == "object", (type_name, name)
        assert (a.optional, a.computed) == (True, True)


def test_provider_configuration(schema: ProviderSchema) -> None:
    block = schema.provider.block
    assert "alias" not in block.attributes
    assert block.attributes["region"].optional
    assert block.block_types["default_tags"].max_items == 1
    assert block.block_types["ignore_tags"].max_items == 1
