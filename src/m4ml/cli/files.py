"""Writing outputs safely: a temporary file in the target folder, then an atomic rename.

An interrupted run leaves no half-written file at an output path, and never replaces an existing
one unless the user asked (``--force``). A symbolic link at an output path is refused rather
than followed, so a planted link cannot redirect a write elsewhere.
"""

import contextlib
import os
import tempfile
from pathlib import Path

from m4ml.cli.errors import DataError, UsageProblem

__all__ = ["atomic_write", "check_output_file", "spreadsheet_safe"]


def check_output_file(path, force):
    """Refuse a symlink at ``path``, or an existing file without ``force``; return the Path."""
    path = Path(path)
    if path.is_symlink():
        raise DataError(f"{path} is a symbolic link; refusing to write through it")
    if path.exists():
        if path.is_dir():
            raise UsageProblem(f"{path} is a directory; give a file name with --out")
        if not force:
            raise DataError(f"{path} exists; use --force to replace it")
    if not path.parent.exists():
        raise UsageProblem(f"the folder {path.parent} does not exist")
    return path


def atomic_write(path, data):
    """Write ``data`` (str or bytes) to ``path`` via a temporary file in the same folder.

    The temporary file is renamed over ``path`` only once it is complete and flushed, so readers
    see the old file or the new one, never a partial one; on any error it is removed.
    """
    path = Path(path)
    if path.is_symlink():
        raise DataError(f"{path} is a symbolic link; refusing to write through it")
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def spreadsheet_safe(value):
    """Neutralise a text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR).

    Text starting with one of those characters gets a leading apostrophe; numbers are returned
    unchanged (a negative number is data, not a formula).
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
