"""Peak memory of a process tree: this process and every process it starts (dbt runs as a child).

`resource.getrusage` cannot give it: RUSAGE_SELF is this process only, RUSAGE_CHILDREN the
largest single child already waited for, never their sum at one moment. So a thread samples the
resident set size (RSS) of this process and of all its descendants from /proc (Linux) every
`interval` seconds and keeps the largest sum. Pages shared between processes count once per
process (an over-estimate), and a peak shorter than the interval can be missed (an
under-estimate); at 0.1 s, dbt's and DuckDB's allocations, which last seconds, are seen.
Without /proc (macOS), `available` is False and only getrusage figures are meaningful.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_PROC = Path("/proc")
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
MIB = 1024 * 1024


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # the process ended meanwhile
        # fields after the command name (which may hold spaces and parentheses): state ppid ...
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def tree_rss(root: int) -> tuple[int, int]:
    """(RSS of `root`, RSS of all its descendants), in bytes, now."""
    children = _children_by_parent()
    sizes = []
    pending = [root]
    while pending:
        pid = pending.pop()
        pending.extend(children.get(pid, ()))
        try:
            sizes.append(int((_PROC / str(pid) / "statm").read_text().split()[1]) * _PAGE)
        except OSError:
            sizes.append(0)
    return sizes[0], sum(sizes[1:])


class TreeMemorySampler:
    """Context manager: samples while the block runs; then `peak_mib` (largest sum of this
    process, or of `root`, and its descendants), `peak_self_mib`, `peak_children_mib` (largest
    descendants' sum, not necessarily at the same moment) and `samples`."""

    def __init__(self, interval: float = 0.1, root: int | None = None):
        self.interval = interval
        self.root = root or os.getpid()  # another process: sample its tree, not this one's
        self.available = (_PROC / str(self.root) / "statm").is_file()
        self.peak = self.peak_self = self.peak_children = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-memory-sampler", daemon=True)

    def _sample(self) -> None:
        own, children = tree_rss(self.root)
        self.peak = max(self.peak, own + children)
        self.peak_self = max(self.peak_self, own)
        self.peak_children = max(self.peak_children, children)
        self.samples += 1

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> TreeMemorySampler:
        if self.available:
            self._sample()
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.available:
            self._stop.set()
            self._thread.join()
            self._sample()

    @property
    def peak_mib(self) -> float:
        return self.peak / MIB

    @property
    def peak_self_mib(self) -> float:
        return self.peak_self / MIB

    @property
    def peak_children_mib(self) -> float:
        return self.peak_children / MIB


def own_peak_rss_mib() -> float:
    """This process's peak RSS since it was started or exec'd (VmHWM, Linux). Unlike
    getrusage's ru_maxrss, it does not carry over the high-water mark of the process that
    forked this one; elsewhere, ru_maxrss is all there is."""
    try:
        for line in (_PROC / "self" / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    from benchmarks._corpus import peak_rss_mib

    return peak_rss_mib()
