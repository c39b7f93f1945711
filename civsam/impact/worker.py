"""A calculation worker: a process of its own that runs the SROI engine for the web processes
(civsam.impact.pool; docs/adr/0075-bounded-social-value-calculations.md).

Started as ``python -m civsam.impact.worker --nice N --memory-mb M --locale DIR [--idle]``. It lowers
its own scheduling priority (with --idle, on Linux, also to the SCHED_IDLE class in a session of its
own; see `background`) and caps its address space, then answers tasks one at a time over its standard
input and output: a 4-byte big-endian length, then that many bytes of JSON, each way. A task is
``{"map": <a validated impact map>, "language": "sv"}``; the answer ``{"status": "ok", "body":
<the JSON answer as text>}``, ``{"status": "invalid", "errors": [[path, message], ...]}`` (figures
that are not finite numbers), ``{"status": "error", "message": ...}`` (a fault in the engine) or
``{"status": "memory"}``, after which the worker exits.

No database and no Django app: only the engine and Django's translations, so that the warnings and
labels come in the caller's language.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import struct
import sys
from typing import Any, BinaryIO

HEADER = struct.Struct(">I")


def read_message(stream: BinaryIO) -> Any | None:
    """One message from `stream`, or None at its end."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return json.loads(payload)


def write_message(stream: BinaryIO, message: Any) -> None:
    payload = json.dumps(message, ensure_ascii=False).encode("utf-8")
    stream.write(HEADER.pack(len(payload)) + payload)
    stream.flush()


def compute(task: dict[str, Any]) -> dict[str, Any]:
    """The engine's answer to one task, as a message."""
    from django.utils import translation

    from civsam.impact.engine import ImpactMapError, analyse_document, parse_impact_map, to_output

    with translation.override(task.get("language") or "sv"):
        try:
            impact_map, document = parse_impact_map(task["map"])
            body = to_output(analyse_document(document, impact_map)).model_dump_json(by_alias=True)
        except ImpactMapError as exc:
            return {"status": "invalid", "errors": [[e.path, e.message] for e in exc.errors]}
    return {"status": "ok", "body": body}


def _configure(locale: str) -> None:
    import django
    from django.conf import settings

    settings.configure(
        USE_I18N=True,
        LANGUAGE_CODE="sv",
        LANGUAGES=[("sv", "Svenska"), ("en", "English")],
        LOCALE_PATHS=[locale] if locale else [],
        INSTALLED_APPS=[],
    )
    django.setup()


def background(nice: int) -> None:
    """The lowest place in Linux's scheduler, as far as the system allows (each step is skipped where
    it is not available).

    - SCHED_IDLE: the worker runs only on CPU time no normal task wants, and a page request that
      wakes up takes the CPU from it at once (nice 19 alone still gets a small fair share, and it
      delays a waking page request);
    - a session of its own, whose autogroup gets the same nice value: with autogroups (the default
      on many distributions) Linux shares the CPU between sessions first, and a worker in the web
      process's session would spend that session's share, which its pages then lack on a busy
      machine."""
    with contextlib.suppress(OSError):
        os.setsid()
        with open("/proc/self/autogroup", "w", encoding="ascii") as autogroup:
            autogroup.write(str(nice))
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nice", type=int, default=19)
    parser.add_argument("--memory-mb", type=int, default=1024)
    parser.add_argument("--locale", default="")
    parser.add_argument("--idle", action="store_true", help="Also the SCHED_IDLE class, in a session of its own.")
    options = parser.parse_args(argv)
    if options.nice:
        os.nice(options.nice)
    if options.memory_mb:
        limit = options.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # The messages travel on the original standard output; anything a library prints goes to
    # standard error instead, where it cannot break a message.
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests = sys.stdin.buffer
    _configure(options.locale)
    # Import the engine now, not at the first task, so that the first caller does not wait for it.
    import civsam.impact.engine  # noqa: F401

    if options.idle:  # after the imports, which a busy machine would otherwise starve
        background(options.nice)
    write_message(channel, {"status": "ready"})
    while True:
        task = read_message(requests)
        if task is None:  # the web process has gone
            return 0
        try:
            answer = compute(task)
        except MemoryError:
            write_message(channel, {"status": "memory"})
            return 1
        except Exception as exc:  # a fault in the engine: the web process logs it and answers 500
            answer = {"status": "error", "message": f"{type(exc).__name__}: {exc}"}
        write_message(channel, answer)


if __name__ == "__main__":
    sys.exit(main())
