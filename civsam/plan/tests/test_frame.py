"""The wider frame (ADR 0122): the reference load keeps what the coordinator changed, tags on the
plan's areas and on initiatives, the filters, the API and the annual report's sections."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from civsam.core.models import AuditEntry
from civsam.plan import selectors, services
from civsam.plan.models import FrameTag
from civsam.plan.report import snapshot_build
from civsam.plan.services.frame import FRAME_FILE

pytestmark = pytest.mark.django_db

SDG_NAMES = [
    (1, "Ingen fattigdom", "No poverty"),
    (5, "Jämställdhet", "Gender equality"),
    (10, "Minskad ojämlikhet", "Reduced inequalities"),
    (16, "Fredliga och inkluderande samhällen", "Peace, justice and strong institutions"),
    (17, "Genomförande och globalt partnerskap", "Partnerships for the goals"),
]


def test_the_load_gives_all_17_goals_and_what_the_strategy_names(frame_tags):
    goals = FrameTag.objects.filter(kind=FrameTag.Kind.SDG)
    assert sorted(goals.values_list("number", flat=True)) == list(range(1, 18))
    assert all(tag.source for tag in FrameTag.objects.all())
    rus = frame_tags["rus-social-sammanhallning"]
    assert {t.kind for t in rus.children.all()} == {FrameTag.Kind.RUS_DIRECTION, FrameTag.Kind.RUS_POSITION}
    assert rus.children.filter(kind=FrameTag.Kind.RUS_POSITION).count() == 3
    assert FrameTag.objects.filter(kind=FrameTag.Kind.STRATEGY).count() == 6


@pytest.mark.parametrize(("number", "name_sv", "name_en"), SDG_NAMES)
def test_goal_names_in_both_languages(frame_tags, number, name_sv, name_en):
    goal = FrameTag.objects.get(kind=FrameTag.Kind.SDG, number=number)
    assert (goal.name_sv, goal.name_en) == (name_sv, name_en)


def test_a_second_load_changes_nothing(frame_tags):
    before = AuditEntry.objects.count()
    result = services.frame_tags_load_reference()
    assert (result.created, result.updated, result.disagreements) == ([], [], [])
    assert AuditEntry.objects.count() == before


def test_the_load_keeps_a_name_the_coordinator_changed_and_says_so(frame_tags, tmp_path):
    tag = frame_tags["strategi-kulturplan"]
    FrameTag.objects.filter(pk=tag.pk).update(name_sv="Regional kulturplan 2024–2027")
    data = json.loads(FRAME_FILE.read_text(encoding="utf-8"))
    for item in data["items"]:
        if item["code"] == "strategi-kulturplan":
            item["name_sv"] = "Kulturplanen"
        if item["code"] == "strategi-biblioteksplan":
            item["name_en"] = "County library plan"
    changed = tmp_path / "frame.json"
    changed.write_text(json.dumps(data), encoding="utf-8")

    result = services.frame_tags_load_reference(path=changed)

    tag.refresh_from_db()
    assert tag.name_sv == "Regional kulturplan 2024–2027"
    assert len(result.disagreements) == 1 and "strategi-kulturplan" in result.disagreements[0]
    # A name nobody touched follows the file.
    assert FrameTag.objects.get(code="strategi-biblioteksplan").name_en == "County library plan"
    assert result.updated == ["strategi-biblioteksplan name_en"]


def test_the_load_leaves_tags_the_coordinator_added(frame_tags):
    FrameTag.objects.create(kind=FrameTag.Kind.RUS_PRIORITY, code="rus-egen", name_sv="Eget område", name_en="Own")
    services.frame_tags_load_reference()
    assert FrameTag.objects.filter(code="rus-egen").exists()


def test_tagging_an_area_is_the_coordinators_and_logged(frame_tags, area, users):
    priority_area = area("1.1")
    goal = frame_tags["sdg-10"]
    with pytest.raises(PermissionDenied) as denied:
        services.area_frame_tags_set(actor=users["officer"], area=priority_area, tags=[goal])
    assert "samordnare" in str(denied.value)
    assert services.area_frame_tags_set(actor=users["admin"], area=priority_area, tags=[goal]) is True
    assert list(priority_area.frame_tags.all()) == [goal]
    assert services.area_frame_tags_set(actor=users["admin"], area=priority_area, tags=[goal]) is False
    assert AuditEntry.objects.filter(object_id=str(priority_area.pk), changes__has_key="frame_tags").count() == 1


@pytest.mark.parametrize(
    ("role", "allowed"), [("admin", True), ("officer", False), ("rep", False), ("plain", False), ("anonymous", False)]
)
def test_who_may_tag_plan_areas(users, plan, role, allowed):
    from civsam.plan import permissions

    user = users[role]
    assert permissions.can_tag_plan_areas(user, plan) is allowed
    assert permissions.plans_taggable_by(user).filter(pk=plan.pk).exists() is allowed


def test_the_filter_finds_initiatives_tagged_themselves_or_through_their_area(frame_tags, make_initiative, area):
    goal = frame_tags["sdg-10"]
    own = make_initiative(areas=("2.1",), frame_tags=[goal], title="Egen tagg")
    services.area_frame_tags_set(actor=None, area=area("1.1"), tags=[goal])
    via_area = make_initiative(areas=("1.1",), title="Via området")
    via_focus = make_initiative(areas=("3.1",), title="Via insatsområdet")
    services.area_frame_tags_set(actor=None, area=area("3.1").focus_area, tags=[goal])
    make_initiative(areas=("2.2",), title="Utan")

    found = selectors.initiative_list(selectors.InitiativeFilter(frame_tag="sdg-10"))

    assert sorted(i.title for i in found) == sorted([own.title, via_area.title, via_focus.title])
    assert selectors.effective_tag_ids([own, via_area])[via_area.pk] == {goal.pk}


def test_the_report_groups_the_years_initiatives_by_tag(frame_tags, make_initiative, plan, area):
    goal, culture = frame_tags["sdg-4"], frame_tags["strategi-kulturplan"]
    services.area_frame_tags_set(actor=None, area=area("1.1"), tags=[goal])
    a = make_initiative(areas=("1.1",), title="Studiecirklar", start_date=datetime.date(2024, 2, 1))
    b = make_initiative(
        areas=("2.1",), frame_tags=[goal, culture], title="Kulturcaféer", start_date=datetime.date(2024, 1, 1)
    )
    make_initiative(areas=("2.1",), frame_tags=[culture], title="Förra året", start_date=datetime.date(2020, 1, 1),
                    end_date=datetime.date(2020, 12, 31))  # fmt: skip

    frame = snapshot_build(plan, 2024)["frame"]

    by_kind = {section["kind"]: section for section in frame}
    assert list(by_kind) == ["strategy", "sdg"]
    sdg = by_kind["sdg"]["tags"]
    assert [(t["code"], sorted(i["title"] for i in t["initiatives"])) for t in sdg] == [
        ("sdg-4", sorted([a.title, b.title]))
    ]
    assert [i["title"] for i in by_kind["strategy"]["tags"][0]["initiatives"]] == [b.title]
    json.dumps(frame)  # stored with the published report


def test_the_api_lists_the_tags_and_filters_initiatives(client, frame_tags, make_initiative):
    make_initiative(frame_tags=[frame_tags["sdg-5"]], title="Jämställd förening")
    make_initiative(title="Annan")
    tags = client.get("/api/v1/frame-tags").json()["items"]
    goal = next(t for t in tags if t["code"] == "sdg-5")
    assert (goal["kind"], goal["number"], goal["nameSv"], goal["nameEn"]) == (
        "sdg",
        5,
        "Jämställdhet",
        "Gender equality",
    )
    assert goal["source"]
    items = client.get("/api/v1/initiatives", {"frame-tag": "sdg-5"}).json()["items"]
    assert [(i["title"], i["frameTags"]) for i in items] == [("Jämställd förening", ["sdg-5"])]
    unknown = client.get("/api/v1/initiatives", {"frame-tag": "sdg-99"})
    assert unknown.status_code == 400
    assert unknown.json()["invalidParameters"][0]["name"] == "frame-tag"


def test_the_plan_in_the_api_carries_the_areas_tags(client, frame_tags, area):
    services.area_frame_tags_set(actor=None, area=area("1.1"), tags=[frame_tags["rus-delaktighet"]])
    body = client.get("/api/v1/plans/2022-2025").json()
    first = body["focusAreas"][0]
    assert first["frameTags"] == []
    assert first["priorityAreas"][0]["frameTags"] == ["rus-delaktighet"]


def test_the_coordinator_tags_an_area_in_the_browser(client, users, frame_tags, area):
    url = reverse("plan:area-frame-edit", args=["2022-2025", "1.1"])
    client.force_login(users["officer"])
    assert client.get(url).status_code == 403
    client.force_login(users["admin"])
    page = client.get(url)
    assert page.status_code == 200 and "Minskad ojämlikhet" in page.content.decode()
    response = client.post(url, {"frame_tags": [frame_tags["sdg-10"].pk, frame_tags["rus-delaktighet"].pk]})
    assert response.status_code == 302
    assert sorted(t.code for t in area("1.1").frame_tags.all()) == ["rus-delaktighet", "sdg-10"]
    detail = client.get(response.url).content.decode()
    assert "Minskad ojämlikhet" in detail and "Större delaktighet i samhället" in detail


def test_the_followup_page_filters_by_tag(client, frame_tags, make_initiative):
    make_initiative(frame_tags=[frame_tags["sdg-3"]], title="Hälsocaféet")
    make_initiative(title="Schackklubben")
    page = client.get(reverse("plan:followup", args=["2022-2025"]), {"frame": "sdg-3"}).content.decode()
    assert "Hälsocaféet" in page and "Schackklubben" not in page


def test_the_demo_tags_the_plans_and_assesses_some_initiatives(reference_data):
    from civsam.plan.demo import followup_demo_insert
    from civsam.plan.models import FocusArea, Initiative

    followup_demo_insert(initiatives=30, indicators=1, years=2)
    assert FrameTag.objects.filter(kind=FrameTag.Kind.SDG).count() == 17  # loaded when missing
    assert all(fa.frame_tags.filter(code="rus-social-sammanhallning").exists() for fa in FocusArea.objects.all())
    demo = Initiative.objects.filter(is_demo=True)
    assessed = [i for i in demo if i.consequences_assessed]
    assert 0 < len(assessed) < demo.count()
    assert all(i.environment_note or i.environment_assessment == "neutral" for i in assessed)
    tagged = selectors.initiative_list(selectors.InitiativeFilter(frame_tag="rus-social-sammanhallning"))
    assert tagged.count() == demo.count()  # every demo initiative serves a priority area of the plans
