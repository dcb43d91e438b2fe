"""Self-test of the offline Terraform tooling (``scripts/terraform-offline selftest``).

Checks, each reported as passed or failed:
  unit tests     pytest over tools/terraform-offline/tests
  coverage       the known-good configuration uses every resource and data
                 source type that terraform/ uses (and the ones listed below)
  good/*         the known-good configuration inits, validates, plans (every
                 resource to be created) and passes its `terraform test` files,
                 one of which applies against mock_provider "aws"
  schema         `terraform providers schema -json` answers exactly the
                 committed schema file
  broken/*       each deliberately broken configuration fails with
                 Terraform's own message (selftest/broken/*/expect)
  cases/*        other scenarios with an expected outcome, such as a plan
                 against existing state (updates and replacements)

Runs from scripts/terraform-offline, which sets up the environment.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import PROVIDER_ADDRESS
from .functions import FUNCTIONS
from .schema import SCHEMA_FILE, TOOL_DIR

REPO_ROOT = TOOL_DIR.parent.parent
SELFTEST_DIR = TOOL_DIR / "selftest"
PROJECT_TERRAFORM = REPO_ROOT / "terraform"
WRAPPER = REPO_ROOT / "scripts" / "terraform-offline"

# The types this project's Terraform is designed around; the known-good
# configuration must cover them even before terraform/ uses them.
REQUIRED_TYPES = {
    "resource": {
        "aws_s3_bucket",
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_lifecycle_configuration",
        "aws_s3_bucket_logging",
        "aws_dynamodb_table",
        "aws_kms_key",
        "aws_kms_alias",
        "aws_ecr_repository",
        "aws_ecr_lifecycle_policy",
        "aws_iam_openid_connect_provider",
        "aws_iam_role",
        "aws_iam_policy",
        "aws_iam_role_policy",
        "aws_iam_role_policy_attachment",
        "aws_vpc",
        "aws_subnet",
        "aws_internet_gateway",
        "aws_eip",
        "aws_nat_gateway",
        "aws_route_table",
        "aws_route",
        "aws_route_table_association",
        "aws_flow_log",
        "aws_cloudwatch_log_group",
        "aws_security_group",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
        "aws_lb",
        "aws_lb_listener",
        "aws_lb_target_group",
        "aws_ecs_cluster",
        "aws_ecs_cluster_capacity_providers",
        "aws_ecs_task_definition",
        "aws_ecs_service",
        "aws_appautoscaling_target",
        "aws_appautoscaling_policy",
        "aws_cloudwatch_metric_alarm",
        "aws_default_security_group",
        "aws_vpc_endpoint",
    },
    "data": {
        "aws_availability_zones",
        "aws_caller_identity",
        "aws_partition",
        "aws_region",
        "aws_iam_policy_document",
        "aws_elb_service_account",
    },
}
TYPE_RE = re.compile(r'^\s*(resource|data)\s+"(aws_\w+)"', re.M)


@dataclass
class Result:
    name: str
    ok: bool
    seconds: float
    detail: str = ""


@dataclass
class Run:
    code: int
    output: str


class Terraform:
    """Runs scripts/terraform-offline, with the .terraform data in the directory."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def __call__(self, cwd: Path, *args: str) -> Run:
        proc = subprocess.run(
            [str(WRAPPER), *args],
            cwd=cwd,
            env={**self.env, "TF_DATA_DIR": str(cwd / ".terraform")},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        return Run(proc.returncode, proc.stdout)


def _normalize(text: str) -> str:
    return " ".join(text.split())


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def _types_in(paths: list[Path]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in paths:
        for m in TYPE_RE.finditer(path.read_text(encoding="utf-8")):
            found.add((m.group(1), m.group(2)))
    return found


def _tf_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.tf") if ".terraform" not in p.parts)


def check_coverage() -> str | None:
    good = _types_in(_tf_files(SELFTEST_DIR / "good"))
    wanted = {(kind, t) for kind, types in REQUIRED_TYPES.items() for t in types}
    if PROJECT_TERRAFORM.is_dir():
        wanted |= _types_in(_tf_files(PROJECT_TERRAFORM))
    missing = sorted(f"{kind} {t}" for kind, t in wanted - good)
    if missing:
        return "not covered by tools/terraform-offline/selftest/good (add them there): " + ", ".join(missing)
    return None


def _strip_description_kind(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_description_kind(v) for k, v in node.items() if k != "description_kind"}
    if isinstance(node, list):
        return [_strip_description_kind(v) for v in node]
    return node


def check_good(tf: Terraform, work: Path) -> list[Result]:
    results: list[Result] = []

    def step(name: str, fn: Callable[[], str | None]) -> bool:
        start = time.monotonic()
        try:
            problem = fn()
        except Exception as exc:  # noqa: BLE001 - reported as a failed check
            problem = f"{type(exc).__name__}: {exc}"
        results.append(Result(name, problem is None, time.monotonic() - start, problem or ""))
        return problem is None

    def expect_ok(*args: str) -> Callable[[], str | None]:
        def run() -> str | None:
            r = tf(work, *args)
            return None if r.code == 0 else f"exit {r.code}\n{_tail(r.output)}"

        return run

    def plan() -> str | None:
        r = tf(work, "plan", "-input=false", "-no-color", "-out=selftest.tfplan")
        if r.code != 0:
            return f"exit {r.code}\n{_tail(r.output)}"
        show = tf(work, "show", "-json", "selftest.tfplan")
        if show.code != 0:
            return f"show exit {show.code}\n{_tail(show.output)}"
        plan_json = json.loads(show.output[show.output.index("{") :])
        changes = plan_json.get("resource_changes", [])
        planned = {c["type"] for c in changes if c.get("mode") == "managed"}
        declared = {t for kind, t in _types_in(_tf_files(work)) if kind == "resource"}
        if planned != declared:
            return f"planned types differ from declared ones: {sorted(planned ^ declared)}"
        not_created = [
            c["address"] for c in changes if c.get("mode") == "managed" and c["change"]["actions"] != ["create"]
        ]
        if not_created:
            return f"expected only creates, got other actions for {not_created}"
        return None

    def schema_round_trip() -> str | None:
        r = tf(work, "providers", "schema", "-json")
        if r.code != 0:
            return f"exit {r.code}\n{_tail(r.output)}"
        served = json.loads(r.output[r.output.index("{") :])
        with gzip.open(SCHEMA_FILE, "rb") as f:
            committed = json.load(f)
        if served.get("format_version") != "1.0":
            return f"format_version {served.get('format_version')!r}"
        got = _strip_description_kind(served["provider_schemas"][PROVIDER_ADDRESS])
        want = committed["provider_schemas"][PROVIDER_ADDRESS]
        served_functions = sorted(got.pop("functions", {}))
        if served_functions != sorted(FUNCTIONS):
            return f"functions served: {served_functions}"
        if got == want:
            return None
        for table in ("resource_schemas", "data_source_schemas"):
            for name in sorted(set(got.get(table, {})) | set(want.get(table, {}))):
                if got.get(table, {}).get(name) != want.get(table, {}).get(name):
                    return f"{table}.{name} differs from the committed schema"
        return "the provider schema differs from the committed one"

    if step("good: init", expect_ok("init", "-backend=false", "-input=false", "-no-color")):
        step("good: validate", expect_ok("validate", "-no-color"))
        step("good: plan", plan)
        step("good: terraform test (offline provider and mock_provider)", expect_ok("test", "-no-color"))
        step("schema: provider answers the committed schema", schema_round_trip)
    return results


def check_case(tf: Terraform, case: Path, label: str) -> Result:
    """Run a case directory's command and match its output against its expect file."""
    start = time.monotonic()
    expect_lines = [
        line.strip()
        for line in (case / "expect").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    command = ["validate"]
    init_args = ["-backend=false"]
    exit_code: int | None = None
    unchanged: dict[str, bytes] = {}
    expected = []
    for line in expect_lines:
        if line.startswith("command:"):
            command = line.removeprefix("command:").split()
        elif line.startswith("init:"):
            init_args = line.removeprefix("init:").split()
        elif line.startswith("exit:"):
            exit_code = int(line.removeprefix("exit:"))
        elif line.startswith("unchanged:"):
            file_name = line.removeprefix("unchanged:").strip()
            unchanged[file_name] = (case / file_name).read_bytes()
        else:
            expected.append(line)
    output = ""
    init = tf(case, "init", *init_args, "-input=false", "-no-color")
    name = f"{label}: {case.name}"
    if init.code != 0:
        return Result(name, False, time.monotonic() - start, f"init failed\n{_tail(init.output)}")
    r = tf(case, *command, "-no-color")
    output = _normalize(r.output)
    missing = [e for e in expected if _normalize(e) not in output]
    if exit_code is None and r.code == 0:
        problem = f"`terraform {' '.join(command)}` succeeded; it must fail\n{_tail(r.output)}"
    elif exit_code is not None and r.code != exit_code:
        problem = f"`terraform {' '.join(command)}` exited {r.code}, expected {exit_code}\n{_tail(r.output)}"
    elif changed := [f for f, data in unchanged.items() if not (case / f).exists() or (case / f).read_bytes() != data]:
        problem = f"changed by the commands: {', '.join(changed)}"
    elif missing:
        problem = "missing from the output: " + " | ".join(missing) + "\n" + _tail(r.output)
    else:
        problem = ""
    return Result(name, not problem, time.monotonic() - start, problem)


def run_unit_tests() -> Result:
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(TOOL_DIR / "tests")],
        cwd=TOOL_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    ok = proc.returncode == 0
    detail = "" if ok else _tail(proc.stdout, 40)
    return Result(f"unit tests ({last.strip('= ')})", ok, time.monotonic() - start, detail)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="terraform-offline selftest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=max(2, min(4, os.cpu_count() or 2)))
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies in .tmp/")
    args = parser.parse_args(argv)

    started = time.monotonic()
    work = REPO_ROOT / ".tmp" / "terraform-offline-selftest"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(SELFTEST_DIR, work, ignore=shutil.ignore_patterns(".terraform", "*.tfstate*", "*.tfplan"))
    env = dict(os.environ)
    env.pop("TF_DATA_DIR", None)
    env["TF_IN_AUTOMATION"] = "1"
    tf = Terraform(env)

    results: list[Result] = [run_unit_tests()]
    start = time.monotonic()
    problem = check_coverage()
    results.append(
        Result(
            "coverage: known-good configuration uses every type",
            problem is None,
            time.monotonic() - start,
            problem or "",
        )
    )
    cases = [(p, "broken") for p in sorted((work / "broken").iterdir()) if p.is_dir()]
    cases += [(p, "case") for p in sorted((work / "cases").iterdir()) if p.is_dir()]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        broken = [pool.submit(check_case, tf, case, label) for case, label in cases]
        results.extend(check_good(tf, work / "good"))
        results.extend(f.result() for f in broken)

    for r in results:
        print(f"{'ok  ' if r.ok else 'FAIL'} {r.name} ({r.seconds:.1f}s)")
        if not r.ok and r.detail:
            print("     " + r.detail.replace("\n", "\n     "))
    passed = sum(r.ok for r in results)
    failed = len(results) - passed
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"terraform-offline selftest: {len(results)} checks in {time.monotonic() - started:.0f}s")
    print(f"selftest: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
