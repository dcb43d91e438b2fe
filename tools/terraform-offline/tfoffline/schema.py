"""The provider schema: loading the committed JSON and walking it.

The JSON is the ``terraform providers schema -json`` format (format_version 1.0)
for one provider. :class:`Block` and friends are light views over it used by the
planner; :func:`to_proto` turns them into tfplugin6 messages.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import PROVIDER_ADDRESS, PROVIDER_VERSION

TOOL_DIR = Path(__file__).resolve().parent.parent
SCHEMA_FILE = TOOL_DIR / "schema" / f"aws-{PROVIDER_VERSION}.json.gz"

CtyType = Any


@dataclass
class NestedType:
    """The ``nested_type`` of an attribute (plugin framework nested attributes)."""

    attributes: dict[str, Attribute]
    nesting: str  # single | list | set | map


@dataclass
class Attribute:
    name: str
    type: CtyType | None  # None when nested is set
    nested: NestedType | None = None
    required: bool = False
    optional: bool = False
    computed: bool = False
    sensitive: bool = False
    deprecated: bool = False


@dataclass
class NestedBlock:
    name: str
    nesting: str  # single | group | list | set | map
    block: Block
    min_items: int = 0
    max_items: int = 0


@dataclass
class Block:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    block_types: dict[str, NestedBlock] = field(default_factory=dict)
    deprecated: bool = False


@dataclass
class TypeSchema:
    version: int
    block: Block


class ProviderSchema:
    """The schema JSON, with per-type views built when first asked for."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        provider = raw["provider_schemas"][PROVIDER_ADDRESS]
        self._provider_json: dict[str, Any] = provider["provider"]
        self._resources_json: dict[str, Any] = provider.get("resource_schemas", {})
        self._data_json: dict[str, Any] = provider.get("data_source_schemas", {})
        self._resources: dict[str, TypeSchema] = {}
        self._data: dict[str, TypeSchema] = {}

    @property
    def provider(self) -> TypeSchema:
        return _type_schema(self._provider_json)

    @property
    def resource_names(self) -> list[str]:
        return sorted(self._resources_json)

    @property
    def data_source_names(self) -> list[str]:
        return sorted(self._data_json)

    def resource(self, name: str) -> TypeSchema | None:
        if name not in self._resources and name in self._resources_json:
            self._resources[name] = _type_schema(self._resources_json[name])
        return self._resources.get(name)

    def data_source(self, name: str) -> TypeSchema | None:
        if name not in self._data and name in self._data_json:
            self._data[name] = _type_schema(self._data_json[name])
        return self._data.get(name)


def _attribute(name: str, spec: dict[str, Any]) -> Attribute:
    nested = None
    if "nested_type" in spec:
        nt = spec["nested_type"]
        nested = NestedType(
            {k: _attribute(k, v) for k, v in nt.get("attributes", {}).items()},
            nt.get("nesting_mode", "single"),
        )
    return Attribute(
        name=name,
        type=spec.get("type"),
        nested=nested,
        required=bool(spec.get("required")),
        optional=bool(spec.get("optional")),
        computed=bool(spec.get("computed")),
        sensitive=bool(spec.get("sensitive")),
        deprecated=bool(spec.get("deprecated")),
    )


def block_from_json(spec: dict[str, Any]) -> Block:
    return Block(
        attributes={k: _attribute(k, v) for k, v in spec.get("attributes", {}).items()},
        block_types={
            k: NestedBlock(
                name=k,
                nesting=v["nesting_mode"],
                block=block_from_json(v.get("block", {})),
                min_items=int(v.get("min_items", 0)),
                max_items=int(v.get("max_items", 0)),
            )
            for k, v in spec.get("block_types", {}).items()
        },
        deprecated=bool(spec.get("deprecated")),
    )


def _type_schema(spec: dict[str, Any]) -> TypeSchema:
    return TypeSchema(int(spec.get("version", 0)), block_from_json(spec.get("block", {})))


def load(path: Path = SCHEMA_FILE) -> ProviderSchema:
    with gzip.open(path, "rb") as f:
        raw = json.load(f)
    if raw.get("format_version") != "1.0":
        raise ValueError(f"{path}: unsupported format_version {raw.get('format_version')!r}")
    return ProviderSchema(raw)


# ---------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------


def attribute_type(attr: Attribute) -> CtyType:
    """The Terraform type of an attribute, nested attributes included."""
    if attr.nested is None:
        return attr.type
    obj = ["object", {k: attribute_type(a) for k, a in attr.nested.attributes.items()}]
    if attr.nested.nesting == "single":
        return obj
    return [attr.nested.nesting, obj]


def block_type(block: Block) -> CtyType:
    """The object type a block's values have."""
    attrs: dict[str, CtyType] = {k: attribute_type(a) for k, a in block.attributes.items()}
    for name, nb in block.block_types.items():
        inner = block_type(nb.block)
        attrs[name] = inner if nb.nesting in ("single", "group") else [nb.nesting, inner]
    return ["object", attrs]


def null_block_value(nb: NestedBlock) -> Any:
    """The value of a nested block that is absent from the configuration."""
    if nb.nesting in ("list", "set"):
        return []
    if nb.nesting == "map":
        return {}
    return None


def conform(value: Any, typ: CtyType) -> Any:
    """Shape decoded JSON state into a value of the given type.

    Missing object attributes become null, unexpected ones are dropped, and
    numbers stay numbers. Used for state written by other provider versions.
    """
    if value is None:
        return None
    if typ == "dynamic":
        return value
    if isinstance(typ, str):
        return value
    kind, inner = typ[0], typ[1]
    if kind in ("list", "set"):
        return [conform(v, inner) for v in value] if isinstance(value, list) else None
    if kind == "map":
        return {k: conform(v, inner) for k, v in value.items()} if isinstance(value, dict) else None
    if kind == "object":
        if not isinstance(value, dict):
            return None
        return {k: conform(value.get(k), t) for k, t in inner.items()}
    if kind == "tuple":
        return [conform(v, t) for v, t in zip(value, inner, strict=False)] if isinstance(value, list) else None
    return value


def conform_block(value: Any, block: Block) -> Any:
    """Like :func:`conform`, but absent nested blocks become [] / {} as Terraform expects."""
    if not isinstance(value, dict):
        return None
    out: dict[str, Any] = {}
    for name, attr in block.attributes.items():
        out[name] = conform(value.get(name), attribute_type(attr))
    for name, nb in block.block_types.items():
        raw = value.get(name)
        if nb.nesting in ("list", "set"):
            items = raw if isinstance(raw, list) else []
            out[name] = [conform_block(v, nb.block) for v in items]
        elif nb.nesting == "map":
            items_map = raw if isinstance(raw, dict) else {}
            out[name] = {k: conform_block(v, nb.block) for k, v in items_map.items()}
        else:
            if isinstance(raw, list):  # state written with a list of at most one
                raw = raw[0] if raw else None
            out[name] = conform_block(raw, nb.block) if raw is not None else None
    return out
