"""Planning resource changes from the schema alone.

The rules follow what the real provider does where the schema is enough to
know it:

* create: every computed attribute left null by the configuration becomes
  unknown ("known after apply"), in nested blocks too; ``region`` takes the
  provider's region and ``tags_all`` the merge of the provider's default_tags
  and the resource's tags, as the real provider plans them;
* update: arguments take their configured values, computed attributes keep
  their prior values; attributes listed in schema/force-new.toml that change
  are reported as requiring replacement;
* destroy: the planned state is null.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cty import UNKNOWN, is_unknown, is_wholly_known
from .schema import TOOL_DIR, Attribute, Block, NestedBlock, ProviderSchema

FORCE_NEW_FILE = TOOL_DIR / "schema" / "force-new.toml"

Path_ = list[str]


def load_force_new(path: Path = FORCE_NEW_FILE) -> dict[str, frozenset[str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {k: frozenset(v) for k, v in data.get("resource", {}).items()}


@dataclass
class ProviderContext:
    """What the provider configuration tells the planner."""

    region: str = "us-east-1"
    default_tags: dict[str, Any] = field(default_factory=dict)


@dataclass
class PlanResult:
    planned: Any
    requires_replace: list[Path_] = field(default_factory=list)


def _plan_attribute(attr: Attribute, proposed: Any, config: Any, new: bool) -> Any:
    if attr.computed and config is None:
        # Arguments the configuration leaves out: the provider decides. On
        # create that is only known after apply; on update the prior value
        # (which Terraform put into the proposed state) stays.
        if new and proposed is None:
            return UNKNOWN
        return proposed
    if attr.nested is not None and proposed is not None and not is_unknown(proposed):
        nested_block = Block(attributes=attr.nested.attributes)
        nb = NestedBlock(attr.name, attr.nested.nesting, nested_block)
        return _plan_nested(nb, None, proposed, config, new)
    return proposed


def plan_block(block: Block, prior: Any, proposed: Any, config: Any, new: bool) -> Any:
    """Planned value of one object of the given block type."""
    if proposed is None or is_unknown(proposed):
        return proposed
    config = config if isinstance(config, dict) else {}
    prior = prior if isinstance(prior, dict) else None
    out = dict(proposed)
    for name, attr in block.attributes.items():
        out[name] = _plan_attribute(attr, proposed.get(name), config.get(name), new)
    for name, nb in block.block_types.items():
        out[name] = _plan_nested(nb, prior.get(name) if prior else None, proposed.get(name), config.get(name), new)
    return out


def _plan_nested(nb: NestedBlock, prior: Any, proposed: Any, config: Any, new: bool) -> Any:
    if proposed is None or is_unknown(proposed):
        return proposed
    if nb.nesting in ("single", "group"):
        return plan_block(nb.block, prior, proposed, config, new or prior is None)
    if nb.nesting == "list":
        prior_l = prior if isinstance(prior, list) else []
        config_l = config if isinstance(config, list) else []
        return [
            plan_block(
                nb.block,
                prior_l[i] if i < len(prior_l) else None,
                item,
                config_l[i] if i < len(config_l) else None,
                new or i >= len(prior_l),
            )
            for i, item in enumerate(proposed)
        ]
    if nb.nesting == "set":
        # Set elements cannot be matched to configuration elements by
        # position. An element equal to a prior one is unchanged; any other
        # element is new, and Terraform built it from configuration alone.
        prior_l = prior if isinstance(prior, list) else []
        planned = []
        for item in proposed:
            if not new and item in prior_l:
                planned.append(item)
            else:
                planned.append(plan_block(nb.block, None, item, item, True))
        return planned
    if nb.nesting == "map":
        prior_m = prior if isinstance(prior, dict) else {}
        config_m = config if isinstance(config, dict) else {}
        return {
            k: plan_block(nb.block, prior_m.get(k), v, config_m.get(k), new or k not in prior_m)
            for k, v in proposed.items()
        }
    raise ValueError(f"unknown nesting mode {nb.nesting}")


def _merged_tags(ctx: ProviderContext, tags: Any) -> Any:
    if is_unknown(tags) or not is_wholly_known(ctx.default_tags) or not is_wholly_known(tags or {}):
        return UNKNOWN
    merged = {k: v for k, v in ctx.default_tags.items() if v is not None}
    for k, v in (tags or {}).items():
        if v is not None:
            merged[k] = v
    return merged


def _differs(a: Any, b: Any) -> bool:
    if is_unknown(a) or is_unknown(b):
        return True
    return bool(a != b)


class Planner:
    def __init__(self, schema: ProviderSchema, force_new: dict[str, frozenset[str]] | None = None) -> None:
        self.schema = schema
        self.force_new = force_new if force_new is not None else {}
        self.ctx = ProviderContext()

    def plan(self, type_name: str, prior: Any, proposed: Any, config: Any) -> PlanResult:
        if proposed is None:
            return PlanResult(None)
        ts = self.schema.resource(type_name)
        if ts is None:
            raise KeyError(f"unknown resource type {type_name}")
        block = ts.block
        new = prior is None
        planned = plan_block(block, prior, proposed, config, new)
        config = config if isinstance(config, dict) else {}
        region = block.attributes.get("region")
        if region is not None and region.computed and config.get("region") is None:
            planned["region"] = prior.get("region") if prior and prior.get("region") else self.ctx.region
        tags_all = block.attributes.get("tags_all")
        if tags_all is not None and tags_all.computed and "tags" in block.attributes:
            planned["tags_all"] = _merged_tags(self.ctx, planned.get("tags"))
        replace: list[Path_] = []
        if not new:
            for name in sorted(self.force_new.get(type_name, ())):
                if name in planned and _differs(prior.get(name), planned.get(name)):
                    replace.append([name])
        return PlanResult(planned, replace)
