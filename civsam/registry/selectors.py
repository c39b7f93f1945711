"""Reads of the register: the directory search, with joins done up front.

Figures and the reasoning behind the query shapes: docs/performance.md (Registry).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import asdict, dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import BooleanField, Count, F, FloatField, Max, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from civsam.accounts.selectors import verified_emails_of
from civsam.core.models import ActivityClass, AuditEntry, LegalForm, Municipality, SocietalRole
from civsam.core.privacy import months_after, processing_record

from . import search
from .models import (
    ContactPerson,
    DirectoryExport,
    Organisation,
    RepresentationInvitation,
    RepresentationRequest,
    pk_from_civsam_id,
)
from .permissions import PUBLIC_AUDIENCE, organisations_visible_to, representation_requests_decidable_by

TABLE = Organisation._meta.db_table
FTS_TABLE = "registry_organisation_fts"  # SQLite: FTS5 index of search_document (migration 0002)
# PostgreSQL: stored to_tsvector('simple', search_document) with a GIN index (migration 0003).
VECTOR_COLUMN = "search_vector"
# Relevance is computed only when the words match at most this many organisations. Ranking costs
# time in proportion to the matches, and over thousands of one-word hits it orders by noise
# (document length); such result lists are ordered by name instead, which an index serves.
RANK_LIMIT = 2000
# SQLite: a filter that keeps more than this many organisations is served by walking the sort
# order's index and testing rows, one that keeps fewer by gathering its rows and sorting them
# (figures in docs/performance.md). Either shape returns the same rows; only the speed differs.
DENSE_LIMIT = 20_000

# Names sort by their stored Swedish key (ADR 0040), which the name indexes are built on;
# municipalities by theirs, so Hallsberg comes before Hällefors on any database collation.
SORTS = {
    "name": ("name_key", "id"),
    "-name": ("-name_key", "-id"),
    "municipality": ("municipality__name_key", "name_key", "id"),
    "-founded": (F("founded_year").desc(nulls_last=True), "name_key", "id"),
    "founded": (F("founded_year").asc(nulls_last=True), "name_key", "id"),
    "-members": (F("member_count").desc(nulls_last=True), "name_key", "id"),
}
FLAG_FILTERS = ("social_enterprise", "work_integrating", "ideburen_registered")


@dataclass
class DirectoryFilter:
    q: str = ""
    municipality: list[str] = field(default_factory=list)  # kommunkod
    legal_form: list[str] = field(default_factory=list)  # legal-form code
    activity: list[str] = field(default_factory=list)  # activity class code
    role: list[str] = field(default_factory=list)  # societal role code
    flags: list[str] = field(default_factory=list)  # names from FLAG_FILTERS
    sector: list[str] = field(default_factory=list)  # Organisation.Sector values
    kind: list[str] = field(default_factory=list)  # Organisation.Kind values
    country: list[str] = field(default_factory=list)  # ISO 3166-1 alpha-2
    no_orgnr: bool = False  # only actors without an organisationsnummer
    sort: str = ""  # "" means relevance with a query, name without

    @property
    def terms(self) -> list[str]:
        return search.query_terms(self.q)

    def canonical(self) -> dict:
        """The filter as data that is equal for equal filters (list order does not matter)."""
        return {key: sorted(value) if isinstance(value, list) else value for key, value in asdict(self).items()}


def text_match_count(terms: list[str], limit: int) -> int:
    """How many organisations (visible or not) match every term, counted up to `limit`.

    It stops at `limit`, so it stays cheap however common the words are.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {TABLE} "  # noqa: S608 - names are constants
                f"WHERE {VECTOR_COLUMN} @@ to_tsquery('simple', %s) LIMIT %s) AS matches",
                [search.tsquery(terms), limit],
            )
        else:
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)",  # noqa: S608
                [search.fts5_match(terms), limit],
            )
        return cursor.fetchone()[0]


def _text_filter(qs: QuerySet[Organisation], terms: list[str], rank: bool, dense: bool) -> QuerySet[Organisation]:
    """Keep the rows that match every term; with rank, annotate `relevance` (higher is better).

    The SQL names the organisation table directly, so the result must not be used as a subquery
    under another alias. Table names are constants and the terms are bound parameters.
    """
    if connection.vendor == "postgresql":
        tsquery = search.tsquery(terms)
        # The stored vector (migration 0003): neither a scan nor ranking runs to_tsvector per row.
        qs = qs.filter(
            RawSQL(  # noqa: S611
                f"{TABLE}.{VECTOR_COLUMN} @@ to_tsquery('simple', %s)", [tsquery], output_field=BooleanField()
            )
        )
        if rank:
            qs = qs.annotate(
                relevance=RawSQL(  # noqa: S611
                    f"ts_rank({TABLE}.{VECTOR_COLUMN}, to_tsquery('simple', %s))", [tsquery], output_field=FloatField()
                )
            )
        return qs
    if dense:
        # SQLite, words that match a large share of the register ("förening"): walk the sort
        # order's index and test each row's stored document, stopping after one page. The document
        # is the space-separated terms FTS5 indexes (search.document), so a word prefix there is
        # exactly what FTS5's "term"* matches; terms are letters and digits, never LIKE wildcards.
        # Gathering 150,000 FTS matches to sort them costs 200 ms; this costs about one.
        return qs.extra(  # noqa: S610
            where=[f"(' ' || {TABLE}.search_document) LIKE %s" for _term in terms],
            params=[f"% {term}%" for term in terms],
        )
    # SQLite: join the FTS5 table, so that one MATCH scan drives the query and bm25() is read off
    # it. Per row, FTS5 would rerun the whole MATCH (prefix expansion included): a correlated
    # subquery, or a plan that probes the FTS table by rowid from the organisation side, takes
    # minutes at 300,000 rows. The unary + on the FTS rowid rules that probe out whatever the
    # planner's statistics say, which it otherwise picks under a municipality filter.
    # bm25 is lower-is-better; negate so that both backends sort by -relevance.
    return qs.extra(  # noqa: S610 - extra() is the only way to join a table that has no model
        tables=[FTS_TABLE],
        where=[f"+{FTS_TABLE}.rowid = {TABLE}.id", f"{FTS_TABLE} MATCH %s"],
        params=[search.fts5_match(terms)],
        select={"relevance": f"-bm25({FTS_TABLE})"} if rank else None,
    )


def _in_subquery(qs: QuerySet[Organisation], subquery: QuerySet, *, dense: bool) -> QuerySet[Organisation]:
    """Keep the organisations whose id the subquery lists, as IN (subquery): no duplicates, no DISTINCT.

    SQLite, a set that holds a large share of the register: the unary + keeps the planner from
    collecting the set's rows by id and sorting them all (120 ms for a role at 300,000 rows); it
    walks the sort order's index instead and stops after one page (10 ms).
    """
    if dense and connection.vendor == "sqlite":
        return _unindexed_in(qs, "id", subquery)
    return qs.filter(pk__in=subquery)


def _unindexed_in(qs: QuerySet[Organisation], column: str, subquery: QuerySet) -> QuerySet[Organisation]:
    """SQLite: `+column IN (subquery)`; the unary + keeps the planner from using column's indexes."""
    sql, params = subquery.query.sql_with_params()
    return qs.extra(where=[f"+{TABLE}.{column} IN ({sql})"], params=list(params))  # noqa: S610 - names are ours


def _is_dense(qs: QuerySet, limit: int = DENSE_LIMIT) -> bool:
    """SQLite only: whether a filter keeps more than `limit` rows, counted no further than that."""
    return connection.vendor == "sqlite" and qs[: limit + 1].count() > limit


def organisation_directory(*, user, filters: DirectoryFilter) -> QuerySet[Organisation]:
    """Organisations the user may see, filtered and sorted, ready to paginate and render.

    A text query costs one extra, cheap query (text_match_count) to decide between relevance and
    name order, and on SQLite between the two query shapes (_text_filter); on SQLite each
    many-to-many filter costs one more such count.
    """
    qs = organisations_visible_to(user)
    terms = filters.terms
    sqlite = connection.vendor == "sqlite"
    default_sort = filters.sort in ("", "relevance")
    matches = 0
    if terms and (default_sort or sqlite):
        matches = text_match_count(terms, limit=(DENSE_LIMIT if sqlite else RANK_LIMIT) + 1)
    relevance = bool(terms) and default_sort and matches <= RANK_LIMIT
    if terms:
        # Ranking needs the FTS join; only unranked lists take the dense shape.
        qs = _text_filter(qs, terms, rank=relevance, dense=sqlite and not relevance and matches > DENSE_LIMIT)
    flags = [flag for flag in filters.flags if flag in FLAG_FILTERS]
    # SQLite: under a flag, the flag's small partial index (migration 0003) should drive the
    # query; with a plain municipality or legal-form condition the planner reads every row of the
    # municipality instead (0.8 s for one at 300,000 rows). A unary + makes those conditions tests.
    plus = sqlite and bool(flags)
    if filters.municipality:
        if plus:
            qs = _unindexed_in(
                qs, "municipality_id", Municipality.objects.filter(code__in=filters.municipality).values("id")
            )
        else:
            qs = qs.filter(municipality__code__in=filters.municipality)
    if filters.legal_form:
        if plus:
            qs = _unindexed_in(qs, "legal_form_id", LegalForm.objects.filter(code__in=filters.legal_form).values("id"))
        else:
            qs = qs.filter(legal_form__code__in=filters.legal_form)
    # Many-to-many filters as IN (subquery): rows are never duplicated, no DISTINCT is needed, and
    # unlike a correlated EXISTS, SQLite can start from the link table's index (migration 0003)
    # instead of probing it once per organisation.
    if filters.activity:
        links = Organisation.activity_classes.through.objects.filter(activityclass__code__in=filters.activity)
        qs = _in_subquery(qs, links.values("organisation_id"), dense=_is_dense(links))
    if filters.role:
        links = Organisation.roles.through.objects.filter(societalrole__code__in=filters.role)
        qs = _in_subquery(qs, links.values("organisation_id"), dense=_is_dense(links))
    for flag in flags:
        qs = qs.filter(**{flag: True})
    if filters.sector:
        qs = qs.filter(sector__in=filters.sector)
    if filters.kind:
        qs = qs.filter(kind__in=filters.kind)
    if filters.country:
        qs = qs.filter(country__in=[code.upper() for code in filters.country])
    if filters.no_orgnr:
        qs = qs.filter(orgnr__isnull=True)
    if relevance:
        qs = qs.order_by("-relevance", "name_key", "id")
    else:
        qs = qs.order_by(*SORTS.get(filters.sort, SORTS["name"]))
    return qs


def with_listing_relations(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """What a directory row shows, in a fixed number of queries whatever the page size."""
    return qs.select_related("municipality", "legal_form").prefetch_related(
        Prefetch("activity_classes", queryset=ActivityClass.objects.order_by("sort_order")),
        Prefetch("roles", queryset=SocietalRole.objects.order_by("sort_order")),
    )


def with_detail_relations(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """What an organisation's page and its API resource show."""
    return with_listing_relations(qs).prefetch_related(
        Prefetch("active_municipalities", queryset=Municipality.objects.order_by("name_key"))
    )


def organisation_detail(*, user, orgnr_value: str) -> Organisation | None:
    """The organisation, if the user may see it: by its orgnr or its Civsam identifier."""
    pk = pk_from_civsam_id(orgnr_value)
    lookup = {"pk": pk} if pk is not None else {"orgnr": orgnr_value}
    return with_detail_relations(organisations_visible_to(user)).filter(**lookup).first()


def facet_options() -> dict[str, list]:
    """Choices for the directory filters."""
    return {
        "municipalities": list(Municipality.objects.order_by("name_key")),
        "legal_forms": list(LegalForm.objects.order_by("code")),
        "activities": list(ActivityClass.objects.order_by("sort_order")),
        "roles": list(SocietalRole.objects.order_by("sort_order")),
    }


def public_bodies() -> QuerySet[Organisation]:
    """The public bodies in the open register (the Region, the municipalities, state agencies), in
    name order: what a participant may name as employer (ADR 0124)."""
    return Organisation.objects.filter(
        sector=Organisation.Sector.PUBLIC, is_public=True, listing=Organisation.Listing.LISTED
    ).order_by("name_key")


def public_organisation_count() -> int:
    """How many organisations the public directory shows (the home page's figure)."""
    return Organisation.objects.filter(is_public=True).count()


# Large exports (exports.py, models.DirectoryExport) ----------------------------------------------


def directory_version() -> str:
    """A version of the whole register that changes with every write to it (a new, changed or
    removed organisation), so that an export made from an older state is not handed out."""
    figures = Organisation.objects.aggregate(count=Count("id"), last=Max("id"), changed=Max("updated_at"))
    text = f"{figures['count']}:{figures['last']}:{figures['changed'].isoformat() if figures['changed'] else ''}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def directory_export_rows(row: DirectoryExport) -> QuerySet[Organisation]:
    """What an export shows: its filter, over what its audience sees now (the public directory, or
    what the requesting user may see)."""
    filters = DirectoryFilter(**row.filters)
    # A gone account (None) sees the public directory only.
    user = None if row.audience == PUBLIC_AUDIENCE else get_user_model().objects.filter(pk=row.requested_by_id).first()
    return with_listing_relations(organisation_directory(user=user, filters=filters))


# Contact persons -----------------------------------------------------------------------------------

CONTACT_RETENTION_KIND = "contact_persons"


def contact_retention_ends(contact: ContactPerson) -> datetime.datetime | None:
    """When the contact goes unless it is changed or confirmed before (None: no automatic end)."""
    retention = processing_record().kind(CONTACT_RETENTION_KIND).retention
    months = retention.retention_class.months
    if not retention.automatic or months is None:
        return None
    return months_after(contact.updated_at, months)


# Representation requests (ADR 0090) -----------------------------------------------------------


def pending_representation_request(user, organisation: Organisation) -> RepresentationRequest | None:
    """The user's open request for the organisation, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return RepresentationRequest.objects.filter(
        user=user, organisation=organisation, status=RepresentationRequest.Status.PENDING
    ).first()


def representation_requests_waiting(
    user,
    *,
    municipality: Municipality | None = None,
    status: str = RepresentationRequest.Status.PENDING,
    mandate: str = "",
) -> QuerySet[RepresentationRequest]:
    """Requests the user may decide (by default those pending), optionally of one home municipality
    and one mandate. Pending ones oldest first (first come, first decided), decided ones newest first."""
    qs = representation_requests_decidable_by(user).filter(status=status)
    if municipality is not None:
        qs = qs.filter(organisation__municipality=municipality)
    if mandate:
        qs = qs.filter(mandate=mandate)
    order = ("created_at", "pk") if status == RepresentationRequest.Status.PENDING else ("-decided_at", "-pk")
    return qs.select_related("organisation__municipality", "user", "decided_by").order_by(*order)


def representation_requests_of(user, *, since: datetime.datetime) -> QuerySet[RepresentationRequest]:
    """The user's own requests: every pending one and those decided since `since`."""
    return (
        RepresentationRequest.objects.filter(user=user)
        .filter(Q(status=RepresentationRequest.Status.PENDING) | Q(decided_at__gte=since))
        .select_related("organisation")
        .order_by("-created_at", "-pk")
    )


def open_invitations(organisation: Organisation) -> list[RepresentationInvitation]:
    """The organisation's invitations still waiting for an answer (expired ones included, marked)."""
    return list(
        RepresentationInvitation.objects.filter(
            organisation=organisation, status=RepresentationInvitation.Status.PENDING
        ).select_related("invited_by")
    )


def invitations_for(user) -> list[RepresentationInvitation]:
    """Invitations to the user's verified addresses that can still be answered."""
    emails = verified_emails_of(user)
    if not emails:
        return []
    qs = RepresentationInvitation.objects.filter(
        email__in=emails, status=RepresentationInvitation.Status.PENDING, expires_at__gt=timezone.now()
    ).select_related("organisation", "invited_by")
    return list(qs)


# Merging (ADR 0106) -------------------------------------------------------------------------------


def organisation_references() -> list[tuple[type, str, bool]]:
    """(model, field name, one-to-one) for every foreign key to Organisation anywhere in Civsam,
    found through Django's relations: what a merge moves. Left out: the organisation's own
    many-to-many tables (a merge joins them) and the duplicate pairs (they go with the merged one)."""
    from .models import DuplicateCandidate

    own = {Organisation._meta.get_field(name).remote_field.through for name in ORGANISATION_M2M}
    found = []
    for rel in Organisation._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete or not (rel.one_to_many or rel.one_to_one):
            continue
        model = rel.related_model
        if model in own or model is DuplicateCandidate:
            continue
        found.append((model, rel.field.name, rel.one_to_one))
    return found


ORGANISATION_M2M = ("active_municipalities", "activity_classes", "roles")


def organisation_reference_counts(organisation: Organisation) -> list[tuple[str, int]]:
    """What points at an organisation, as (the model's plural name, count), for the merge page.
    A many-to-many table counts under the model that holds the field (an initiative's partners)."""
    counts: dict[str, int] = {}
    for model, field_name, _one in organisation_references():
        n = model._base_manager.filter(**{field_name: organisation}).count()
        if not n:
            continue
        if model._meta.auto_created:  # a many-to-many table: name the model that has the field
            owner = next(
                f.related_model for f in model._meta.fields if f.is_relation and f.related_model is not Organisation
            )
            label = str(owner._meta.verbose_name_plural)
        else:
            label = str(model._meta.verbose_name_plural)
        counts[label] = counts.get(label, 0) + n
    return sorted(counts.items())


def organisation_history(organisation: Organisation):
    """The change history of an organisation and of every organisation merged into it, newest first
    (the merged ones' audit entries keep their own ids; OrganisationMerge names them)."""

    ids = [str(organisation.pk), *(str(pk) for pk in organisation.merges.values_list("merged_id", flat=True))]
    return (
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Organisation), object_id__in=ids)
        .exclude(action=AuditEntry.Action.READ)
        .select_related("actor")
    )
