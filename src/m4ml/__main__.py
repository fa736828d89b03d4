"""``python -m m4ml``: the ``m4ml`` command (see ``python -m m4ml --help``)."""

import sys

if __name__ == "__main__":
    try:
        from m4ml.cli import main
    except KeyboardInterrupt:  # interrupted while starting up
        sys.stderr.write("m4ml: interrupted\n")
        sys.exit(130)
    sys.exit(main())
