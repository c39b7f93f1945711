"""The fixed-window rate limiter: parsing rates, counting per purpose and client, the 429 answers."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from civsam.core import ratelimit
from civsam.core.ratelimit import Rate, RateLimited


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("5/m", Rate(5, 60)),
        ("100/h", Rate(100, 3600)),
        ("20/10m", Rate(20, 600)),
        ("1/s", Rate(1, 1)),
        ("3/d", Rate(3, 86400)),
    ],
)
def test_rates_parse(text, expected):
    assert Rate.parse(text) == expected


@pytest.mark.parametrize("text", ["5", "x/m", "5/w", "5/", "/m", "5/m5"])
def test_bad_rates_are_refused(text):
    with pytest.raises(ValueError):
        Rate.parse(text)


def test_the_limit_counts_per_purpose_and_key_within_a_window():
    now = 1_000_000.0
    assert [ratelimit.hit("signup", "1.2.3.4", "3/m", now=now) for _ in range(3)] == [0, 0, 0]
    wait = ratelimit.hit("signup", "1.2.3.4", "3/m", now=now + 10)
    assert 0 < wait <= 60
    # Another client, another purpose: counted apart.
    assert ratelimit.hit("signup", "5.6.7.8", "3/m", now=now) == 0
    assert ratelimit.hit("login", "1.2.3.4", "3/m", now=now) == 0
    # The next window starts afresh.
    assert ratelimit.hit("signup", "1.2.3.4", "3/m", now=now + 60) == 0


def test_keys_are_stored_as_digests():
    ratelimit.hit("register", "someone@example.se", "5/h", now=0)
    stored = list(getattr(cache, "_cache", {}).keys())
    assert stored and not any("someone@example.se" in str(key) for key in stored)


@pytest.mark.parametrize(
    "behind_proxy, forwarded, expected",
    [
        (False, "9.9.9.9", "10.0.0.1"),  # the header is ignored unless the proxy is trusted
        (True, "9.9.9.9", "9.9.9.9"),
        (True, "6.6.6.6, 9.9.9.9", "9.9.9.9"),  # what the client claimed comes first; the proxy appends
        (True, "", "10.0.0.1"),
    ],
)
def test_client_address(settings, behind_proxy, forwarded, expected):
    settings.CIVSAM_BEHIND_PROXY = behind_proxy
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_address(request) == expected


def test_check_raises_with_the_wait():
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2")
    ratelimit.check(request, "t", "1/m")
    with pytest.raises(RateLimited) as caught:
        ratelimit.check(request, "t", "1/m")
    assert 1 <= caught.value.retry_after <= 60
    assert "för många" in caught.value.message.lower()


@pytest.mark.django_db
def test_a_page_over_its_limit_answers_429_in_swedish():
    @ratelimit.limit("test-page", "2/m")
    def view(request):
        from django.http import HttpResponse

        return HttpResponse("ok")

    from civsam.core.middleware import RateLimitMiddleware

    middleware = RateLimitMiddleware(lambda request: view(request))
    request = RequestFactory().post("/x/", REMOTE_ADDR="10.0.0.3")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert view(request).status_code == 200
    assert view(request).status_code == 200
    with pytest.raises(RateLimited) as caught:
        view(request)
    response = middleware.process_exception(request, caught.value)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "För många försök" in response.content.decode()
