"""Shared by the benchmarks: latency percentiles and the resident memory of running processes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import psutil


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def resident_memory(ports: Mapping[str, int]) -> dict[str, float]:
    """Resident MB of the process (and its children) listening on each named port; a port
    nobody listens on is left out."""
    pids = {
        c.laddr.port: c.pid
        for c in psutil.net_connections(kind="tcp")
        if c.status == psutil.CONN_LISTEN and c.pid
    }
    memory: dict[str, float] = {}
    for name, port in ports.items():
        if port in pids:
            process = psutil.Process(pids[port])
            family = [process, *process.children(recursive=True)]
            memory[name] = sum(p.memory_info().rss for p in family if p.is_running()) / 2**20
    return memory
