"""Data sources read offline: realistic placeholder values.

Terraform evaluates expressions over data source results during plan (for
example ``cidrsubnet()`` over a CIDR, ``slice()`` over availability zones,
``jsondecode()`` over a policy), so a result must be wholly known and look like
what AWS returns. A few data sources are answered specifically (account,
partition, region, availability zones, ELB service account and the IAM policy
document, which is rendered as the real provider renders it); every other one
gets values chosen from each attribute's name and type.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from typing import Any

from .cty import is_unknown
from .planning import ProviderContext
from .schema import Attribute, Block, attribute_type

ACCOUNT_ID = "123456789012"
CALLER_USER = "terraform-offline"

# Region -> account of Elastic Load Balancing, for access-log bucket policies.
ELB_ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-south-1": "718504428378",
    "sa-east-1": "507241528517",
}

REGION_NAMES = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "eu-central-1": "Europe (Frankfurt)",
    "eu-west-1": "Europe (Ireland)",
    "eu-west-2": "Europe (London)",
    "eu-west-3": "Europe (Paris)",
    "eu-north-1": "Europe (Stockholm)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
    "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
}

ID_PREFIXES = [
    ("security_group", "sg"),
    ("route_table", "rtb"),
    ("internet_gateway", "igw"),
    ("nat_gateway", "nat"),
    ("network_interface", "eni"),
    ("network_acl", "acl"),
    ("vpc_endpoint", "vpce"),
    ("prefix_list", "pl"),
    ("transit_gateway", "tgw"),
    ("allocation", "eipalloc"),
    ("subnet", "subnet"),
    ("image", "ami"),
    ("ami", "ami"),
    ("instance", "i"),
    ("snapshot", "snap"),
    ("volume", "vol"),
    ("key_pair", "key"),
    ("vpc", "vpc"),
]
HEX_ID = "0a1b2c3d4e5f6a7b"

# First word of a type name -> service name in its ARNs, where they differ.
ARN_SERVICES = {
    "ami": "ec2",
    "ebs": "ec2",
    "eip": "ec2",
    "instance": "ec2",
    "internet": "ec2",
    "nat": "ec2",
    "network": "ec2",
    "route": "ec2",
    "security": "ec2",
    "subnet": "ec2",
    "vpc": "ec2",
    "alb": "elasticloadbalancing",
    "elb": "elasticloadbalancing",
    "lb": "elasticloadbalancing",
}


def partition_of(region: str) -> tuple[str, str]:
    """(partition, DNS suffix) of a region."""
    if region.startswith("cn-"):
        return "aws-cn", "amazonaws.com.cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov", "amazonaws.com"
    return "aws", "amazonaws.com"


def zone_id_prefix(region: str) -> str:
    parts = region.split("-")
    if len(parts) < 3:
        return "use1"
    return parts[0] + "".join(p[0] for p in parts[1:-1]) + parts[-1]


def _singular(name: str) -> str:
    for plural, single in (("ies", "y"), ("ses", "s"), ("s", "")):
        if name.endswith(plural):
            return name[: -len(plural)] + single
    return name


class Placeholders:
    """Values for computed attributes, chosen from their names."""

    def __init__(self, type_name: str, ctx: ProviderContext) -> None:
        self.type_name = type_name
        self.ctx = ctx
        self.partition = partition_of(ctx.region)[0]
        word, _, rest = type_name.removeprefix("aws_").partition("_")
        self.service = ARN_SERVICES.get(word, word)
        self.arn_resource = (rest or word) if self.service == word else type_name.removeprefix("aws_")

    def _id(self, name: str, index: int) -> str:
        base = name.removesuffix("_ids").removesuffix("_id")
        subject = base if base not in ("", "id") else self.type_name.removeprefix("aws_")
        for key, prefix in ID_PREFIXES:
            if key in subject:
                return f"{prefix}-{HEX_ID}{index:x}"
        return f"{subject.replace('_', '-')}-{HEX_ID}{index:x}"

    def string(self, name: str, index: int = 0) -> str:
        region = self.ctx.region
        n = name.lower()
        suffix = "" if index == 0 else f"-{index}"
        if n == "arn" or n.endswith("_arn"):
            resource = self.arn_resource.replace("_", "-")
            if self.service == "iam":
                return f"arn:{self.partition}:iam::{ACCOUNT_ID}:{resource}/offline{suffix}"
            return f"arn:{self.partition}:{self.service}:{region}:{ACCOUNT_ID}:{resource}/offline{suffix}"
        if n in ("account_id", "owner_id", "account") or n.endswith("_account_id") or n.endswith("_owner_id"):
            return ACCOUNT_ID
        if n == "region" or n.endswith("_region"):
            return region
        if n == "availability_zone":
            return region + "abc"[index % 3]
        if n == "availability_zone_id" or n == "zone_id":
            return f"{zone_id_prefix(region)}-az{index % 3 + 1}"
        if "ipv6" in n and ("cidr" in n):
            return f"2600:1f18:{index:x}a00:1200::/56"
        if n.endswith("cidr_block") or n.endswith("cidr") or n == "cidr_blocks":
            return f"10.{index}.0.0/16"
        if n == "id" or n.endswith("_id"):
            return self._id(n, index)
        if n.endswith("ip") or n.endswith("_ip_address") or n == "ip_address" or n.endswith("_ips"):
            return f"10.0.0.{10 + index}"
        if "policy" in n or n.endswith("json") or n.endswith("document"):
            return json.dumps({"Version": "2012-10-17", "Statement": []})
        if n.endswith("url") or n == "endpoint" or n.endswith("_endpoint"):
            return f"https://{self.service}.{region}.amazonaws.com"
        if n.endswith("dns_name") or n.endswith("domain_name") or n == "domain" or n.endswith("hostname"):
            return f"offline{suffix}.{region}.amazonaws.com"
        if n in ("state", "status"):
            return "available"
        if n.endswith("_date") or n.endswith("_time") or n.endswith("_at") or n in ("created", "date"):
            return "2025-01-01T00:00:00Z"
        if n.endswith("name"):
            return f"offline-{self.type_name.removeprefix('aws_').replace('_', '-')}{suffix}"
        return f"offline{suffix}"

    def value(self, name: str, typ: Any, index: int = 0) -> Any:
        if typ == "string":
            return self.string(name, index)
        if typ == "number":
            return 1 + index
        if typ == "bool":
            return False
        if typ == "dynamic":
            return None
        kind, inner = typ[0], typ[1]
        if kind in ("list", "set"):
            element = _singular(name)
            if isinstance(inner, list) and inner[0] == "object":
                return [self.value(element, inner, 0)]
            return [self.value(element, inner, i) for i in range(3)]
        if kind == "map":
            return {}
        if kind == "object":
            return {k: self.value(k, t, index) for k, t in inner.items()}
        return None


def fill_block(block: Block, config: Any, values: Placeholders) -> dict[str, Any]:
    """Configuration values, with computed attributes the config leaves null filled in."""
    config = config if isinstance(config, dict) else {}
    out: dict[str, Any] = {}
    for name, attr in block.attributes.items():
        current = config.get(name)
        if current is None and attr.computed:
            current = values.value(name, attribute_type(attr))
        out[name] = current
    for name, nb in block.block_types.items():
        current = config.get(name)
        if isinstance(current, list):
            out[name] = [fill_block(nb.block, item, values) for item in current]
        elif isinstance(current, dict) and nb.nesting == "map":
            out[name] = {k: fill_block(nb.block, v, values) for k, v in current.items()}
        elif isinstance(current, dict):
            out[name] = fill_block(nb.block, current, values)
        else:
            out[name] = current
    return out


# ---------------------------------------------------------------------------
# Specific data sources
# ---------------------------------------------------------------------------

Special = Callable[[dict[str, Any], ProviderContext], dict[str, Any]]


def _region_of(config: dict[str, Any], ctx: ProviderContext) -> str:
    for key in ("region", "name"):
        value = config.get(key)
        if isinstance(value, str) and value:
            return value
    return ctx.region


def availability_zones(config: dict[str, Any], ctx: ProviderContext) -> dict[str, Any]:
    region = _region_of(config, ctx)
    excluded_names = set(config.get("exclude_names") or [])
    excluded_ids = set(config.get("exclude_zone_ids") or [])
    zones = [(region + letter, f"{zone_id_prefix(region)}-az{i + 1}") for i, letter in enumerate("abc")]
    zones = [z for z in zones if z[0] not in excluded_names and z[1] not in excluded_ids]
    return {
        "id": region,
        "names": [z[0] for z in zones],
        "zone_ids": [z[1] for z in zones],
        "group_names": [region],
    }


def caller_identity(config: dict[str, Any], ctx: ProviderContext) -> dict[str, Any]:
    partition = partition_of(ctx.region)[0]
    return {
        "id": ACCOUNT_ID,
        "account_id": ACCOUNT_ID,
        "arn": f"arn:{partition}:iam::{ACCOUNT_ID}:user/{CALLER_USER}",
        "user_id": "AIDAOFFLINEPLACEHOLDER",
    }


def partition(config: dict[str, Any], ctx: ProviderContext) -> dict[str, Any]:
    name, suffix = partition_of(_region_of(config, ctx))
    reverse = ".".join(reversed(suffix.split(".")))
    return {"id": name, "partition": name, "dns_suffix": suffix, "reverse_dns_prefix": reverse}


def region(config: dict[str, Any], ctx: ProviderContext) -> dict[str, Any]:
    name = _region_of(config, ctx)
    suffix = partition_of(name)[1]
    return {
        "id": name,
        "name": name,
        "region": name,
        "endpoint": f"ec2.{name}.{suffix}",
        "description": REGION_NAMES.get(name, name),
    }


def elb_service_account(config: dict[str, Any], ctx: ProviderContext) -> dict[str, Any]:
    name = _region_of(config, ctx)
    account = ELB_ACCOUNTS.get(name, ELB_ACCOUNTS["us-east-1"])
    return {"id": account, "arn": f"arn:{partition_of(name)[0]}:iam::{account}:root"}


# IAM policy documents, rendered like the provider's aws_iam_policy_document.


def _vars(value: str) -> str:
    return value.replace("&{", "${")


def _string_or_list(values: Any) -> Any:
    items = sorted((_vars(v) for v in values or []), reverse=True)
    if len(items) == 1:
        return items[0]
    return items


def _principals(blocks: Any) -> Any:
    blocks = blocks or []
    if len(blocks) == 1 and blocks[0].get("type") == "*" and list(blocks[0].get("identifiers") or []) == ["*"]:
        return "*"
    out: dict[str, Any] = {}
    for block in blocks:
        ptype = block.get("type")
        identifiers = sorted((_vars(i) for i in block.get("identifiers") or []), reverse=True)
        previous = out.get(ptype)
        if previous is None:
            out[ptype] = identifiers[0] if len(identifiers) == 1 else identifiers
        else:
            merged = ([previous] if isinstance(previous, str) else list(previous)) + identifiers
            out[ptype] = merged
    return {k: out[k] for k in sorted(out)}


def _conditions(blocks: Any) -> dict[str, Any]:
    out: dict[str, dict[str, Any]] = {}
    for block in blocks or []:
        test = out.setdefault(block.get("test"), {})
        test[block.get("variable")] = _string_or_list(block.get("values"))
    return {k: {v: out[k][v] for v in sorted(out[k])} for k in sorted(out)}


def _statement(block: dict[str, Any]) -> dict[str, Any]:
    st: dict[str, Any] = {}
    if block.get("sid"):
        st["Sid"] = block["sid"]
    st["Effect"] = block.get("effect") or "Allow"
    for key, field_name in (
        ("Action", "actions"),
        ("NotAction", "not_actions"),
        ("Resource", "resources"),
        ("NotResource", "not_resources"),
    ):
        if block.get(field_name):
            st[key] = _string_or_list(block[field_name])
    if block.get("principals"):
        st["Principal"] = _principals(block["principals"])
    if block.get("not_principals"):
        st["NotPrincipal"] = _principals(block["not_principals"])
    if block.get("condition"):
        st["Condition"] = _conditions(block["condition"])
    return st


def _merge_statements(base: list[dict[str, Any]], extra: list[dict[str, Any]]) -> list[dict[str, Any]]:
    merged = list(base)
    for st in extra:
        sid = st.get("Sid")
        index = next((i for i, old in enumerate(merged) if sid and old.get("Sid") == sid), None)
        if index is None:
            merged.append(st)
        else:
            merged[index] = st
    return merged


def _document_statements(text: Any) -> list[dict[str, Any]]:
    if not isinstance(text, str) or not text:
        return []
    doc = json.loads(text)
    statements = doc.get("Statement", [])
    return statements if isinstance(statements, list) else [statements]


def policy_document(config: dict[str, Any], ctx: ProviderContext) -> dict[str, Any]:
    statements: list[dict[str, Any]] = []
    sources = ([config["source_json"]] if config.get("source_json") else []) + list(
        config.get("source_policy_documents") or []
    )
    overrides = ([config["override_json"]] if config.get("override_json") else []) + list(
        config.get("override_policy_documents") or []
    )
    for source in sources:
        statements = _merge_statements(statements, _document_statements(source))
    statements = _merge_statements(statements, [_statement(b) for b in config.get("statement") or []])
    for override in overrides:
        statements = _merge_statements(statements, _document_statements(override))
    doc: dict[str, Any] = {"Version": config.get("version") or "2012-10-17"}
    if config.get("policy_id"):
        doc["Id"] = config["policy_id"]
    if statements:
        doc["Statement"] = statements
    pretty = json.dumps(doc, indent=2, ensure_ascii=False)
    compact = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    # The provider's id is the CRC-32 of the rendered document.
    return {"id": str(zlib.crc32(pretty.encode())), "json": pretty, "minified_json": compact}


SPECIAL: dict[str, Special] = {
    "aws_availability_zones": availability_zones,
    "aws_caller_identity": caller_identity,
    "aws_partition": partition,
    "aws_region": region,
    "aws_elb_service_account": elb_service_account,
    "aws_iam_policy_document": policy_document,
}


def read(type_name: str, block: Block, config: Any, ctx: ProviderContext) -> dict[str, Any]:
    """The state of a data source read with the given (wholly known) configuration."""
    config = config if isinstance(config, dict) else {}
    state = fill_block(block, config, Placeholders(type_name, ctx))
    special = SPECIAL.get(type_name)
    if special is not None:
        for key, value in special(config, ctx).items():
            attr: Attribute | None = block.attributes.get(key)
            if attr is not None and (config.get(key) is None or is_unknown(config.get(key))):
                state[key] = value
    return state
