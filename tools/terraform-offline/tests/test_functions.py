import pytest

from tfoffline import functions


def test_arn_parse_and_build_round_trip() -> None:
    arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/app/0123456789abcdef"
    parts = functions.call("arn_parse", [arn])
    assert parts == {
        "partition": "aws",
        "service": "elasticloadbalancing",
        "region": "eu-west-1",
        "account_id": "123456789012",
        "resource": "targetgroup/app/0123456789abcdef",
    }
    assert functions.call("arn_build", [parts[k] for k in functions.ARN_FIELDS]) == arn


def test_arn_parse_rejects_non_arns() -> None:
    with pytest.raises(functions.FunctionError) as err:
        functions.call("arn_parse", ["not-an-arn"])
    assert err.value.argument == 0


def test_trim_iam_role_path() -> None:
    got = functions.call("trim_iam_role_path", ["arn:aws:iam::123456789012:role/service-role/deploy"])
    assert got == "arn:aws:iam::123456789012:role/deploy"


def test_user_agent() -> None:
    assert functions.call("user_agent", ["sts", "0.1.0", "offline"]) == "sts/0.1.0 (offline)"


def test_wrong_arity_and_unknown_names() -> None:
    with pytest.raises(functions.FunctionError):
        functions.call("arn_parse", [])
    with pytest.raises(functions.FunctionError):
        functions.call("no_such_function", [])
