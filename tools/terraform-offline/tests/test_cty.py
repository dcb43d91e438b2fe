import msgpack

from tfoffline import cty


def test_round_trip_of_plain_values() -> None:
    value = {"a": "x", "n": 3, "f": 1.5, "b": True, "l": ["p", "q"], "m": {"k": "v"}, "z": None}
    assert cty.decode(cty.encode(value)) == value


def test_unknown_is_fixext_zero() -> None:
    assert cty.encode(cty.UNKNOWN) == b"\xd4\x00\x00"
    assert cty.decode(b"\xd4\x00\x00") == cty.UNKNOWN


def test_refined_unknown_is_sent_back_unchanged() -> None:
    # Terraform 1.6+ sends unknowns with refinements (extension 12).
    refined = msgpack.packb(msgpack.ExtType(12, b"\x81\x01\xc3"))
    value = cty.decode(refined)
    assert cty.is_unknown(value)
    assert cty.encode(value) == refined


def test_wholly_known() -> None:
    assert cty.is_wholly_known({"a": [1, {"b": "c"}]})
    assert not cty.is_wholly_known({"a": [1, {"b": cty.UNKNOWN}]})


def test_empty_payload_is_null() -> None:
    assert cty.decode(b"") is None
    assert cty.decode_dynamic(b"", b'{"a": 1}') == {"a": 1}
