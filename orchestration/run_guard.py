"""What must hold before `mlw run` writes anything: the warehouse is writable, no other run is
writing it, and nothing a killed run left half-published lies around.

DuckDB allows one writer per file, and releases and the publication log must have one writer
too: two runs on one warehouse would interleave their writes (the second failing on a "load job
failed" that says nothing of why). A file lock beside the warehouse makes the second run stop at
once with a message naming the lock.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from orchestration.publication import remove_partial_releases
from orchestration.settings import Settings


class RunRefused(Exception):
    """The run cannot start; the message says why in one line."""


class RunLocked(RunRefused):
    """Another run holds the warehouse's lock."""


class WarehouseNotWritable(RunRefused):
    """The warehouse file or one of its folders cannot be written."""


def lock_path(settings: Settings) -> Path:
    return settings.warehouse_path.with_name(settings.warehouse_path.name + ".run.lock")


def check_writable(settings: Settings) -> None:
    """Raise WarehouseNotWritable when the run could not write the warehouse or its releases.
    Probed by opening for writing (not `os.access`, which says yes to root on a read-only or
    immutable file)."""
    warehouse = settings.warehouse_path
    for folder in (settings.warehouse_dir, settings.published_dir):
        if folder.exists():
            _probe_folder(folder)
        elif folder == settings.warehouse_dir:
            try:
                folder.mkdir(parents=True)
            except OSError as error:
                raise WarehouseNotWritable(
                    f"{folder}: cannot create the warehouse folder ({error.strerror})") from None
    if warehouse.exists():
        try:
            with open(warehouse, "r+b"):
                pass
        except OSError as error:
            raise WarehouseNotWritable(f"{warehouse}: the warehouse file is not writable "
                                       f"({error.strerror}); nothing was run") from None


def _probe_folder(folder: Path) -> None:
    probe = folder / f".mlw-write-probe-{os.getpid()}"
    try:
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise WarehouseNotWritable(f"{folder}: folder not writable ({error.strerror}); "
                                   "nothing was run") from None


@contextmanager
def run_guard(settings: Settings) -> Iterator[list[Path]]:
    """Hold the warehouse's run lock for the whole run; yields the leftovers of a killed
    publication that were removed once the lock was held."""
    check_writable(settings)
    lock = FileLock(str(lock_path(settings)), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise RunLocked(f"{settings.warehouse_path}: another `mlw run` is running on this "
                        f"warehouse (lock {lock_path(settings)} is held); nothing was run") from None
    except OSError as error:
        raise WarehouseNotWritable(f"{lock_path(settings)}: cannot create the run lock "
                                   f"({error.strerror}); nothing was run") from None
    try:
        yield remove_partial_releases(settings.published_dir) if settings.published_dir.is_dir() else []
    finally:
        lock.release()
