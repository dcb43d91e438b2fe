"""The tfplugin6 service, called directly (no gRPC transport)."""

import json
from pathlib import Path

import pytest
from tf.gen import tfplugin_pb2 as pb

from tfoffline import cty, server
from tfoffline.schema import SCHEMA_FILE, load


@pytest.fixture(scope="module")
def service() -> server.ProviderService:
    schema = load()
    return server.ProviderService(schema, lambda: server.cached_schema_response(schema, SCHEMA_FILE, None))


def dv(value: object) -> pb.DynamicValue:
    return pb.DynamicValue(msgpack=cty.encode(value))


def test_schema_message_matches_the_file(service: server.ProviderService) -> None:
    resp = service.GetProviderSchema(pb.GetProviderSchema.Request(), None)
    assert len(resp.resource_schemas) == 1581 and len(resp.data_source_schemas) == 630
    assert resp.server_capabilities.plan_destroy
    vpc = {a.name: a for a in resp.resource_schemas["aws_vpc"].block.attributes}
    assert json.loads(vpc["cidr_block"].type) == "string" and vpc["cidr_block"].optional and vpc["cidr_block"].computed
    blocks = {b.type_name: b for b in resp.resource_schemas["aws_lb_listener"].block.block_types}
    assert blocks["default_action"].nesting == pb.Schema.NestedBlock.LIST and blocks["default_action"].min_items == 1


def test_cached_schema_message_is_reused(tmp_path: Path) -> None:
    schema = load()
    first = server.cached_schema_response(schema, SCHEMA_FILE, tmp_path)
    assert list(tmp_path.glob("schema-*.pb"))
    assert server.cached_schema_response(schema, SCHEMA_FILE, tmp_path) == first


def test_plan_create_over_the_wire(service: server.ProviderService) -> None:
    provider_config = dv({"region": "eu-central-1", "default_tags": []})
    service.ConfigureProvider(pb.ConfigureProvider.Request(config=provider_config), None)
    ts = load().resource("aws_cloudwatch_log_group")
    assert ts is not None
    config = {name: None for name in ts.block.attributes}
    config.update({"name": "/ecs/app", "retention_in_days": 30})
    config.update({name: None for name in ts.block.block_types})
    resp = service.PlanResourceChange(
        pb.PlanResourceChange.Request(
            type_name="aws_cloudwatch_log_group", prior_state=dv(None), proposed_new_state=dv(config), config=dv(config)
        ),
        None,
    )
    assert not resp.diagnostics
    planned = cty.decode(resp.planned_state.msgpack)
    assert planned["name"] == "/ecs/app" and planned["retention_in_days"] == 30
    assert cty.is_unknown(planned["arn"]) and planned["region"] == "eu-central-1"


def test_apply_and_import_are_refused(service: server.ProviderService) -> None:
    resp = service.ApplyResourceChange(pb.ApplyResourceChange.Request(type_name="aws_vpc"), None)
    assert resp.diagnostics[0].severity == pb.Diagnostic.ERROR
    assert "cannot change infrastructure" in resp.diagnostics[0].summary
    resp = service.ImportResourceState(pb.ImportResourceState.Request(type_name="aws_vpc", id="vpc-1"), None)
    assert resp.diagnostics[0].severity == pb.Diagnostic.ERROR


def test_state_from_json_is_upgraded_to_the_schema(service: server.ProviderService) -> None:
    raw = json.dumps({"id": "vpc-1", "cidr_block": "10.0.0.0/16", "no_such_attribute": 1}).encode()
    resp = service.UpgradeResourceState(
        pb.UpgradeResourceState.Request(type_name="aws_vpc", raw_state=pb.RawState(json=raw)), None
    )
    state = cty.decode(resp.upgraded_state.msgpack)
    assert state["id"] == "vpc-1" and state["arn"] is None and "no_such_attribute" not in state


def test_internal_errors_become_diagnostics(service: server.ProviderService) -> None:
    bad = pb.DynamicValue(msgpack=b"\xc1")  # a byte msgpack never uses
    resp = service.ReadDataSource(pb.ReadDataSource.Request(type_name="aws_region", config=bad), None)
    assert resp.diagnostics and "Internal error" in resp.diagnostics[0].summary


def test_deprecated_arguments_warn(service: server.ProviderService) -> None:
    resp = service.ValidateResourceConfig(
        pb.ValidateResourceConfig.Request(type_name="aws_s3_bucket", config=dv({"bucket": "b", "acl": "private"})), None
    )
    assert [d.summary for d in resp.diagnostics] == ["Argument is deprecated"]
    assert resp.diagnostics[0].severity == pb.Diagnostic.WARNING
    assert resp.diagnostics[0].attribute.steps[0].attribute_name == "acl"
    resp = service.ValidateResourceConfig(
        pb.ValidateResourceConfig.Request(type_name="aws_s3_bucket", config=dv({"bucket": "b"})), None
    )
    assert not resp.diagnostics
