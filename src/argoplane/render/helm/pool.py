"""Helm renders in worker processes, handed out before the walk gets to them.

The walk over Applications is sequential: its order is the output's order. The Helm renders
it needs are independent of each other, so when the walk sees a batch of Applications
coming (the children of an App of Apps, the Applications of an ApplicationSet), their
requests are handed to worker processes at once, and the walk takes each result when it
reaches the Application. Each worker renders with Helm's engine in process and loads a
chart once.

Helm's engine is a Go library loaded with ctypes, and a Go runtime does not survive `fork`:
workers are started with `forkserver` (a fresh interpreter that forks workers before any of
them loads the library) or, where that is not available, `spawn`. A worker sends back the
render as the render cache stores it (JSON), so the parent only decodes it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any, Literal

from argoplane.core.errors import ArgoplaneError
from argoplane.render.helm.request import HelmRequest

# what a worker sends back: the render as JSON (what the cache stores), the objects
# themselves when JSON cannot hold them exactly, or the error message
Outcome = tuple[Literal["json", "stored"], bytes] | tuple[Literal["objects"], Any] | tuple[
    Literal["error"], str]
Store = tuple[Path, str, bytes]  # where a render cache entry goes: path, key, inputs

_ENGINE = "helm_python"


def default_workers() -> int:
    """One worker per core the process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, cores)


# -- the worker side ----------------------------------------------------------------------
class _Worker:
    backend: Any = None  # the SdkBackend of this worker process


def _start_worker(preload: bool) -> None:
    if _ENGINE in sys.modules:
        # the library came with the process image (forked after it was loaded): unusable
        raise RuntimeError("the Helm engine was loaded before the worker started")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which ends them
    if preload:
        import helm_python  # noqa: F401  (loads the engine now, while the parent still plans)


def _backend() -> Any:
    """This worker's backend (the engine loads with its first render, if not before)."""
    if _Worker.backend is None:
        from argoplane.render.helm.backends import SdkBackend

        _Worker.backend = SdkBackend()
    return _Worker.backend


def _ready() -> int:
    return os.getpid()


def render_outcome(request: HelmRequest, store: Store | None = None) -> Outcome:
    """Render one request in a worker: JSON bytes, objects, or an error message; with
    `store`, the JSON is also written to the render cache there ("stored")."""
    outcome = outcome_of(_backend(), request)
    if store is not None and outcome[0] == "json":
        from argoplane.render.cache import write_entry

        try:
            write_entry(*store, outcome[1])
        except OSError:
            return outcome  # the parent tries again, and stops using the disk
        return ("stored", outcome[1])
    return outcome


def outcome_of(backend: Any, request: HelmRequest) -> Outcome:
    """Render one request with `backend`, as a worker sends it back."""
    from argoplane.render.cache import encode_render

    try:
        rendered = backend.render(request)
    except ArgoplaneError as exc:
        return ("error", str(exc))
    blob = encode_render(rendered)
    if blob is None:
        return ("objects", rendered)
    return ("json", blob)


# -- the parent side ----------------------------------------------------------------------
def _can_fork() -> bool:
    """Whether workers can be forked from this process now: it has neither loaded Helm's
    engine nor started a thread."""
    return ("fork" in multiprocessing.get_all_start_methods() and _ENGINE not in sys.modules
            and threading.active_count() == 1)


def _context() -> Any:
    """`fork` when `_can_fork()` (the workers then start at once, with every module already
    imported); otherwise `forkserver`, or `spawn` where that is not available."""
    if _can_fork():
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


@contextmanager
def _without_main_script() -> Iterator[None]:
    """Workers run argoplane's own functions only and need nothing from the main module, but
    multiprocessing runs the main script again in each new process (for the `argoplane`
    script: importing every command, a large part of a second). While workers start, the
    main module is named as argoplane's `__main__` module, which multiprocessing skips."""
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    main.__spec__ = ModuleSpec("argoplane.__main__", None)
    try:
        yield
    finally:
        main.__spec__ = None


class HelmPool:
    """Worker processes for Helm renders, started on first use; `close()` ends them."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self.failed = False  # the workers could not be used: render in process

    @property
    def started(self) -> bool:
        return self._executor is not None

    def start(self, *, preload: bool = True) -> None:
        """Start the workers now (with `preload`, they load Helm's engine while the caller
        goes on; otherwise with their first render)."""
        if self._executor is not None or self.failed:
            return
        try:
            with _without_main_script():
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=_context(),
                    initializer=_start_worker, initargs=(preload,))
                for _ in range(self.workers):
                    self._executor.submit(_ready)
        except (OSError, RuntimeError, ValueError):
            self.fail()

    def start_while_cheap(self) -> None:
        """Start the workers now if they can be forked (a moment's work); later, once a
        thread runs, starting them costs a fresh interpreter each."""
        if _can_fork():
            self.start(preload=False)

    def submit(self, request: HelmRequest, store: Store | None = None
               ) -> Future[Outcome] | None:
        """The render's future, or None when the pool cannot be used; `store`: write the
        render to the cache there."""
        self.start()
        if self._executor is None:
            return None
        try:
            with _without_main_script():
                return self._executor.submit(render_outcome, request, store)
        except (OSError, RuntimeError, ValueError):
            self.fail()
            return None

    def fail(self) -> None:
        """Stop using the workers (one died, or they could not start)."""
        self.failed = True
        self.close()

    def close(self) -> None:
        """End the workers; renders not yet taken are cancelled."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
