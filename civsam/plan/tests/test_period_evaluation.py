"""The evaluation of a whole plan period (ADR 0120): what it gathers (table-driven), the
coordinator's versioned texts, publication that locks with a confirmation, who sees what on the
pages and in the API, and its PDF rendered in the background like the annual report's."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from civsam.plan import services
from civsam.plan.evaluation import evaluation_snapshot_build
from civsam.plan.models import (
    Consultation,
    ConsultationResponse,
    PeriodEvaluation,
    PeriodEvaluationPdf,
    Plan,
)

from .test_reports import _pdf_streams

SLUG = "2022-2025"

# Initiatives: (priority areas, status code, start year, end year or None)
INITIATIVES = [
    (("1.1",), "ongoing", 2022, None),
    (("1.1", "1.2"), "ongoing", 2023, None),  # two areas of one focus area: once there
    (("1.1", "2.1"), "completed", 2022, 2023),  # two focus areas: in each, once in the total
    (("2.1",), "ongoing", 2021, 2021),  # ended before the period: not counted
    (("3.1",), "cancelled", 2024, 2024),
    (("2.1",), "ongoing", 2026, None),  # starts after the period: not counted
]

# (focus area number, status code, expected count in the cell)
CELLS = [
    (1, "ongoing", 2),
    (1, "completed", 1),
    (2, "completed", 1),
    (2, "ongoing", 0),
    (3, "cancelled", 1),
    (3, "ongoing", 0),
]


@pytest.fixture
def period(plan, make_initiative):
    for areas, status_code, start, end in INITIATIVES:
        make_initiative(
            areas=areas,
            status_code=status_code,
            start_date=datetime.date(start, 3, 1),
            end_date=datetime.date(end, 10, 1) if end else None,
        )
    return evaluation_snapshot_build(plan)


@pytest.mark.parametrize(("number", "status_code", "expected"), CELLS)
def test_initiatives_by_focus_area_and_status(period, status, number, status_code, expected):
    block = period["initiatives"]
    names = [s["name_sv"] for s in block["statuses"]]
    row = next(r for r in block["rows"] if r["number"] == number)
    name = status(status_code).name_sv
    assert (row["counts"][names.index(name)] if name in names else 0) == expected


def test_the_total_counts_each_initiative_once(period):
    assert period["initiatives"]["total"] == 4
    assert sum(period["initiatives"]["totals"]) == 4


def test_indicator_series_cover_the_period_only(plan):
    indicator = services.indicator_create(
        actor=None,
        plan=plan,
        code="natverk",
        name_sv="Nätverksträffar",
        unit="antal",
        targets=[(2022, Decimal(4)), (2025, Decimal(10)), (2026, Decimal(12))],
    )
    for year, value in ((2021, 1), (2023, 6), (2025, 10)):
        services.indicator_value_set(actor=None, indicator=indicator, year=year, value=Decimal(value))
    [ind] = evaluation_snapshot_build(plan)["indicators"]
    assert [(p["year"], p["target"], p["actual"]) for p in ind["series"]] == [
        (2022, "4", None),
        (2023, None, "6"),
        (2025, "10", "10"),
    ]
    assert ind["status"] == "on_track"


@pytest.fixture
def consultations(plan, make_org):
    """A closed consultation of the plan and an open one of the plan that follows it."""
    following = Plan.objects.get(slug="2026-2030")
    closed = Consultation.objects.create(
        plan=plan,
        title="Remiss 2021",
        deadline=datetime.date(2021, 10, 1),
        status=Consultation.Status.CLOSED,
        report_published_at=timezone.now(),
    )
    rows = [
        ("taken_in", ""),
        ("partly", ""),
        ("not_taken_in", "Sekretess enligt OSL 21 kap. 3 §"),  # withheld: counted, never shown
        ("", ""),
    ]
    for n, (disposition, secret) in enumerate(rows):
        ConsultationResponse.objects.create(
            consultation=closed,
            organisation=make_org(name=f"Svarande {n}"),
            general_comment="Synpunkt",
            disposition=disposition,
            disposition_reason=f"Skäl {n}" if disposition else "",
            confidential_reason=secret,
        )
    upcoming = Consultation.objects.create(
        plan=following, title="Remiss 2026–2030", deadline=datetime.date.today() + datetime.timedelta(days=30)
    )
    ConsultationResponse.objects.create(
        consultation=upcoming, organisation=make_org(name="Tidig svarande"), general_comment="Bra", disposition="partly"
    )
    return closed, upcoming


def test_the_consultations_and_their_dispositions(plan, consultations):
    closed, upcoming = evaluation_snapshot_build(plan)["consultations"]
    assert closed["own_plan"] and not upcoming["own_plan"]
    assert closed["responses"] == 4 and closed["undecided"] == 1
    assert {d["code"]: d["count"] for d in closed["dispositions"]} == {"taken_in": 1, "partly": 1, "not_taken_in": 1}
    # The public list: only what anyone may read, with a disposition.
    assert [(d["respondent"], d["disposition"]) for d in closed["public_dispositions"]] == [
        ("Svarande 0", "taken_in"),
        ("Svarande 1", "partly"),
    ]
    # An open consultation: counted, but nothing of its responses is public yet.
    assert upcoming["responses"] == 1 and upcoming["public_dispositions"] == []


def test_dispositions_are_public_with_the_compiled_report_only(plan, consultations):
    closed, _upcoming = consultations
    Consultation.objects.filter(pk=closed.pk).update(report_published_at=None)
    first = evaluation_snapshot_build(plan)["consultations"][0]
    assert first["closed"] and not first["report_published"]
    assert first["public_dispositions"] == [] and first["responses"] == 4


@pytest.fixture
def evaluation(plan, users):
    return services.evaluation_get_or_create(actor=users["admin"], plan=plan)


def test_texts_are_versioned_per_section(evaluation, users):
    admin = users["admin"]
    first = services.evaluation_text_save(actor=admin, evaluation=evaluation, section="summary", body_sv="Ett")
    same = services.evaluation_text_save(actor=admin, evaluation=evaluation, section="summary", body_sv="Ett ")
    second = services.evaluation_text_save(
        actor=admin, evaluation=evaluation, section="summary", body_sv="Två", body_en="Two"
    )
    other = services.evaluation_text_save(actor=admin, evaluation=evaluation, section="conclusions", body_sv="Slut")
    assert (first.version, same.pk, second.version, other.version) == (1, first.pk, 2, 1)
    with pytest.raises(ValidationError):
        services.evaluation_text_save(actor=admin, evaluation=evaluation, section="nonsense", body_sv="x")
    with pytest.raises(ValidationError):
        services.evaluation_text_save(actor=admin, evaluation=evaluation, section="summary", body_sv="  ")


@pytest.mark.parametrize("role", ["officer", "rep", "plain"])
def test_only_the_coordinator_writes_and_publishes(evaluation, users, role):
    with pytest.raises(PermissionDenied):
        services.evaluation_text_save(actor=users[role], evaluation=evaluation, section="summary", body_sv="x")
    with pytest.raises(PermissionDenied):
        services.evaluation_publish(actor=users[role], evaluation=evaluation, confirmed=True)
    with pytest.raises(PermissionDenied):
        services.evaluation_get_or_create(actor=users[role], plan=evaluation.plan)


def test_a_draft_plan_has_no_period_to_evaluate(users):
    draft = Plan.objects.get(slug="2026-2030")
    assert draft.status == Plan.Status.DRAFT
    with pytest.raises(ValidationError):
        services.evaluation_get_or_create(actor=users["admin"], plan=draft)


def test_publishing_needs_confirmation_and_a_summary_then_locks(evaluation, users, make_initiative):
    admin = users["admin"]
    services.evaluation_text_save(actor=admin, evaluation=evaluation, section="conclusions", body_sv="Lärdom")
    with pytest.raises(ValidationError, match="sammanfattningen"):
        services.evaluation_publish(actor=admin, evaluation=evaluation, confirmed=True)
    services.evaluation_text_save(actor=admin, evaluation=evaluation, section="summary", body_sv="Perioden i korthet")
    with pytest.raises(ValidationError):
        services.evaluation_publish(actor=admin, evaluation=evaluation, confirmed=False)
    evaluation.refresh_from_db()
    assert evaluation.status == PeriodEvaluation.Status.DRAFT

    make_initiative(areas=("1.1",), start_date=datetime.date(2023, 1, 1))
    published = services.evaluation_publish(actor=admin, evaluation=evaluation, confirmed=True)
    assert published.is_published and published.published_versions == {"conclusions": 1, "summary": 1}
    assert published.snapshot["initiatives"]["total"] == 1
    # Locked: no new text, no second publication; later data do not change the frozen figures.
    with pytest.raises(ValidationError, match="publicerad"):
        services.evaluation_text_save(actor=admin, evaluation=published, section="summary", body_sv="Ändrad")
    with pytest.raises(ValidationError):
        services.evaluation_publish(actor=admin, evaluation=published, confirmed=True)
    make_initiative(areas=("1.1",), start_date=datetime.date(2024, 1, 1))
    published.refresh_from_db()
    assert published.snapshot["initiatives"]["total"] == 1
    # Both languages' PDFs were queued at publication.
    assert sorted(PeriodEvaluationPdf.objects.values_list("language", flat=True)) == ["en", "sv"]


def _publish(evaluation, admin):
    services.evaluation_text_save(
        actor=admin,
        evaluation=evaluation,
        section="summary",
        body_sv="Perioden i korthet: **nätverken** växte.",
        body_en="The period in brief: the **networks** grew.",
    )
    return services.evaluation_publish(actor=admin, evaluation=evaluation, confirmed=True)


def test_a_draft_is_for_the_coordinator_only(client, evaluation, users):
    url = reverse("plan:evaluation-detail", args=[SLUG])
    page = client.get(url)
    assert page.status_code == 200 and "inte publicerad ännu" in page.content.decode()
    assert client.get(reverse("plan:evaluation-pdf", args=[SLUG])).status_code == 404
    api = client.get(f"/api/v1/plans/{SLUG}/evaluation")
    assert api.status_code == 404 and api["Content-Type"] == "application/problem+json"
    client.force_login(users["admin"])
    draft = client.get(url).content.decode()
    assert "Utkast." in draft and reverse("plan:evaluation-publish", args=[SLUG]) in draft


def test_the_coordinator_starts_writes_and_publishes_in_the_browser(client, plan, users):
    client.force_login(users["admin"])
    url = reverse("plan:evaluation-detail", args=[SLUG])
    assert "Påbörja utvärderingen" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    text_url = reverse("plan:evaluation-text", args=[SLUG, "summary"])
    preview = client.post(text_url, {"body_sv": "- en punkt", "action": "preview"})
    assert "<li>en punkt</li>" in preview.content.decode()
    assert client.post(text_url, {"body_sv": "Sammanfattat", "action": "save"}).status_code == 302
    publish_url = reverse("plan:evaluation-publish", args=[SLUG])
    unconfirmed = client.post(publish_url, {})
    assert unconfirmed.status_code == 200 and "Bekräfta" in unconfirmed.content.decode()
    assert client.post(publish_url, {"confirm": "on"}).status_code == 302
    assert PeriodEvaluation.objects.get(plan=plan).is_published
    assert client.get(text_url).status_code == 302  # locked: back to the evaluation


def test_published_is_public_on_the_page_and_in_the_api(client, evaluation, users):
    _publish(evaluation, users["admin"])
    page = client.get(reverse("plan:evaluation-detail", args=[SLUG]))
    html = page.content.decode()
    assert page.status_code == 200 and "<strong>nätverken</strong>" in html and "Utkast." not in html
    english = client.get(reverse("plan:evaluation-detail", args=[SLUG]) + "?lang=en").content.decode()
    assert "<strong>networks</strong>" in english
    data = client.get(f"/api/v1/plans/{SLUG}/evaluation").json()
    assert data["status"] == "published" and data["plan"] == SLUG
    assert data["texts"] == [
        {"section": "summary", "version": 1, "bodySv": data["texts"][0]["bodySv"], "bodyEn": data["texts"][0]["bodyEn"]}
    ]
    assert set(data["figures"]) >= {"reports", "indicators", "initiatives", "consultations"}
    assert data["pdfUrl"].endswith(reverse("plan:evaluation-pdf", args=[SLUG]))


@pytest.mark.slow
def test_the_published_pdf_is_rendered_in_the_background(
    client, evaluation, users, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _publish(evaluation, users["admin"])
    assert run_tasks() == 2
    response = client.get(reverse("plan:evaluation-pdf", args=[SLUG]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-") and b"/Lang (sv)" in _pdf_streams(body)
    api = client.get(f"/api/v1/plans/{SLUG}/evaluation?format=pdf&lang=en")
    assert api.status_code == 200 and b"/Lang (en)" in _pdf_streams(b"".join(api.streaming_content))
