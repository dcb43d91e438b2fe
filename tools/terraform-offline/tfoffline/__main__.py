"""``python -m tfoffline`` starts the provider (what Terraform runs)."""

import sys

from .server import main

sys.exit(main())
