"""Writing a file safely: never over a file the run read, and never half a file.

Every file postcost writes (``total -o``, ``schema -o``, ``new``) goes through
:func:`replacing`. It refuses a target that is one of the run's inputs (compared after resolving
symlinks and relative paths, and by device and inode, so a hard link counts too), then writes to
a hidden temporary file beside the target (``.NAME.XXXXXX.tmp``) and moves it over the target
with :func:`os.replace` only once it is complete. A run that fails or is stopped (an error,
Ctrl-C, SIGTERM) removes its temporary file and leaves the previous file as it was; a run killed
with SIGKILL cannot clean up, so its temporary file may remain, but the target is still whole.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from postcost.errors import PostcostError, Problem


def _same_file(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # either does not exist (yet)
        return False


def refuse_inputs(target: Path, inputs: Iterable[str | Path]) -> None:
    """Raise PostcostError if writing ``target`` would replace one of ``inputs``."""
    for read in inputs:
        if _same_file(target, Path(read)):
            raise PostcostError([Problem(
                str(target), None, f"is a file this run reads ({read}); postcost never writes over its inputs",
                "give -o another file name",
            )])


def _mode_for(target: Path) -> int:
    """The permissions the written file gets: the old file's, or what a new file would get."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` to write; on success it replaces ``target``.

    OSErrors (no such folder, no permission, disk full) become one PostcostError naming the
    target. On any failure or interruption the temporary file is removed."""

    def cannot(exc: OSError) -> PostcostError:
        return PostcostError([Problem(str(target), None, f"cannot be written: {exc.strerror or exc}")])

    if target.is_dir():
        raise PostcostError([Problem(str(target), None, "is a folder", "give a file name to write")])
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise cannot(exc) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise cannot(exc) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_text(target: Path, write) -> None:
    """Write a UTF-8 text file through :func:`replacing`: ``write(handle)`` writes its content."""
    with replacing(target) as temporary:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            write(handle)
