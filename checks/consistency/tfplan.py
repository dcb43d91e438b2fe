"""Plan the Terraform roots offline and return `terraform show -json` of the plan.

The roots are planned in a scratch copy of terraform/ and iam/ so that nothing
(.terraform/, plan files, a local backend override) is written into the
working tree. terraform/app gets a `backend "local"` override there: its real
backend is S3, which cannot be reached offline. Variables come from the
root's terraform.tfvars.example, the file users start from, and then from its
committed *.auto.tfvars files (the settings of an environment GitHub Actions
deploys), which win where both set a variable: the plan is the deployed
configuration, and their values meet the variables' validation.

Usage as a script (scripts/tf-check.sh does this):

    python3 checks/consistency/tfplan.py --out DIR [ROOT...]

writes DIR/<root>.plan.json for each root (default: app bootstrap). The tests
read them from $TF_CHECK_PLAN_DIR when it is set, and plan themselves otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TERRAFORM_OFFLINE = REPO_ROOT / "scripts" / "terraform-offline"
ROOTS = ("app", "bootstrap")

LOCAL_BACKEND_OVERRIDE = """\
# Written by checks/consistency/tfplan.py into a scratch copy: plan offline
# without the S3 backend.
terraform {
  backend "local" {}
}
"""


class PlanError(RuntimeError):
    pass


def _run(args: list[str], cwd: Path) -> str:
    if not TERRAFORM_OFFLINE.exists():
        raise PlanError(f"{TERRAFORM_OFFLINE.relative_to(REPO_ROOT)} is missing: it runs Terraform offline")
    proc = subprocess.run(
        [str(TERRAFORM_OFFLINE), *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Terraform's working data stays in the scratch copy, removed with it.
        env={**os.environ, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "TF_DATA_DIR": str(cwd / ".terraform")},
    )
    if proc.returncode != 0:
        raise PlanError(
            f"terraform {' '.join(args)} failed in {cwd.name} (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}"
        )
    return proc.stdout


def scratch_copy(dest: Path) -> Path:
    """Copy terraform/ and iam/ (without local state or caches) into dest."""
    ignore = shutil.ignore_patterns(".terraform", "*.tfstate", "*.tfstate.*", "*.tfplan", "terraform.tfvars", "backend.hcl")
    shutil.copytree(REPO_ROOT / "terraform", dest / "terraform", ignore=ignore)
    shutil.copytree(REPO_ROOT / "iam", dest / "iam")
    (dest / "terraform" / "app" / "zz_local_backend_override.tf").write_text(LOCAL_BACKEND_OVERRIDE)
    return dest / "terraform"


def auto_var_files(root_dir: Path) -> list[str]:
    """The *.auto.tfvars(.json) files of a root, in the order Terraform loads them."""
    return sorted(p.name for p in root_dir.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json")))


def plan_root(terraform_dir: Path, root: str) -> dict:
    cwd = terraform_dir / root
    _run(["init", "-input=false", "-no-color"], cwd)
    # Later -var-file options win: the example first, then the committed settings.
    var_files = ["terraform.tfvars.example", *auto_var_files(cwd)]
    _run(
        [
            "plan",
            "-refresh=false",
            "-input=false",
            "-no-color",
            "-lock=false",
            *[f"-var-file={name}" for name in var_files],
            "-out=offline.tfplan",
        ],
        cwd,
    )
    return json.loads(_run(["show", "-json", "offline.tfplan"], cwd))


def plan_all(out_dir: Path, roots: tuple[str, ...] = ROOTS) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    with tempfile.TemporaryDirectory(prefix="tfplan-") as tmp:
        terraform_dir = scratch_copy(Path(tmp))
        for root in roots:
            path = out_dir / f"{root}.plan.json"
            path.write_text(json.dumps(plan_root(terraform_dir, root)))
            written[root] = path
    return written


@lru_cache(maxsize=None)
def load_plan(root: str) -> dict:
    """The plan JSON of a root: from $TF_CHECK_PLAN_DIR, or planned now."""
    plan_dir = os.environ.get("TF_CHECK_PLAN_DIR")
    if plan_dir:
        path = Path(plan_dir) / f"{root}.plan.json"
        if not path.exists():
            raise PlanError(f"{path} does not exist (TF_CHECK_PLAN_DIR is set)")
        return json.loads(path.read_text())
    with tempfile.TemporaryDirectory(prefix="tfplan-out-") as tmp:
        return json.loads(plan_all(Path(tmp), (root,))[root].read_text())


def planned_resources(plan: dict) -> list[dict]:
    """Every planned resource of every module: dicts with address, type and values."""
    found = []

    def walk(module: dict) -> None:
        found.extend(module.get("resources", []))
        for child in module.get("child_modules", []):
            walk(child)

    walk(plan["planned_values"]["root_module"])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="directory for <root>.plan.json")
    parser.add_argument("roots", nargs="*", default=list(ROOTS), help="roots under terraform/ (default: app bootstrap)")
    args = parser.parse_args()
    try:
        for root, path in plan_all(args.out, tuple(args.roots)).items():
            plan = json.loads(path.read_text())
            changes = plan.get("resource_changes", [])
            creates = sum(1 for c in changes if "create" in c["change"]["actions"])
            print(f"plan {root}: {creates} to add, {len(changes) - creates} other changes -> {path}")
    except PlanError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
