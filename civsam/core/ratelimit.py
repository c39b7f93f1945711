"""Rate limits for anonymous and abusable writes: one fixed-window counter per (purpose, client).

Counters live in Django's default cache: Redis in production (REDIS_URL), shared by every web
process; the zero-configuration local-memory cache counts per process, which is enough for one
`make run`. (django-ratelimit refuses the local-memory cache outright and warns about Django's own
Redis backend, so it would cost the zero-configuration default; see ADR 0056.)

A limit is hit with `check(request, purpose, rate)`; over the limit it raises `RateLimited`, which
`RateLimitMiddleware` answers with a Swedish 429 page and the API with 429 problem+json, both with
Retry-After.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """ "5/m", "100/h", "20/10m": count per period (a unit with an optional multiplier)."""
        count, _slash, period = text.partition("/")
        digits = period.rstrip("smhd") or "1"
        unit = period[len(digits) :] if period[: len(digits)] == digits else period
        if unit not in UNITS or not count.isdigit() or not digits.isdigit():
            raise ValueError(f"not a rate: {text!r}")
        return cls(int(count), int(digits) * UNITS[unit])


class RateLimited(Exception):
    def __init__(self, retry_after: int, message: str | None = None):
        super().__init__(message or str(DEFAULT_MESSAGE))
        self.retry_after = retry_after
        self.message = message or str(DEFAULT_MESSAGE)


DEFAULT_MESSAGE = _("Du har gjort för många försök på kort tid. Vänta en stund och försök igen.")


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind the documented TLS proxy (DJANGO_BEHIND_PROXY)
    the last address in X-Forwarded-For, which the trusted proxy appended itself (earlier entries
    are whatever the client claimed)."""
    if getattr(settings, "CIVSAM_BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _digest(value: str) -> str:
    # Keys hold e-mail addresses and IP addresses: store a digest, never the value.
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def hit(purpose: str, key: str, rate: Rate | str, *, now: float | None = None) -> int:
    """Count one hit for `key` and return the seconds to wait when over the limit, else 0."""
    rate = Rate.parse(rate) if isinstance(rate, str) else rate
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    cache_key = f"civsam:rl:{purpose}:{_digest(key)}:{window}"
    if cache.add(cache_key, 1, timeout=rate.seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=rate.seconds + 1)
            count = 1
    if count <= rate.count:
        return 0
    return max(1, int((window + 1) * rate.seconds - now))


def check(request, purpose: str, rate: Rate | str, *, key: str | None = None, message: str | None = None) -> None:
    """Raise RateLimited when this client (or `key`, e.g. an e-mail address) is over `rate` for `purpose`."""
    if not getattr(settings, "CIVSAM_RATE_LIMITS", True):
        return
    wait = hit(purpose, key if key is not None else client_address(request), rate)
    if wait:
        raise RateLimited(wait, message)


def limit(purpose: str, rate: str, *, methods: tuple[str, ...] = ("POST",)) -> Callable:
    """View decorator: limit requests of `methods` per client address."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                check(request, purpose, rate)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
