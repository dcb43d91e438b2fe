"""Check the Terraform against the committed schema of hashicorp/aws 6.25.0.

`terraform validate` with the offline provider already rejects unknown
arguments and blocks; this test reads the configuration Terraform itself parsed
(the `configuration` section of the offline plans of terraform/app and
terraform/bootstrap, every module included) and checks it against the schema
file directly (tools/terraform-offline/schema/aws-6.25.0.json.gz):

- every resource and data source type exists in the provider;
- every argument and nested block set is one the type (or block) has, and is
  not a read-only (computed-only) attribute;
- every required argument is set;
- every reference to an attribute of a resource or data source names an
  attribute that type has.

Blocks written with `dynamic` do not appear in the plan's configuration; validate
covers them.
"""

from __future__ import annotations

import gzip
import json
import re
import unittest

from tfplan import REPO_ROOT, load_plan

SCHEMA_PATH = REPO_ROOT / "tools" / "terraform-offline" / "schema" / "aws-6.25.0.json.gz"
META_ARGUMENTS = {"count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection"}
REFERENCE = re.compile(r"^(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.([A-Za-z0-9_]+)")


def load_schema() -> tuple[dict, dict]:
    with gzip.open(SCHEMA_PATH, "rt") as f:
        schema = json.load(f)
    provider = schema["provider_schemas"]["registry.terraform.io/hashicorp/aws"]
    return provider["resource_schemas"], provider["data_source_schemas"]


def modules(module: dict, path: str = "root"):
    yield path, module
    for name, call in module.get("module_calls", {}).items():
        yield from modules(call["module"], f"{path}.{name}")


def check_block(block_schema: dict, expressions: dict, where: str, problems: list[str], top: bool) -> None:
    attributes = block_schema.get("attributes", {})
    block_types = block_schema.get("block_types", {})
    for key, value in expressions.items():
        if top and key in META_ARGUMENTS:
            continue
        if key in attributes:
            attribute = attributes[key]
            if attribute.get("computed") and not (attribute.get("optional") or attribute.get("required")):
                problems.append(f"{where}: `{key}` is read-only")
        elif key in block_types:
            nested = block_types[key]["block"]
            for item in value if isinstance(value, list) else [value]:
                check_block(nested, item, f"{where}.{key}", problems, False)
        else:
            problems.append(f"{where}: unknown argument or block `{key}`")
    for key, attribute in attributes.items():
        if attribute.get("required") and key not in expressions:
            problems.append(f"{where}: required argument `{key}` is missing")


def references(value):
    if isinstance(value, dict):
        if "references" in value and isinstance(value["references"], list):
            yield from value["references"]
        for child in value.values():
            yield from references(child)
    elif isinstance(value, list):
        for child in value:
            yield from references(child)


class Schema(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.resources, cls.data_sources = load_schema()
        cls.plans = {root: load_plan(root) for root in ("app", "bootstrap")}

    def test_schema_file_is_the_real_provider(self):
        self.assertGreater(len(self.resources), 1500)
        self.assertGreater(len(self.data_sources), 600)

    def test_configuration_matches_the_schema(self):
        checked = 0
        for root, plan in self.plans.items():
            for path, module in modules(plan["configuration"]["root_module"], root):
                for resource in module.get("resources", []):
                    where = f"{path}.{resource['address']}"
                    table = self.resources if resource["mode"] == "managed" else self.data_sources
                    with self.subTest(resource=where):
                        self.assertIn(resource["type"], table, f"{where}: no such {resource['mode']} type in hashicorp/aws 6.25.0")
                        problems: list[str] = []
                        check_block(table[resource["type"]]["block"], resource.get("expressions", {}), where, problems, True)
                        self.assertEqual(problems, [])
                        checked += 1
        self.assertGreater(checked, 40, "too few resources found in the plans' configuration")

    def test_references_name_existing_attributes(self):
        checked = 0
        for root, plan in self.plans.items():
            for path, module in modules(plan["configuration"]["root_module"], root):
                types = {
                    ("data." if r["mode"] == "data" else "") + f"{r['type']}.{r['name']}": r
                    for r in module.get("resources", [])
                }
                sources = [module.get("outputs", {}), *(r.get("expressions", {}) for r in module.get("resources", []))]
                sources += [call.get("expressions", {}) for call in module.get("module_calls", {}).values()]
                for reference in {ref for source in sources for ref in references(source)}:
                    match = REFERENCE.match(reference)
                    if not match:
                        continue
                    data, type_, name, attribute = match.groups()
                    key = f"{data or ''}{type_}.{name}"
                    if key not in types:
                        continue
                    table = self.data_sources if data else self.resources
                    block = table[type_]["block"]
                    with self.subTest(module=path, reference=reference):
                        self.assertTrue(
                            attribute in block.get("attributes", {}) or attribute in block.get("block_types", {}),
                            f"{path}: {reference}: {type_} has no attribute `{attribute}`",
                        )
                        checked += 1
        self.assertGreater(checked, 20, "too few attribute references found")


if __name__ == "__main__":
    unittest.main()
