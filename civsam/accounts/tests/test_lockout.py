"""Failed logins lock the (name, client) pair, never the name alone, and the client is read from
the proxy's header only behind the documented TLS proxy (issue #11, ADR 0080)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

PASSWORD = "secret-pass-123"
PROXY = "10.0.0.2"  # every request reaches Civsam from the proxy's address


def _login(client, password: str, *, forwarded: str | None = None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("accounts:login"), {"login": "officer", "password": password}, **extra)


def test_behind_the_proxy_a_stranger_locks_only_themself_out(users, settings):
    settings.CIVSAM_BEHIND_PROXY = True
    stranger, owner = Client(), Client()
    for attempt in range(5):
        _login(stranger, f"fel-{attempt}", forwarded="203.0.113.66")
    assert _login(stranger, PASSWORD, forwarded="203.0.113.66").status_code == 429
    # Counted against the stranger's own address, as the proxy reported it (the last entry; the
    # ones before it are whatever the client claimed).
    assert AccessAttempt.objects.get(username="officer").ip_address == "203.0.113.66"

    # The owner, behind the same proxy at another address, logs in.
    response = _login(owner, PASSWORD, forwarded="198.51.100.7")
    assert response.status_code == 302 and owner.session[SESSION_KEY] == str(users["officer"].pk)


def test_many_strangers_behind_the_proxy_do_not_lock_the_owner_out(users, settings):
    settings.CIVSAM_BEHIND_PROXY = True
    for n in range(1, 8):
        client = Client()
        for attempt in range(5):
            _login(client, f"fel-{attempt}", forwarded=f"spoofed, 203.0.113.{n}")
    assert _login(Client(), PASSWORD, forwarded="198.51.100.7").status_code == 302


def test_a_forged_header_cannot_pass_for_the_proxy_s_entry(users, settings):
    """The client may send its own X-Forwarded-For; the proxy appends the real address last."""
    settings.CIVSAM_BEHIND_PROXY = True
    stranger = Client()
    for attempt in range(5):
        _login(stranger, f"fel-{attempt}", forwarded=f"198.51.100.{attempt}, 203.0.113.66")
    assert _login(stranger, PASSWORD, forwarded="198.51.100.99, 203.0.113.66").status_code == 429


def test_without_the_proxy_the_header_is_ignored(users, settings):
    settings.CIVSAM_BEHIND_PROXY = False
    stranger = Client()
    # Changing X-Forwarded-For does not give a client a new address to guess from.
    for attempt in range(5):
        _login(stranger, f"fel-{attempt}", forwarded=f"203.0.113.{attempt}", remote="192.0.2.50")
    assert _login(stranger, PASSWORD, forwarded="203.0.113.200", remote="192.0.2.50").status_code == 429
    assert AccessAttempt.objects.get(username="officer").ip_address == "192.0.2.50"
    # The owner at another address is not locked out.
    assert _login(Client(), PASSWORD, remote="192.0.2.51").status_code == 302


def test_a_login_by_e_mail_address_counts_for_that_name_and_client(users, settings):
    users["officer"].email = "officer@example.se"
    users["officer"].save()
    stranger = Client()
    for attempt in range(5):
        data = {"login": "Officer@Example.se", "password": f"fel-{attempt}"}
        stranger.post(reverse("accounts:login"), data, REMOTE_ADDR="192.0.2.9")
    response = stranger.post(
        reverse("accounts:login"), {"login": "officer@example.se", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code == 429
    assert AccessAttempt.objects.get(username="officer@example.se").ip_address == "192.0.2.9"


def test_a_login_without_a_client_address_is_logged_without_one(users, client):
    """force_login, a management command or a proxy that sent no address: the access log stores no
    address rather than a word that PostgreSQL's inet column refuses (an earlier "unknown" broke
    every force_login on PostgreSQL)."""
    from axes.models import AccessLog

    client.force_login(users["officer"])
    assert client.get(reverse("site:dashboard")).status_code == 200
    assert AccessLog.objects.get(username="officer").ip_address is None


def test_a_login_from_a_garbled_forwarded_header_counts_without_an_address(users, settings):
    settings.CIVSAM_BEHIND_PROXY = True
    response = _login(Client(), PASSWORD, forwarded="inte-en-adress")
    assert response.status_code == 302
    from axes.models import AccessLog

    assert AccessLog.objects.get(username="officer").ip_address is None
