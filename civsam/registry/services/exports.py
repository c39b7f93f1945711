"""Large directory exports, built by the worker (models.DirectoryExport, ADR 0085).

A request for an XLSX export larger than exports.XLSX_IMMEDIATE_ROWS gets the row for its query
(filter and audience) and the register's data version: an existing one (being built or built) is
reused, a new one is queued for the worker. New work is refused (RateLimited, a 429 with
Retry-After) while too many exports wait or run: per client, and in all.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.ratelimit import RateLimited
from civsam.core.services import RENDER_STALE_AFTER, rendered_file_due, rendered_file_request

from .. import permissions, selectors
from ..models import DirectoryExport

LANGUAGE = "sv"  # the columns are named by key, whatever the language of the page
# Exports waiting or running at once, per client and in all (settings can say otherwise).
MAX_PENDING_PER_CLIENT = 2
MAX_PENDING = 4
RETRY_AFTER_SECONDS = 30


def client_digest(address: str) -> str:
    # The address is personal data: only a digest is kept, to count one client's exports.
    return hashlib.sha256(address.encode("utf-8")).hexdigest()


def export_query(filters: selectors.DirectoryFilter, audience: str) -> str:
    canonical = json.dumps({"filters": filters.canonical(), "audience": audience}, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _pending(now) -> Q:
    """Rows a worker has yet to finish, not counting those given up as lost."""
    return Q(
        status__in=[DirectoryExport.Status.QUEUED, DirectoryExport.Status.RUNNING],
        queued_at__gte=now - RENDER_STALE_AFTER,
    )


def _check_capacity(*, client: str, user) -> None:
    now = timezone.now()
    pending = DirectoryExport.objects.filter(_pending(now))
    per_client = getattr(settings, "CIVSAM_EXPORTS_PER_CLIENT", MAX_PENDING_PER_CLIENT)
    in_all = getattr(settings, "CIVSAM_EXPORTS_AT_ONCE", MAX_PENDING)
    mine = Q(client=client)
    if getattr(user, "is_authenticated", False):
        mine |= Q(requested_by=user)
    if pending.filter(mine).count() >= per_client:
        raise RateLimited(
            RETRY_AFTER_SECONDS,
            _("Du har redan exporter som skapas. Vänta tills de är klara och försök sedan igen."),
        )
    if pending.count() >= in_all:
        raise RateLimited(
            RETRY_AFTER_SECONDS,
            _("Många exporter skapas just nu. Försök igen om en stund, eller begränsa sökningen."),
        )


def directory_export_request(
    *, actor, filters: selectors.DirectoryFilter, client_address: str, retry_failed: bool = False
) -> DirectoryExport:
    """The XLSX export of this filter as `actor` sees the register now: the stored or running row
    for it, or a new one queued for the worker (after commit). Anyone may ask (the directory is
    public); what the file holds is what the audience may see."""
    audience = permissions.directory_audience(actor)
    query = export_query(filters, audience)
    version = selectors.directory_version()
    client = client_digest(client_address)
    existing = DirectoryExport.objects.filter(query=query, language=LANGUAGE, version=version).first()
    if existing is None or rendered_file_due(existing, retry_failed=retry_failed):
        _check_capacity(client=client, user=actor)
    return rendered_file_request(
        model=DirectoryExport,
        owner={"query": query},
        language=LANGUAGE,
        version=version,
        defaults={"filters": filters.canonical(), "audience": audience, "client": client},
        actor=actor,
        retry_failed=retry_failed,
    )
