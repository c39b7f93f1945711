"""The reviewer's work through the pages: what waits for review on the list page and on "Min sida",
the report and review form of an analysis in review, and the demo analysis the demo reviewer finds."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from civsam.impact.models import SocialValueAnalysis

Status = SocialValueAnalysis.Status
LIST = reverse("impact:analysis-list")
DASHBOARD = reverse("site:dashboard")


@pytest.fixture
def waiting(people, make_analysis):
    """An analysis of the own organisation, written and submitted by its representative."""
    return make_analysis(
        actor=people["rep"], owner_organisation=people["own_org"], title="Väntar på granskning", status="in_review"
    )


def _to_review_section(html: str) -> str:
    start = html.find("Att granska</h2>")
    return html[start : html.index("</table>", start)] if start >= 0 else ""


@pytest.mark.parametrize(("who", "listed"), [("reviewer", True), ("rep2", True), ("admin", True), ("rep", False)])
def test_the_list_page_shows_what_waits_for_review(client, people, waiting, who, listed):
    client.force_login(people[who])
    html = client.get(LIST).content.decode()
    assert ("Väntar på granskning" in _to_review_section(html)) is listed


def test_plain_users_have_nothing_to_review(client, people, waiting):
    client.force_login(people["plain"])
    html = client.get(LIST).content.decode()
    assert "Att granska</h2>" not in html and "Väntar på granskning" not in html


def test_a_reviewer_opens_the_report_and_approves_it(client, people, waiting):
    client.force_login(people["reviewer"])
    report = client.get(waiting.get_absolute_url())
    assert report.status_code == 200
    html = report.content.decode()
    assert reverse("impact:analysis-review", args=[waiting.pk]) in html  # the "Granska" button
    assert "Författare" in html  # the people working on it, while it is in review
    assert reverse("impact:analysis-edit", args=[waiting.pk]) not in html
    assert client.get(reverse("impact:analysis-review", args=[waiting.pk])).status_code == 200
    client.post(reverse("impact:analysis-review", args=[waiting.pk]), {"decision": "approve", "comment": ""})
    waiting.refresh_from_db()
    assert waiting.status == Status.PUBLISHED and waiting.reviewer == people["reviewer"]


def test_a_reviewer_returns_it_and_then_no_longer_sees_the_draft(client, people, waiting):
    client.force_login(people["reviewer"])
    client.post(reverse("impact:analysis-review", args=[waiting.pk]), {"decision": "return", "comment": "Källor?"})
    waiting.refresh_from_db()
    assert waiting.status == Status.DRAFT and waiting.review_comment == "Källor?"
    assert client.get(waiting.get_absolute_url()).status_code == 403
    assert client.get(reverse("impact:analysis-edit", args=[waiting.pk])).status_code == 403


def test_a_reviewer_may_not_create_analyses_or_submit_others(client, people, make_analysis):
    draft = make_analysis()
    client.force_login(people["reviewer"])
    assert client.get(reverse("impact:analysis-create")).status_code == 403
    assert client.post(reverse("impact:analysis-submit", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_min_sida_lists_the_analyses_to_review(client, people, waiting):
    client.force_login(people["reviewer"])
    html = client.get(DASHBOARD).content.decode()
    assert "Samhällsnyttoanalyser att granska" in html and "Väntar på granskning" in html
    client.force_login(people["rep"])  # the author has nothing to review (it is among their own analyses)
    html = client.get(DASHBOARD).content.decode()
    assert "Samhällsnyttoanalyser att granska" not in html
    assert "Mina samhällsnyttoanalyser" in html
    assert html.count(f'href="{waiting.get_absolute_url()}"') == 1  # in their own list only


def test_min_sida_tells_a_reviewer_when_nothing_waits(client, people):
    client.force_login(people["reviewer"])
    assert "Inga analyser väntar på din granskning." in client.get(DASHBOARD).content.decode()
    client.force_login(people["plain"])
    assert "Samhällsnyttoanalyser att granska" not in client.get(DASHBOARD).content.decode()


@pytest.mark.slow
def test_the_demo_leaves_an_analysis_for_the_demo_reviewer(client, reference_data, django_capture_on_commit_callbacks):
    out = io.StringIO()
    call_command("load_demo_data", count=200, password="demo-pass-123", stdout=out)
    with django_capture_on_commit_callbacks():  # the published analysis queues its PDFs after commit
        call_command("load_demo_analyses", stdout=out)
        call_command("load_demo_analyses", stdout=out)  # idempotent
    from civsam.accounts.models import User

    assert SocialValueAnalysis.objects.filter(status=Status.PUBLISHED).count() == 1
    waiting = SocialValueAnalysis.objects.get(status=Status.IN_REVIEW)
    client.force_login(User.objects.get(username="bedomare"))
    assert waiting.title in client.get(DASHBOARD).content.decode()
    assert waiting.title in _to_review_section(client.get(LIST).content.decode())
    response = client.post(reverse("impact:analysis-review", args=[waiting.pk]), {"decision": "approve"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.PUBLISHED
