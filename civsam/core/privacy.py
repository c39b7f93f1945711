"""Personal data on a public-task basis (GDPR): what every app needs from the kernel (ADR 0085).

- `personal_data` marks a view whose pages or files show personal data; `PersonalDataMiddleware`
  sends every response of a marked view with `Cache-Control: private, no-store`, error pages and
  redirects included, so that neither a shared cache nor the browser's history keeps it.
- The record of processing (`data/processing.json`, GDPR art. 30) is read here as typed data: the
  kinds of personal data, each with its purpose, legal basis, recipients and retention.
- Retention: an app registers, for a kind in the record, the function that removes or
  de-identifies what is past its period (`register_retention`); the privacy app's command
  `apply_retention` runs them. The kernel cannot import the apps, so they come to it, from their
  `AppConfig.ready()`, as accounts' personal-data providers do.
- People without an account (contact persons, anonymous registrants) are found by e-mail address:
  apps register an e-mail source (`register_email_source`) for the staff tool's export.
- Audit entries of personal data follow the data: `audit_entries_deidentify` empties an object's
  entries of its name and values when the object goes (the entry, who, when and which fields
  stay), and the models named with `register_personal_model` are swept for entries whose row has
  gone some other way (a cascade, a bulk delete).
"""

from __future__ import annotations

import calendar
import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from .batching import chunks
from .models import AuditEntry

# --- Pages and files with personal data ---------------------------------------------------------

PERSONAL_DATA_ATTR = "personal_data"
V = TypeVar("V", bound=Callable[..., Any])


def personal_data(view: V) -> V:
    """Mark a view as showing personal data: its responses are never stored by a cache.

    Marks the function itself (as Django's login_not_required does), so the mark survives the
    decorators above it, and it can mark a view of a library in a URLconf: personal_data(view)."""
    setattr(view, PERSONAL_DATA_ATTR, True)
    return view


def is_personal_data_view(view: Callable[..., Any]) -> bool:
    return bool(getattr(view, PERSONAL_DATA_ATTR, False))


class PersonalDataMiddleware:
    """Cache-Control: private, no-store on every response of a view marked @personal_data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and is_personal_data_view(match.func):
            patch_cache_control(response, private=True, no_store=True)
        return response


# --- The record of processing -------------------------------------------------------------------

RECORD_PATH = Path(__file__).parent / "data" / "processing.json"
ACTIONS = ("delete", "deidentify", "keep")


@dataclass(frozen=True)
class RetentionClass:
    key: str
    label: str
    months: int | None


@dataclass(frozen=True)
class Retention:
    retention_class: RetentionClass
    action: str  # one of ACTIONS
    automatic: bool  # the job applies it (a retention decision allows it)
    starts: str


@dataclass(frozen=True)
class LegalBasis:
    key: str
    label: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ProcessingKind:
    key: str
    name: str
    purpose: str
    legal_basis: LegalBasis
    subjects: tuple[str, ...]
    data: tuple[str, ...]
    recipients: tuple[str, ...]
    retention: Retention
    transfers: str
    app: str
    security: str = ""


@dataclass(frozen=True)
class ProcessingRecord:
    source: str
    controller: str
    kinds: tuple[ProcessingKind, ...]
    retention_classes: tuple[RetentionClass, ...] = field(default=())

    def kind(self, key: str) -> ProcessingKind:
        for kind in self.kinds:
            if kind.key == key:
                return kind
        raise KeyError(key)


def record_parse(data: dict[str, Any]) -> ProcessingRecord:
    """The record from its JSON form; a kind naming an unknown basis, class or action is an error."""
    bases = {
        key: LegalBasis(key=key, label=b["label"], text=b["text"], sources=tuple(b["sources"]))
        for key, b in data["legal_bases"].items()
    }
    classes = {
        key: RetentionClass(key=key, label=c["label"], months=c["months"])
        for key, c in data["retention_classes"].items()
    }
    kinds = []
    for item in data["kinds"]:
        retention = item["retention"]
        if retention["action"] not in ACTIONS:
            raise ValueError(f"{item['key']}: unknown retention action {retention['action']!r}")
        retention_class = classes[retention["class"]]
        if retention["automatic"] and retention["action"] == "keep":
            raise ValueError(f"{item['key']}: data that is kept has no automatic retention")
        kinds.append(
            ProcessingKind(
                key=item["key"],
                name=item["name"],
                purpose=item["purpose"],
                legal_basis=bases[item["legal_basis"]],
                subjects=tuple(item["subjects"]),
                data=tuple(item["data"]),
                recipients=tuple(item["recipients"]),
                retention=Retention(
                    retention_class=retention_class,
                    action=retention["action"],
                    automatic=retention["automatic"],
                    starts=retention["starts"],
                ),
                transfers=item["transfers"],
                app=item["app"],
                security=item.get("security", ""),
            )
        )
    keys = [k.key for k in kinds]
    if len(keys) != len(set(keys)):
        raise ValueError("a kind of personal data is listed twice")
    return ProcessingRecord(
        source=data["source"],
        controller=data["controller"],
        kinds=tuple(kinds),
        retention_classes=tuple(classes.values()),
    )


@cache
def processing_record() -> ProcessingRecord:
    return record_parse(json.loads(RECORD_PATH.read_text(encoding="utf-8")))


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (the month's last day if shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def months_after(moment: datetime.datetime, months: int) -> datetime.datetime:
    return months_before(moment, -months)


def retention_cutoff(kind: str, now: datetime.datetime) -> datetime.datetime:
    """What of `kind` started before this moment is past its period (now, for a kind that goes
    with its data)."""
    months = processing_record().kind(kind).retention.retention_class.months
    return now if months is None else months_before(now, months)


# --- Retention handlers, registered by the apps ---------------------------------------------------


@dataclass(frozen=True)
class RetentionPass:
    """One application of one kind's retention: what is older than `cutoff` goes. A dry run counts
    what would go and changes nothing. Work is done in transactions of at most `batch_size` rows."""

    kind: str
    now: datetime.datetime
    cutoff: datetime.datetime
    dry_run: bool
    batch_size: int


RetentionHandler = Callable[[RetentionPass], int]
_retention: dict[str, list[RetentionHandler]] = {}


def register_retention(kind: str, handler: RetentionHandler) -> None:
    """Add the function that applies `kind`'s retention (the record must name the kind and let the
    job apply it). It returns how many rows it removed or de-identified (or would, in a dry run)."""
    retention = processing_record().kind(kind).retention
    if not retention.automatic:
        raise ValueError(f"{kind}: the record gives no automatic retention")
    handlers = _retention.setdefault(kind, [])
    if handler not in handlers:  # an app's ready() may run twice in a test process
        handlers.append(handler)


def retention_handlers() -> dict[str, list[RetentionHandler]]:
    return {kind: list(handlers) for kind, handlers in _retention.items()}


# --- People without an account, by e-mail address ------------------------------------------------


@dataclass(frozen=True)
class EmailSource:
    name: str
    # What the app holds about whoever uses this address: JSON-ready lists by what they are.
    export: Callable[[str], dict[str, list[dict[str, Any]]]]


_email_sources: dict[str, EmailSource] = {}


def register_email_source(name: str, *, export: Callable[[str], dict[str, list[dict[str, Any]]]]) -> None:
    _email_sources[name] = EmailSource(name=name, export=export)


def email_sources() -> list[EmailSource]:
    return sorted(_email_sources.values(), key=lambda s: s.name)


# --- Audit entries of personal data -------------------------------------------------------------

# An entry emptied of personal data has no object label (every other entry has one).
DEIDENTIFIED_REPR = ""
_personal_models: dict[str, type[models.Model]] = {}


def register_personal_model(model: type[models.Model]) -> None:
    """A model whose audit entries hold personal data (names, values): they follow its rows."""
    _personal_models[model._meta.label] = model


def personal_models() -> list[type[models.Model]]:
    return [_personal_models[label] for label in sorted(_personal_models)]


def _emptied(entry: AuditEntry) -> AuditEntry:
    entry.object_repr = DEIDENTIFIED_REPR
    # Which fields changed stays; what they were and became goes.
    entry.changes = {key: [None, None] for key in (entry.changes or {})}
    return entry


def _entries_deidentify(entries: models.QuerySet[AuditEntry], *, batch_size: int) -> int:
    ids = list(entries.exclude(object_repr=DEIDENTIFIED_REPR).values_list("pk", flat=True))
    for chunk in chunks(ids, batch_size):
        with transaction.atomic():
            rows = [_emptied(e) for e in AuditEntry.objects.filter(pk__in=chunk).only("pk", "object_repr", "changes")]
            AuditEntry.objects.bulk_update(rows, ["object_repr", "changes"])
    return len(ids)


def audit_entries_deidentify(*, model: type[models.Model], object_ids: Iterable[Any], batch_size: int = 1000) -> int:
    """Empty the audit entries of these objects of personal data; returns how many changed."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    total = 0
    for chunk in chunks([str(pk) for pk in object_ids], batch_size):
        entries = AuditEntry.objects.filter(content_type=content_type, object_id__in=chunk)
        total += _entries_deidentify(entries, batch_size=batch_size)
    return total


def audit_orphans(model: type[models.Model]) -> models.QuerySet[AuditEntry]:
    """The entries of `model` whose row is gone and that still hold personal data."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    alive = model._default_manager.annotate(key=Cast("pk", CharField())).filter(key=OuterRef("object_id"))
    return (
        AuditEntry.objects.filter(content_type=content_type)
        .exclude(object_repr=DEIDENTIFIED_REPR)
        .filter(~Exists(alive))
    )


def audit_orphans_deidentify(*, model: type[models.Model], dry_run: bool, batch_size: int) -> int:
    orphans = audit_orphans(model)
    if dry_run:
        return orphans.count()
    return _entries_deidentify(orphans, batch_size=batch_size)
