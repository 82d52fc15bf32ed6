"""Run a command and measure it: wall time, peak RSS of its largest process, peak memory of its whole tree.

Peak RSS comes from the kernel (`wait4` rusage, the same figure as `/usr/bin/time -v`): the largest resident set of
the process or any of its descendants. A parallel build forks workers that share memory copy-on-write, so the tree's
total is sampled too, as PSS (proportional set size: shared pages are divided among the processes sharing them)
from /proc every 50 ms.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    seconds: float
    max_rss_mb: float  # the largest single process
    tree_pss_mb: float  # the whole process tree, sampled
    returncode: int
    load: float  # 1-minute load average before the run
    cpu_s: float = 0.0  # user + system time of the process and every process it waited for


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                out.extend(int(c) for c in handle.read().split())
    except OSError:
        pass
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_kb(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _pss_kb(current)
        stack.extend(_children(current))
    return total


def settle() -> None:
    """Flush what the bench wrote or deleted before a measured run (a cleared site is 10,000 files at N = 4,000): the
    filesystem would otherwise finish that work during the run and charge it to the tool measured (at N = 4,000, 3 s
    of system time more in a cold build, and the same for Hugo's and Pagefind's fresh folders)."""
    os.sync()
    time.sleep(0.5)


def run(cmd: list[str], cwd: Path, env: dict | None = None, quiet: bool = True) -> Run:
    settle()
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL if quiet else None, stderr=subprocess.PIPE
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, tree_pss_kb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} failed ({process.returncode}):\n{stderr.decode(errors='replace')[-3000:]}"
        )
    return Run(
        seconds,
        usage.ru_maxrss / 1024,
        max(peak, usage.ru_maxrss) / 1024 if peak == 0 else peak / 1024,
        process.returncode,
        load,
        usage.ru_utime + usage.ru_stime,
    )
