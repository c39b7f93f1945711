"""The coordinator's texts about the plan and its areas: the limited formatting (pure), versions,
who may write, the preview and the pages that show them."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from civsam.plan import selectors
from civsam.plan.models import PlanText
from civsam.plan.services import plan_text_save
from civsam.plan.text_format import to_html


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("Ett stycke.", "<p>Ett stycke.</p>"),
        ("Rad ett\nrad två", "<p>Rad ett<br>rad två</p>"),
        ("Ett\n\nTvå", "<p>Ett</p>\n<p>Två</p>"),
        ("- a\n- b", "<ul><li>a</li><li>b</li></ul>"),
        ("Intro\n- a\nEfter", "<p>Intro</p>\n<ul><li>a</li></ul>\n<p>Efter</p>"),
        ("## Rubrik\nText", "<h3>Rubrik</h3>\n<p>Text</p>"),
        ("Ett **viktigt** ord", "<p>Ett <strong>viktigt</strong> ord</p>"),
        ("** inte fett **", "<p>** inte fett **</p>"),
        ('<b>x</b> & "y"', "<p>&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;</p>"),
        ("[länk](javascript:alert(1))", "<p>[länk](javascript:alert(1))</p>"),
        ("", ""),
        ("\r\n\r\n  ", ""),
    ],
)
def test_formatting(source, html):
    assert to_html(source) == html


ALLOWED_TAG = re.compile(r"</?(p|br|ul|li|h3|strong)>")


@given(st.text(max_size=300))
def test_nothing_the_writer_types_becomes_markup(source):
    html = to_html(source)
    # Every "<" in the output starts one of the allowed tags: the writer's own are escaped.
    assert ALLOWED_TAG.sub("", html).count("<") == 0
    assert "<script" not in html.lower()


@pytest.fixture
def plan(reference_data):
    return selectors.plan_with_tree("2022-2025")


def test_each_save_is_a_new_version_and_an_unchanged_text_is_not(plan, users):
    first = plan_text_save(actor=users["admin"], plan=plan, target="2.1", body_sv="Första")
    same = plan_text_save(actor=users["admin"], plan=plan, target="2.1", body_sv="  Första ")
    second = plan_text_save(actor=users["admin"], plan=plan, target="2.1", body_sv="Andra", body_en="Second")
    assert (first.version, same.pk, second.version) == (1, first.pk, 2)
    assert selectors.plan_texts(plan.pk)["2.1"].body_sv == "Andra"
    assert list(PlanText.objects.filter(target="2.1").values_list("body_sv", flat=True)) == ["Andra", "Första"]


@pytest.mark.parametrize(("target", "body"), [("9", "Text"), ("1.9", "Text"), ("plan", "  "), ("plan", "x" * 20_001)])
def test_a_wrong_part_or_text_saves_nothing(plan, users, target, body):
    with pytest.raises(ValidationError):
        plan_text_save(actor=users["admin"], plan=plan, target=target, body_sv=body)
    assert not PlanText.objects.exists()


@pytest.mark.parametrize("role", ["officer", "rep", "plain"])
def test_only_the_coordinator_writes(plan, users, role):
    with pytest.raises(PermissionDenied):
        plan_text_save(actor=users[role], plan=plan, target="plan", body_sv="Text")
    client = Client()
    client.force_login(users[role])
    assert client.get(reverse("plan:plan-text-edit", args=[plan.slug, "plan"])).status_code == 403


def test_preview_then_save_in_the_browser(plan, users):
    client = Client()
    client.force_login(users["admin"])
    url = reverse("plan:plan-text-edit", args=[plan.slug, "3"])
    body = {"body_sv": "## Nätverk\n- Ett **viktigt** nätverk\n<i>x</i>", "body_en": "Networks"}
    preview = client.post(url, {**body, "action": "preview"})
    html = preview.content.decode()
    assert preview.status_code == 200 and "<strong>viktigt</strong>" in html and "&lt;i&gt;x&lt;/i&gt;" in html
    assert not PlanText.objects.exists()  # a preview saves nothing
    saved = client.post(url, {**body, "action": "save"})
    assert saved["Location"] == reverse("plan:focus-area-detail", args=[plan.slug, 3])
    page = Client().get(saved["Location"]).content.decode()
    assert "<h3>Nätverk</h3>" in page and "<li>Ett <strong>viktigt</strong> nätverk<br>" not in page
    assert "<strong>viktigt</strong>" in page and "Version 1" in page
    assert client.get(reverse("plan:plan-text-edit", args=[plan.slug, "7.7"])).status_code == 404


def test_english_visitors_read_the_english_text(plan, users):
    plan_text_save(actor=None, plan=plan, target="plan", body_sv="Svensk text", body_en="English text")
    client = Client()
    client.cookies["django_language"] = "en"
    assert "English text" in client.get(plan.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Svensk text" in Client().get(plan.get_absolute_url()).content.decode()
