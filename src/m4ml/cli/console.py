"""Terminal output: rich consoles (colour only on a terminal) and escaping of untrusted text.

Column names, category levels and labels come from the user's CSV. Before they reach the
terminal, control characters (which could move the cursor or rewrite the screen) are shown as
escapes and rich's ``[markup]`` is neutralised.
"""

import re

__all__ = ["err_console", "out_console", "safe", "safe_text"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe(value):
    """``str(value)`` with control and bidi characters shown as ``\\xNN`` escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", str(value))


def safe_text(value, style=None):
    """A :class:`rich.text.Text` of ``safe(value)``: printed literally, never parsed as markup."""
    from rich.text import Text

    return Text(safe(value), style=style)


def _console(stderr):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


_CONSOLES = {}


def out_console():
    """The stdout console (created on first use)."""
    if "out" not in _CONSOLES:
        _CONSOLES["out"] = _console(False)
    return _CONSOLES["out"]


def err_console():
    """The stderr console (created on first use)."""
    if "err" not in _CONSOLES:
        _CONSOLES["err"] = _console(True)
    return _CONSOLES["err"]
