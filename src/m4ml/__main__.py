"""``python -m m4ml``: the ``m4ml`` command (see ``python -m m4ml --help``)."""

import sys

from m4ml.cli import main

if __name__ == "__main__":
    sys.exit(main())
