"""Terraform values on the wire (tfplugin6 DynamicValue, msgpack form).

Values are plain Python data: None for null, str, int/float (or str for numbers
too large for msgpack), bool, list (lists and sets), dict (maps and objects),
and :class:`Unknown` for values not known until apply. Terraform sends refined
unknowns (msgpack extension 12); they decode to :class:`Unknown` keeping their
bytes, so that they are sent back exactly as received.
"""

from __future__ import annotations

import json
from typing import Any

import msgpack

UNKNOWN_EXT = 0
REFINED_UNKNOWN_EXT = 12


class Unknown:
    """A value that will be known only after apply."""

    __slots__ = ("code", "data")

    def __init__(self, code: int = UNKNOWN_EXT, data: bytes = b"\x00") -> None:
        self.code = code
        self.data = data

    def __repr__(self) -> str:
        return "Unknown()" if self.code == UNKNOWN_EXT else "Unknown(refined)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and other.code == self.code and other.data == self.data

    def __hash__(self) -> int:
        return hash((self.code, self.data))


UNKNOWN = Unknown()


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


def is_wholly_known(value: Any) -> bool:
    if isinstance(value, Unknown):
        return False
    if isinstance(value, list):
        return all(is_wholly_known(v) for v in value)
    if isinstance(value, dict):
        return all(is_wholly_known(v) for v in value.values())
    return True


def _ext_hook(code: int, data: bytes) -> Any:
    if code in (UNKNOWN_EXT, REFINED_UNKNOWN_EXT):
        return Unknown(code, data)
    return msgpack.ExtType(code, data)


def _default(obj: Any) -> Any:
    if isinstance(obj, Unknown):
        return msgpack.ExtType(obj.code, obj.data)
    raise TypeError(f"cannot encode {type(obj).__name__} as a Terraform value")


def decode(data: bytes) -> Any:
    """Decode a msgpack DynamicValue payload."""
    if not data:
        return None
    return msgpack.unpackb(data, ext_hook=_ext_hook, raw=False, strict_map_key=False)


def encode(value: Any) -> bytes:
    data: bytes = msgpack.packb(value, default=_default, use_bin_type=True)
    return data


def decode_dynamic(msgpack_bytes: bytes, json_bytes: bytes) -> Any:
    """Decode a DynamicValue given either of its two encodings."""
    if msgpack_bytes:
        return decode(msgpack_bytes)
    if json_bytes:
        return json.loads(json_bytes)
    return None
