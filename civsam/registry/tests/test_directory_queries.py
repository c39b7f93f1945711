"""The directory's SQL: a page costs a fixed number of queries whatever its size, and the query
shapes that keep it fast at 300,000 rows (docs/performance.md) stay in place.

Runs on both backends: set DATABASE_URL for PostgreSQL.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civsam.core.collation import sort_key
from civsam.core.models import Municipality
from civsam.registry import demo, paging, search, selectors
from civsam.registry.imports.bulk import demo_organisations_insert
from civsam.registry.models import Organisation

ROWS = 400

# Filters a visitor can combine; each one matches more than a page of 20 in the data below.
FILTERS = [
    {},
    {"q": "förening"},
    {"q": "förening", "sort": "name"},
    {"q": "förening", "sort": "-members"},
    {"q": "demodata påhittad"},
    {"municipality": ["1880"]},
    {"legal_form": ["61"]},
    {"activity": ["1"]},
    {"role": ["community"]},
    {"municipality": ["1880", "1881"], "role": ["community"]},
    {"sort": "-members"},
    {"sort": "founded"},
    {"sort": "municipality"},
    {"sort": "-name"},
]
# The activity-3 and flag filters match fewer rows, but still more than one.
SMALL_FILTERS = [{"flags": ["social_enterprise"]}, {"activity": ["3"]}, {"q": "förening", "activity": ["4"]}]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def register(reference_data):
    populations = dict(Municipality.objects.values_list("code", "population"))
    demo_organisations_insert(demo.generate(ROWS, populations, seed=7))
    # A few hidden rows, so that the officer's wider visibility has something to show.
    Organisation.objects.filter(pk__in=Organisation.objects.order_by("pk").values("pk")[:5]).update(is_public=False)
    return Organisation.objects.count()


def _page(user, filters: dict, per_page: int):
    qs = selectors.organisation_directory(user=user, filters=selectors.DirectoryFilter(**filters))
    page = Paginator(qs, per_page).get_page(1)
    page.object_list = selectors.with_listing_relations(page.object_list)
    rows = [(o.name, o.legal_form.name, o.municipality.name, [a.name for a in o.activity_classes.all()]) for o in page]
    return page.paginator.count, rows


def _expected_queries(filters: dict, count: int) -> int:
    """The probe that picks relevance or name order (on SQLite also the query shape, whatever the
    sort), on SQLite one density count per many-to-many filter, the COUNT, then the page and two
    prefetches."""
    sqlite = connection.vendor == "sqlite"
    probe = bool(search.query_terms(filters.get("q", ""))) and (filters.get("sort", "") == "" or sqlite)
    density = sqlite * (bool(filters.get("activity")) + bool(filters.get("role")))
    return probe + density + 1 + (3 if count else 0)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filters=st.sampled_from(FILTERS + SMALL_FILTERS), per_page=st.integers(min_value=1, max_value=150))
def test_selector_page_costs_the_same_queries_at_any_size(register, filters, per_page):
    with CaptureQueriesContext(connection) as ctx:
        count, rows = _page(None, filters, per_page)
    assert count > 1
    assert len(rows) == min(per_page, count)
    assert len(ctx.captured_queries) == _expected_queries(filters, count), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("role", ["anonymous", "officer", "admin"])
@pytest.mark.parametrize("filters", FILTERS, ids=[str(f) for f in FILTERS])
def test_directory_view_costs_the_same_queries_for_20_and_100_rows(client, users, register, role, filters):
    if role != "anonymous":
        client.force_login(users[role])
    url = reverse("registry:directory")
    client.get(url, {**filters, "per_page": 20})  # warm-up: session and content types
    counts, sizes = {}, {}
    for per_page in (20, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {**filters, "per_page": per_page})
        assert response.status_code == 200
        sizes[per_page] = len(response.context["page"].object_list)
        counts[per_page] = len(ctx.captured_queries)
    assert sizes[20] == 20 and sizes[100] > 20, sizes  # the larger page really is larger
    assert counts[20] == counts[100], counts
    assert counts[20] <= 12, counts


def test_broad_words_are_listed_by_name_and_narrow_ones_by_relevance(register, monkeypatch):
    matches = selectors.text_match_count(search.query_terms("förening"), limit=10_000)
    assert matches > 3
    monkeypatch.setattr(selectors, "RANK_LIMIT", matches - 1)
    broad = selectors.organisation_directory(user=None, filters=selectors.DirectoryFilter(q="förening"))
    names = list(broad.values_list("name", "id"))
    assert names == sorted(names, key=lambda row: (sort_key(row[0]), row[1]))
    assert "relevance" not in broad.query.annotations and "relevance" not in broad.query.extra
    monkeypatch.setattr(selectors, "RANK_LIMIT", matches)
    ranked = selectors.organisation_directory(user=None, filters=selectors.DirectoryFilter(q="förening"))
    rows = list(ranked)
    assert len(rows) == len(names)
    relevance = [row.relevance for row in rows]
    assert relevance == sorted(relevance, reverse=True)
    assert {(o.name, o.id) for o in rows} == set(names)


# Combinations where SQLite's dense shapes (selectors.DENSE_LIMIT) differ from the sparse ones.
SHAPE_FILTERS = (
    FILTERS
    + SMALL_FILTERS
    + [
        {"q": "förening", "municipality": ["1880"]},
        {"q": "förening", "sort": "-name"},
        {"q": "förening demodata"},
        {"q": "förening", "role": ["community"], "sort": "-founded"},
        {"flags": ["social_enterprise"], "municipality": ["1880", "1881"]},
        {"flags": ["work_integrating"], "legal_form": ["49", "51"]},
        {"flags": ["ideburen_registered"], "municipality": ["1880"], "q": "förening"},
        {"activity": ["1", "2"], "role": ["community"], "sort": "municipality"},
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    filters=st.sampled_from(SHAPE_FILTERS),
    viewer=st.sampled_from(["anonymous", "officer"]),
    page=st.integers(min_value=1, max_value=6),
)
def test_dense_and_sparse_query_shapes_list_the_same_rows(register, users, filters, viewer, page):
    """Where a filter keeps many rows SQLite walks the sort index and tests rows (a LIKE on the
    stored document, a unary + on IN); elsewhere it gathers and sorts. Same rows, same order."""
    user = None if viewer == "anonymous" else users[viewer]

    def listing(dense_limit: int):
        with mock.patch.object(selectors, "DENSE_LIMIT", dense_limit):
            qs = selectors.organisation_directory(user=user, filters=selectors.DirectoryFilter(**filters))
            paginator = paging.CappedPaginator(qs, 20)
            return paginator.count, [o.pk for o in paginator.get_page(page).object_list]

    always, never = listing(0), listing(10**9)
    assert always == never
    assert always[0] > 0


def test_a_broad_word_walks_the_name_index_on_sqlite_and_the_gin_index_on_postgresql(register, monkeypatch):
    monkeypatch.setattr(selectors, "RANK_LIMIT", 5)
    monkeypatch.setattr(selectors, "DENSE_LIMIT", 10)
    qs = selectors.organisation_directory(user=None, filters=selectors.DirectoryFilter(q="förening"))
    sql, params = qs[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = "\n".join(row[-1] for row in cursor.fetchall())
            assert "registry_organisation_fts" not in plan, plan  # no MATCH gathering every hit
            assert "TEMP B-TREE FOR ORDER BY" not in plan, plan  # and no sort of them: the index gives the order
        else:
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "search_vector" in plan and "to_tsvector" not in plan, plan  # the stored vector, not per row
    names = [o.name for o in qs]
    assert names and names == sorted(names, key=sort_key)
    every = Organisation.objects.filter(is_public=True, search_document__regex=r"(^| )förening").count()
    assert len(names) == every


@pytest.mark.parametrize(("query", "limit"), [("förening", 5), ("förening", 10_000), ("xyzzy", 5), ("demodata", 1)])
def test_text_match_count_counts_up_to_the_limit(register, query, limit):
    every = Organisation.objects.filter(search_document__regex=rf"(^| ){search.query_terms(query)[0]}").count()
    assert selectors.text_match_count(search.query_terms(query), limit=limit) == min(every, limit)


@pytest.mark.parametrize(
    "filters",
    [
        {"q": "förening"},
        {"q": "förening", "sort": "name"},
        {"q": "förening", "municipality": ["1880"]},
        {"q": "förening", "activity": ["1"], "flags": ["social_enterprise"]},
    ],
    ids=str,
)
def test_text_search_does_no_text_work_per_row(register, filters):
    """SQLite scans the FTS5 index once with MATCH and joins (no MATCH rerun per row, neither as a
    correlated subquery nor as a rowid probe, `INDEX 0:=M…`); PostgreSQL reads the stored vector
    (no to_tsvector per row). Either mistake costs seconds to minutes at national scale. The test
    database has no planner statistics, which is when SQLite is likeliest to choose the probe."""
    with CaptureQueriesContext(connection) as ctx:
        _page(None, filters, 20)
    searched = [q["sql"] for q in ctx.captured_queries if "registry_organisation_fts" in q["sql"] or "@@" in q["sql"]]
    assert len(searched) >= 2  # the COUNT and the page at least
    for sql in searched:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = "\n".join(row[-1] for row in cursor.fetchall())
                assert "CORRELATED" not in plan, plan
                assert "registry_organisation_fts VIRTUAL TABLE INDEX 0:M" in plan, plan
            else:
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "to_tsvector" not in plan, plan
                assert "search_vector" in plan, plan


def test_stored_search_vector_follows_the_document(register):
    """PostgreSQL's generated column (and SQLite's FTS triggers) keep matching in step with edits."""
    from civsam.registry.services import organisation_update

    organisation = Organisation.objects.order_by("pk").last()
    organisation_update(actor=None, organisation=organisation, name="Zebrafinkarnas Vänner")
    found = selectors.organisation_directory(user=None, filters=selectors.DirectoryFilter(q="zebrafinkar"))
    assert [o.pk for o in found] == [organisation.pk]
    organisation_update(actor=None, organisation=organisation, name="Gnuernas Vänner")
    assert not selectors.organisation_directory(user=None, filters=selectors.DirectoryFilter(q="zebrafinkar")).exists()
