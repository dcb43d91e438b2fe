"""Run the consistency tests and print one summary line: `LABEL: N passed, N failed`.

    python3 checks/consistency/run.py [-v] [--label LABEL] [MODULE...]

MODULE names test modules of this directory (e.g. test_schema); default: all
test_*.py. LABEL defaults to "consistency".

Set TF_CHECK_PLAN_DIR to a directory written by tfplan.py to reuse plans;
otherwise the tests plan terraform/app offline themselves.
"""

from __future__ import annotations

import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    sys.path.insert(0, str(HERE))
    args = sys.argv[1:]
    verbosity = 2 if "-v" in args else 1
    args = [a for a in args if a != "-v"]
    label = "consistency"
    if args[:1] == ["--label"]:
        if len(args) < 2:
            print("error: --label needs a value", file=sys.stderr)
            return 2
        label, args = args[1], args[2:]
    loader = unittest.defaultTestLoader
    if args:
        suite = unittest.TestSuite(loader.loadTestsFromName(name) for name in args)
    else:
        suite = loader.discover(str(HERE), pattern="test_*.py", top_level_dir=str(HERE))
    result = unittest.TextTestRunner(verbosity=verbosity, stream=sys.stderr).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    if result.testsRun == 0:
        print(f"{label}: no tests found", file=sys.stderr)
        return 1
    print(f"{label}: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
