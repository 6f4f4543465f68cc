"""``python -m coopeval.cli``: the ``coopeval`` command."""

import sys

from coopeval.cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
