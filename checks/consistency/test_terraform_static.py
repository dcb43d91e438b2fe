"""Static rules for terraform/: tested validations, documented modules, pinned versions."""

from __future__ import annotations

import json
import re
import tempfile
import unittest
from pathlib import Path

from hcl_scan import blocks, masked
from tfplan import REPO_ROOT

TERRAFORM = REPO_ROOT / "terraform"
ROOTS = [TERRAFORM / "app", TERRAFORM / "bootstrap"]
MODULES = sorted(p for p in (TERRAFORM / "modules").iterdir() if p.is_dir())
CONFIGS = ROOTS + MODULES


def config_blocks(directory: Path):
    for path in sorted(directory.glob("*.tf")):
        yield from blocks(path.read_text())


class Validations(unittest.TestCase):
    def test_every_validation_has_a_run_that_expects_it_to_fail(self):
        for directory in CONFIGS:
            with self.subTest(config=str(directory.relative_to(REPO_ROOT))):
                validations = {
                    b.labels[0]: len(re.findall(r"^\s*validation\s*\{", masked(b.body), re.M))
                    for b in config_blocks(directory)
                    if b.type == "variable"
                }
                expected: dict[str, int] = {}
                for test_file in sorted((directory / "tests").glob("*.tftest.hcl")):
                    for run in blocks(test_file.read_text()):
                        if run.type != "run":
                            continue
                        match = re.search(r"expect_failures\s*=\s*\[([^\]]*)\]", run.body)
                        if match:
                            for name in re.findall(r"var\.([a-z0-9_]+)", match.group(1)):
                                expected[name] = expected.get(name, 0) + 1
                for name, count in validations.items():
                    if count:
                        self.assertGreaterEqual(
                            expected.get(name, 0),
                            count,
                            f"variable {name} has {count} validation block(s) but {expected.get(name, 0)} run(s) with expect_failures = [var.{name}]",
                        )
                for name in expected:
                    self.assertIn(name, validations, f"a run expects var.{name} to fail, but there is no such variable")
                    self.assertGreater(validations[name], 0, f"a run expects var.{name} to fail, but it has no validation")

    def test_every_config_has_terraform_tests(self):
        for directory in CONFIGS:
            with self.subTest(config=str(directory.relative_to(REPO_ROOT))):
                files = list((directory / "tests").glob("*.tftest.hcl"))
                self.assertTrue(files, "no tests/*.tftest.hcl")
                for test_file in files:
                    self.assertRegex(test_file.read_text(), r'mock_provider\s+"aws"', f"{test_file.name} must use mock_provider \"aws\" (offline)")


class Documentation(unittest.TestCase):
    def test_every_module_readme_lists_its_inputs_and_outputs(self):
        for directory in CONFIGS:
            with self.subTest(config=str(directory.relative_to(REPO_ROOT))):
                readme = directory / "README.md"
                self.assertTrue(readme.exists(), "README.md is missing")
                text = readme.read_text()
                for block in config_blocks(directory):
                    if block.type in ("variable", "output"):
                        self.assertIn(f"`{block.labels[0]}`", text, f"README.md does not document {block.type} {block.labels[0]}")


class Versions(unittest.TestCase):
    def test_terraform_and_provider_are_pinned(self):
        for directory in CONFIGS:
            with self.subTest(config=str(directory.relative_to(REPO_ROOT))):
                text = (directory / "versions.tf").read_text()
                self.assertRegex(text, r'required_version\s*=\s*">= 1\.10"')
                self.assertRegex(text, r'source\s*=\s*"hashicorp/aws"')
                self.assertRegex(text, r'version\s*=\s*"~> 6\.0"')

    def test_only_the_aws_provider_and_local_modules(self):
        for directory in CONFIGS:
            with self.subTest(config=str(directory.relative_to(REPO_ROOT))):
                for path in sorted(directory.glob("*.tf")):
                    providers = set(re.findall(r'^\s*(?:resource|data)\s+"([a-z0-9]+)_', path.read_text(), re.M))
                    self.assertLessEqual(providers, {"aws"}, f"{path.name} uses a provider other than aws: {providers}")
                    for block in blocks(path.read_text()):
                        if block.type == "module":
                            source = re.search(r'source\s*=\s*"([^"]+)"', block.body)
                            self.assertIsNotNone(source)
                            self.assertTrue(source.group(1).startswith("../"), f"module {block.labels[0]} must be a local module, not {source.group(1)}")

    def test_no_lock_file_with_fake_hashes(self):
        # A lock file must carry the real provider's hashes, which cannot be
        # obtained offline; `terraform init` writes one for the user.
        for directory in ROOTS:
            lock = directory / ".terraform.lock.hcl"
            if lock.exists():
                self.assertIn("h1:", lock.read_text(), f"{lock} has no provider hashes")


def assigned_variables(path: Path) -> set[str]:
    """Top-level variable names a variable definitions file sets (HCL or JSON)."""
    text = path.read_text()
    if path.name.endswith(".json"):
        return set(json.loads(text))
    names, depth = set(), 0
    for line in masked(text).splitlines():
        match = re.match(r"\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=(?!=)", line)
        if match and depth == 0:
            names.add(match.group(1))
        depth += sum(line.count(c) for c in "{[(") - sum(line.count(c) for c in "}])")
    return names


class CommittedVariables(unittest.TestCase):
    # The Deploy workflow passes the image as TF_VAR_image. Terraform gives every
    # *.auto.tfvars file precedence over environment variables, so an `image` in
    # one would silently replace the image of every deployment and rollback.
    def test_auto_tfvars_leave_the_image_to_the_pipeline(self):
        for directory in ROOTS:
            for path in sorted([*directory.glob("*.auto.tfvars"), *directory.glob("*.auto.tfvars.json")]):
                with self.subTest(file=str(path.relative_to(REPO_ROOT))):
                    self.assertNotIn("image", assigned_variables(path), f"{path.name} must not set image: it would override the image the Deploy workflow passes (TF_VAR_image)")

    def test_assigned_variables_reads_hcl_and_json(self):
        # The check above only means something if settings are recognized.
        with tempfile.TemporaryDirectory() as tmp:
            hcl = Path(tmp) / "production.auto.tfvars"
            hcl.write_text('# image = "commented out"\nname = "sts"\nimage   = "repo@sha256:0"\ntags = {\n  image = "a tag, not a variable"\n}\nnote = "image = x"\n')
            self.assertEqual(assigned_variables(hcl), {"name", "image", "tags", "note"})
            hcl.write_text('min_capacity = 3\n# image = "commented out"\ntags = {\n  image = "a tag"\n}\nalarm_actions = [\n  "image = x",\n]\n')
            self.assertEqual(assigned_variables(hcl), {"min_capacity", "tags", "alarm_actions"})
            js = Path(tmp) / "production.auto.tfvars.json"
            js.write_text(json.dumps({"image": "repo:1.0.0", "max_capacity": 4}))
            self.assertEqual(assigned_variables(js), {"image", "max_capacity"})


if __name__ == "__main__":
    unittest.main()
