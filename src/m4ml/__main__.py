"""``python -m m4ml``: print the tour of every module, each result beside its check."""

import sys

from m4ml.tour import main

if __name__ == "__main__":
    sys.exit(main())
