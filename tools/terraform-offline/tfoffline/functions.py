"""The provider-defined functions of hashicorp/aws 6.x (``provider::aws::NAME``).

They are pure functions over strings, so the offline provider implements them
exactly: arn_build, arn_parse, trim_iam_role_path and user_agent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ARN_FIELDS = ["partition", "service", "region", "account_id", "resource"]
ARN_OBJECT: Any = ["object", {name: "string" for name in ARN_FIELDS}]


class FunctionError(Exception):
    def __init__(self, message: str, argument: int | None = None) -> None:
        super().__init__(message)
        self.argument = argument


@dataclass
class Function:
    summary: str
    parameters: list[tuple[str, Any]]
    returns: Any
    call: Callable[..., Any]


def arn_parse(arn: str) -> dict[str, str]:
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or not parts[1] or not parts[2] or not parts[5]:
        raise FunctionError(f"arn: invalid prefix or sections in {arn!r}", 0)
    return dict(zip(ARN_FIELDS, parts[1:], strict=True))


def arn_build(partition: str, service: str, region: str, account_id: str, resource: str) -> str:
    return f"arn:{partition}:{service}:{region}:{account_id}:{resource}"


ROLE_RE = re.compile(r"^(arn:[^:]+:iam::\d{12}:role)/(?:.*/)?([^/]+)$")


def trim_iam_role_path(arn: str) -> str:
    m = ROLE_RE.match(arn)
    if not m:
        raise FunctionError(f"{arn!r} is not an IAM role ARN", 0)
    return f"{m.group(1)}/{m.group(2)}"


def user_agent(product_name: str, product_version: str, comment: str) -> str:
    if not product_name:
        raise FunctionError("product_name must be set", 0)
    out = product_name
    if product_version:
        out += f"/{product_version}"
    if comment:
        out += f" ({comment})"
    return out


FUNCTIONS: dict[str, Function] = {
    "arn_build": Function(
        "arn_build Function",
        [(name, "string") for name in ARN_FIELDS],
        "string",
        arn_build,
    ),
    "arn_parse": Function("arn_parse Function", [("arn", "string")], ARN_OBJECT, arn_parse),
    "trim_iam_role_path": Function("trim_iam_role_path Function", [("arn", "string")], "string", trim_iam_role_path),
    "user_agent": Function(
        "user_agent Function",
        [("product_name", "string"), ("product_version", "string"), ("comment", "string")],
        "string",
        user_agent,
    ),
}


def call(name: str, arguments: list[Any]) -> Any:
    fn = FUNCTIONS.get(name)
    if fn is None:
        raise FunctionError(f"unknown function {name}")
    if len(arguments) != len(fn.parameters):
        raise FunctionError(f"{name} takes {len(fn.parameters)} arguments, got {len(arguments)}")
    for i, value in enumerate(arguments):
        if not isinstance(value, str):
            raise FunctionError(f"argument {fn.parameters[i][0]} must be a known string", i)
    return fn.call(*arguments)
