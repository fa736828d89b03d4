"""m4ml.cli: the ``m4ml`` command (``m4ml report``, ``fit``, ``predict``, ``datasets``, ``tour``).

Built on click, with rich for tables and progress; every heavy import (pandas, matplotlib,
rich, jinja2, skops) happens inside the command that needs it, so ``m4ml --help`` stays fast.

Exit codes: 0 success; 2 a usage error (unknown option or command, missing argument, a path
that does not exist, an unknown model name); 1 a data or model problem found while running;
130 interrupted. Failures print one line on stderr; ``--debug`` (anywhere on the command line)
shows the traceback as well.
"""

import sys
from collections.abc import Sequence

__all__ = ["main"]


def _error_line(message):
    from m4ml.cli.console import safe

    sys.stderr.write(f"m4ml: error: {safe(message)}\n")


def _terminate_as_interrupt():
    """Turn SIGTERM (a kill) into KeyboardInterrupt, so temporary files are cleaned up."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    def handler(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    try:
        return _main(argv)
    except KeyboardInterrupt:  # also during the imports, before click is running
        sys.stderr.write("m4ml: interrupted\n")
        return 130


def _main(argv):
    import click

    from m4ml.cli.app import cli
    from m4ml.cli.errors import DataError, UsageProblem

    _terminate_as_interrupt()
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    if not argv:
        argv = ["--help"]
    try:
        result = cli.main(args=argv, prog_name="m4ml", standalone_mode=False)
    except click.exceptions.UsageError as exc:
        if debug:
            raise
        hint = ""
        if exc.ctx is not None:
            hint = f" (see '{exc.ctx.command_path} --help')"
        _error_line(exc.format_message() + hint)
        return 2
    except click.exceptions.Abort:
        sys.stderr.write("m4ml: interrupted\n")
        return 130
    except KeyboardInterrupt:
        sys.stderr.write("m4ml: interrupted\n")
        return 130
    except click.exceptions.ClickException as exc:  # e.g. a file click could not open
        if debug:
            raise
        _error_line(exc.format_message())
        return exc.exit_code if exc.exit_code in (1, 2) else 1
    except (DataError, UsageProblem) as exc:
        if debug:
            raise
        _error_line(str(exc))
        return exc.exit_code
    except Exception as exc:
        if debug:
            raise
        _error_line(f"{type(exc).__name__}: {exc} (run again with --debug for the traceback)")
        return 1
    return result if isinstance(result, int) else 0
