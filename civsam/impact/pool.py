"""A bounded pool of calculation workers per web process (docs/adr/0075-bounded-social-value-calculations.md).

Heavy calculations run in worker processes of their own (civsam.impact.worker), never in a web
process's threads: the engine's Python parts hold the GIL, so in a thread they would stall the
pages served by the same process. The workers run at a lower scheduling priority (NICE; on Linux
also in the SCHED_IDLE class, in a session of their own: SCHED_IDLE), so that the kernel gives
page requests the CPU first, and with a capped address space (MEMORY_MB).

Per web process at most WORKERS calculations run and QUEUE more wait for a worker; any request
beyond those is refused at once (Busy, answered 503 with Retry-After), so calculations can hold
at most WORKERS + QUEUE of a web process's threads. A calculation that is not done within
TIMEOUT_SECONDS (waiting included) is refused with TimedOut and its worker stopped; a new one
starts for the next task. Workers start when first needed and end with their web process (they
stop when their standard input closes).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import queue
import select
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings

from .limits import Limits, limits
from .worker import HEADER

logger = logging.getLogger("civsam.impact.pool")

# The directory that holds the civsam package: the workers import it from there.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
RETRY_AFTER_SECONDS = 5


class Busy(Exception):
    """Every worker is busy and the queue is full, or no worker came free in time."""

    retry_after = RETRY_AFTER_SECONDS


class TimedOut(Exception):
    """The calculation did not finish within the time limit; its worker has been stopped."""

    retry_after = RETRY_AFTER_SECONDS


class OutOfMemory(Exception):
    """The calculation needed more memory than a worker may use."""


class WorkerFailed(Exception):
    """The worker failed (a fault in the engine, or the process died)."""


def _locale_path() -> str:
    paths = getattr(settings, "LOCALE_PATHS", None) or []
    return str(paths[0]) if paths else ""


class Worker:
    def __init__(self, *, nice: int, memory_mb: int, deadline: float, sched_idle: bool = False):
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join([str(PROJECT_ROOT), *filter(None, [environment.get("PYTHONPATH")])])
        # One thread per worker: the pool, not BLAS, decides how many cores calculations get.
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            environment[name] = "1"
        environment.pop("DJANGO_SETTINGS_MODULE", None)  # the worker configures only translations
        # Our own interpreter and module, with numbers only: no input from a request.
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "civsam.impact.worker",
                "--nice",
                str(nice),
                "--memory-mb",
                str(memory_mb),
                "--locale",
                _locale_path(),
                *(["--idle"] if sched_idle else []),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=PROJECT_ROOT,
            env=environment,
            close_fds=True,
        )
        try:
            ready = self._receive(deadline)
        except (TimedOut, WorkerFailed):
            self.stop()
            raise
        if ready.get("status") != "ready":
            self.stop()
            raise WorkerFailed(f"the worker did not start: {ready!r}")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def _read(self, size: int, deadline: float) -> bytes:
        assert self.process.stdout is not None
        stream = self.process.stdout
        data = b""
        while len(data) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimedOut
            readable, _writable, _failed = select.select([stream], [], [], remaining)
            if not readable:
                raise TimedOut
            chunk = os.read(stream.fileno(), size - len(data))
            if not chunk:
                raise WorkerFailed(f"the worker ended (exit status {self.process.poll()})")
            data += chunk
        return data

    def _receive(self, deadline: float) -> dict[str, Any]:
        (size,) = HEADER.unpack(self._read(HEADER.size, deadline))
        message: dict[str, Any] = json.loads(self._read(size, deadline))
        return message

    def call(self, task: dict[str, Any], deadline: float) -> dict[str, Any]:
        assert self.process.stdin is not None
        payload = json.dumps(task, ensure_ascii=False).encode("utf-8")
        try:
            self.process.stdin.write(HEADER.pack(len(payload)) + payload)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise WorkerFailed("the worker does not take tasks") from exc
        return self._receive(deadline)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class Pool:
    def __init__(self, current: Limits):
        self.limits = current
        self._places = threading.BoundedSemaphore(current.workers + current.queue)
        # Idle workers; None stands for a worker not started yet (or stopped), started on use.
        self._idle: queue.LifoQueue[Worker | None] = queue.LifoQueue()
        for _place in range(current.workers):
            self._idle.put(None)
        self._all: list[Worker] = []
        self._lock = threading.Lock()

    @contextmanager
    def place(self) -> Iterator[None]:
        """A place among the WORKERS + QUEUE calculations of this process; Busy when there is none.
        Taken before a request's body is parsed, so that a flood costs a refusal each."""
        if not self._places.acquire(blocking=False):
            raise Busy
        try:
            yield
        finally:
            self._places.release()

    def run(self, task: dict[str, Any], *, timeout: float | None = None) -> dict[str, Any]:
        """The worker's answer to `task`; raises Busy, TimedOut, OutOfMemory or WorkerFailed."""
        with self.place():
            return self.compute(task, timeout=timeout)

    def compute(self, task: dict[str, Any], *, timeout: float | None = None) -> dict[str, Any]:
        """Like run, for a caller that holds a place already."""
        deadline = time.monotonic() + (timeout if timeout is not None else self.limits.timeout_seconds)
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise Busy from None
        try:
            if worker is None or not worker.alive:
                worker = self._start(deadline)
            answer = worker.call(task, deadline)
            if answer.get("status") == "memory":
                raise OutOfMemory
            if answer.get("status") == "error":
                raise WorkerFailed(answer.get("message", ""))
            return answer
        except (TimedOut, OutOfMemory, WorkerFailed):
            if worker is not None:
                self._forget(worker)
                worker = None
            raise
        finally:
            self._idle.put(worker)

    def _start(self, deadline: float) -> Worker:
        worker = Worker(
            nice=self.limits.nice, memory_mb=self.limits.memory_mb, deadline=deadline, sched_idle=self.limits.sched_idle
        )
        with self._lock:
            self._all.append(worker)
        return worker

    def _forget(self, worker: Worker) -> None:
        worker.stop()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.stop()


_pool: Pool | None = None
_pool_key: tuple[Any, ...] | None = None
_pool_lock = threading.Lock()


def get_pool() -> Pool:
    """This process's pool, made when first needed, and made anew after a fork or when the limits
    that shape it have changed."""
    global _pool, _pool_key
    current = limits()
    key = (os.getpid(), current.workers, current.queue, current.nice, current.memory_mb, current.sched_idle)
    with _pool_lock:
        if _pool is None or _pool_key != key:
            if _pool is not None and _pool_key is not None and _pool_key[0] == os.getpid():
                _pool.close()
            _pool = Pool(current)
            _pool_key = key
        return _pool


@atexit.register
def _close_pool() -> None:
    if _pool is not None and _pool_key is not None and _pool_key[0] == os.getpid():
        _pool.close()


def calculate(impact_map: dict[str, Any], *, language: str) -> dict[str, Any]:
    """Run the SROI analysis of a validated map in a worker; the worker's answer (see worker.py).
    For a caller that holds a place (`with get_pool().place():`)."""
    return get_pool().compute({"map": impact_map, "language": language}, timeout=limits().timeout_seconds)
