from typing import Any

import pytest

from tfoffline.cty import UNKNOWN, is_unknown
from tfoffline.planning import Planner
from tfoffline.schema import ProviderSchema

SCHEMA: dict[str, Any] = {
    "format_version": "1.0",
    "provider_schemas": {
        "registry.terraform.io/hashicorp/aws": {
            "provider": {"version": 0, "block": {"attributes": {"region": {"type": "string", "optional": True}}}},
            "resource_schemas": {
                "aws_thing": {
                    "version": 0,
                    "block": {
                        "attributes": {
                            "id": {"type": "string", "optional": True, "computed": True},
                            "arn": {"type": "string", "computed": True},
                            "name": {"type": "string", "required": True},
                            "mode": {"type": "string", "optional": True, "computed": True},
                            "size": {"type": "number", "optional": True},
                            "region": {"type": "string", "optional": True, "computed": True},
                            "tags": {"type": ["map", "string"], "optional": True},
                            "tags_all": {"type": ["map", "string"], "optional": True, "computed": True},
                        },
                        "block_types": {
                            "rule": {
                                "nesting_mode": "list",
                                "block": {
                                    "attributes": {
                                        "id": {"type": "string", "optional": True, "computed": True},
                                        "days": {"type": "number", "required": True},
                                    }
                                },
                            },
                            "grant": {
                                "nesting_mode": "set",
                                "block": {
                                    "attributes": {
                                        "who": {"type": "string", "required": True},
                                        "token": {"type": "string", "computed": True},
                                    }
                                },
                            },
                            "settings": {
                                "nesting_mode": "single",
                                "block": {
                                    "attributes": {"level": {"type": "number", "optional": True, "computed": True}}
                                },
                            },
                        },
                    },
                }
            },
            "data_source_schemas": {},
        }
    },
}


@pytest.fixture
def planner() -> Planner:
    p = Planner(ProviderSchema(SCHEMA), {"aws_thing": frozenset({"name"})})
    p.ctx.region = "eu-west-1"
    p.ctx.default_tags = {"Project": "p", "Owner": "o"}
    return p


def config(**overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "id": None,
        "arn": None,
        "name": "a",
        "mode": None,
        "size": 3,
        "region": None,
        "tags": {"Owner": "me"},
        "tags_all": None,
        "rule": [],
        "grant": [],
        "settings": None,
    }
    value.update(overrides)
    return value


def test_create_makes_computed_attributes_unknown(planner: Planner) -> None:
    cfg = config(mode="fast")
    planned = planner.plan("aws_thing", None, dict(cfg), cfg).planned
    assert is_unknown(planned["id"]) and is_unknown(planned["arn"])
    assert planned["mode"] == "fast"  # optional+computed, set in configuration
    assert planned["size"] == 3 and planned["name"] == "a"


def test_create_plans_region_and_tags_all_like_the_provider(planner: Planner) -> None:
    cfg = config()
    planned = planner.plan("aws_thing", None, dict(cfg), cfg).planned
    assert planned["region"] == "eu-west-1"
    assert planned["tags_all"] == {"Project": "p", "Owner": "me"}


def test_unknown_tags_make_tags_all_unknown(planner: Planner) -> None:
    cfg = config(tags=UNKNOWN)
    assert is_unknown(planner.plan("aws_thing", None, dict(cfg), cfg).planned["tags_all"])


def test_nested_blocks_get_unknown_computed_attributes(planner: Planner) -> None:
    cfg = config(
        rule=[{"id": None, "days": 7}, {"id": "keep", "days": 30}],
        grant=[{"who": "x", "token": None}],
        settings={"level": None},
    )
    planned = planner.plan("aws_thing", None, dict(cfg), cfg).planned
    assert is_unknown(planned["rule"][0]["id"]) and planned["rule"][0]["days"] == 7
    assert planned["rule"][1]["id"] == "keep"
    assert is_unknown(planned["grant"][0]["token"])
    assert is_unknown(planned["settings"]["level"])


def prior_state() -> dict[str, Any]:
    return config(
        id="t-1",
        arn="arn:aws:thing:eu-west-1:123456789012:thing/a",
        mode="slow",
        region="eu-west-1",
        tags_all={"Project": "p", "Owner": "me"},
        rule=[{"id": "r1", "days": 7}],
        grant=[{"who": "x", "token": "tok"}],
    )


def test_update_keeps_computed_values_and_applies_arguments(planner: Planner) -> None:
    prior = prior_state()
    cfg = config(size=5, rule=[{"id": None, "days": 7}, {"id": None, "days": 9}], grant=[{"who": "x", "token": None}])
    # What Terraform proposes: configuration, with prior values where it leaves computed attributes null.
    proposed = dict(
        cfg,
        id="t-1",
        arn=prior["arn"],
        mode="slow",
        region="eu-west-1",
        tags_all=prior["tags_all"],
        rule=[{"id": "r1", "days": 7}, {"id": None, "days": 9}],
        grant=prior["grant"],
    )
    result = planner.plan("aws_thing", prior, proposed, cfg)
    planned = result.planned
    assert planned["size"] == 5
    assert planned["id"] == "t-1" and planned["arn"] == prior["arn"] and planned["mode"] == "slow"
    assert planned["rule"][0]["id"] == "r1"
    assert is_unknown(planned["rule"][1]["id"])  # a new block element
    assert planned["grant"] == prior["grant"]  # an unchanged set element
    assert result.requires_replace == []


def test_changing_a_force_new_argument_requires_replacement(planner: Planner) -> None:
    prior = prior_state()
    cfg = config(name="b")
    proposed = dict(prior, name="b")
    assert planner.plan("aws_thing", prior, proposed, cfg).requires_replace == [["name"]]


def test_destroy_plans_null(planner: Planner) -> None:
    assert planner.plan("aws_thing", prior_state(), None, None).planned is None


def test_unknown_resource_type_is_an_error(planner: Planner) -> None:
    with pytest.raises(KeyError):
        planner.plan("aws_nothing", None, {}, {})
