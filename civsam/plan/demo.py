"""Generated follow-up data for the demo site and the benchmark: initiatives, milestones, outputs,
indicators with targets and values. All of it is marked is_demo and invented; nothing refers to a
real initiative. Bulk-inserted (the rows are generated, not user writes, so no audit entries)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from civsam.core.models import Municipality, Principle, SocietalRole
from civsam.registry.models import Organisation

from .models import (
    FocusArea,
    FrameTag,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Initiative,
    InitiativeFunding,
    InitiativeOutput,
    InitiativeStatus,
    Milestone,
    ParticipantCount,
    Plan,
    PriorityArea,
)

VERBS = ("Utbildning i", "Nätverk för", "Förstudie om", "Mötesplats för", "Kartläggning av", "Samverkan kring")
TOPICS = (
    "föreningsbidrag",
    "sociala företag",
    "idéburet offentligt partnerskap",
    "upphandling med sociala hänsyn",
    "ungas engagemang",
    "statistik om civilsamhället",
    "samhällsnyttans värde",
    "volontärsamordning",
    "lokala mötesplatser",
    "integration genom idrott",
    "kulturföreningar på landsbygden",
    "digital delaktighet",
)
FUNDERS = ("Region Örebro län", "Kommunen", "Allmänna arvsfonden", "Länsstyrelsen", "Egen finansiering")
LEADS = ("Region Örebro län", "Örebro universitet", "Länsnätverket för social ekonomi")


def _title(rng: random.Random, n: int) -> str:
    return f"{rng.choice(VERBS)} {rng.choice(TOPICS)} ({n})"


@transaction.atomic
def followup_demo_insert(
    *,
    initiatives: int = 60,
    indicators: int = 12,
    years: int = 4,
    milestones_per_initiative: int = 3,
    seed: int = 2026,
    plan_slug: str = "2022-2025",
) -> dict[str, int]:
    rng = random.Random(seed)
    plan = Plan.objects.get(slug=plan_slug)
    areas = list(PriorityArea.objects.filter(focus_area__plan=plan).select_related("focus_area"))
    other_areas = list(PriorityArea.objects.exclude(focus_area__plan=plan))
    statuses = {s.code: s for s in InitiativeStatus.objects.all()}
    municipalities = list(Municipality.objects.all())
    principles = list(Principle.objects.all())
    roles = list(SocietalRole.objects.all())
    orgs = list(Organisation.objects.order_by("id").values_list("id", "municipality_id")[:2000])
    first_year = plan.start_year
    status_cycle = ["completed", "ongoing", "ongoing", "started", "planned", "paused", "cancelled"]
    objects = []
    for n in range(1, initiatives + 1):
        status = statuses[rng.choice(status_cycle)]
        start = datetime.date(first_year + rng.randrange(0, years), rng.randrange(1, 13), 1)
        end = start + datetime.timedelta(days=rng.randrange(180, 900))
        progress = {"completed": 100, "planned": 0, "cancelled": rng.randrange(0, 40)}.get(
            status.code, rng.randrange(5, 96)
        )
        kind = rng.random()
        lead_org = lead_mun = None
        lead_name = ""
        if kind < 0.6 and orgs:
            lead_org = rng.choice(orgs)[0]
        elif kind < 0.85:
            lead_mun = rng.choice(municipalities).pk
        else:
            lead_name = rng.choice(LEADS)
        objects.append(
            Initiative(
                ref=f"demo-{seed}-{n}",
                title=_title(rng, n),
                description="Demodata: en påhittad insats för att visa uppföljningen.",
                lead_organisation_id=lead_org,
                lead_municipality_id=lead_mun,
                lead_name=lead_name,
                start_date=start,
                end_date=end,
                budget=Decimal(rng.randrange(20, 2000) * 1000),
                status=status,
                progress=progress,
                weight=Decimal(rng.choice((1, 1, 1, 2, 3))),
                is_demo=True,
            )
        )
    created = Initiative.objects.bulk_create(objects, batch_size=1000)
    if not created or created[0].pk is None:  # SQLite before 3.35 returns no ids
        created = list(Initiative.objects.filter(ref__startswith=f"demo-{seed}-").order_by("id"))
    area_rows, mun_rows, principle_rows, role_rows, milestone_rows = [], [], [], [], []
    funding_rows, output_rows, participant_rows = [], [], []
    AreaThrough = Initiative.priority_areas.through
    MunThrough = Initiative.municipalities.through
    PrincipleThrough = Initiative.principles.through
    RoleThrough = Initiative.roles.through
    for initiative in created:
        chosen = rng.sample(areas, k=rng.choice((1, 1, 2)))
        if other_areas and rng.random() < 0.2:
            chosen.append(rng.choice(other_areas))  # serves the next plan version as well
        area_rows += [AreaThrough(initiative_id=initiative.pk, priorityarea_id=a.pk) for a in chosen]
        mun_rows += [
            MunThrough(initiative_id=initiative.pk, municipality_id=m.pk)
            for m in rng.sample(municipalities, k=rng.randrange(1, 4))
        ]
        principle_rows += [
            PrincipleThrough(initiative_id=initiative.pk, principle_id=p.pk) for p in rng.sample(principles, k=2)
        ]
        role_rows += [RoleThrough(initiative_id=initiative.pk, societalrole_id=r.pk) for r in rng.sample(roles, k=1)]
        for m in range(milestones_per_initiative):
            due = initiative.start_date + datetime.timedelta(days=60 * (m + 1))
            done = due if initiative.progress >= (m + 1) * 100 / (milestones_per_initiative + 1) else None
            milestone_rows.append(
                Milestone(initiative_id=initiative.pk, title=f"Delmål {m + 1}", due_date=due, completed_on=done)
            )
        funding_rows.append(
            InitiativeFunding(initiative_id=initiative.pk, source=rng.choice(FUNDERS), amount=initiative.budget)
        )
        year = initiative.start_date.year
        output_rows.append(
            InitiativeOutput(
                initiative_id=initiative.pk,
                year=year,
                meetings_held=rng.randrange(0, 12),
                reports_published=rng.randrange(0, 3),
            )
        )
        for gender in ("women", "men"):
            for band in ("18-29", "30-64"):
                participant_rows.append(
                    ParticipantCount(
                        initiative_id=initiative.pk, year=year, gender=gender, age_band=band, count=rng.randrange(0, 40)
                    )
                )
    for model, rows in (
        (AreaThrough, area_rows),
        (MunThrough, mun_rows),
        (PrincipleThrough, principle_rows),
        (RoleThrough, role_rows),
        (Milestone, milestone_rows),
        (InitiativeFunding, funding_rows),
        (InitiativeOutput, output_rows),
        (ParticipantCount, participant_rows),
    ):
        model.objects.bulk_create(rows, batch_size=2000)
    # A few sub-initiatives, to show the roll-up through more than one level of initiatives.
    for parent, child in zip(created[0:6:2], created[1:6:2], strict=False):
        Initiative.objects.filter(pk=child.pk).update(parent=parent)
    indicator_count = _indicators(rng, plan, areas, indicators, years, seed)
    _frame(random.Random(seed + 1), created)
    return {
        "initiatives": len(created),
        "milestones": len(milestone_rows),
        "indicators": indicator_count,
    }


def _indicators(rng: random.Random, plan: Plan, areas, count: int, years: int, seed: int) -> int:
    focus_areas = list(plan.focus_areas.all())
    made = 0
    targets, values = [], []
    for n in range(1, count + 1):
        higher = rng.random() < 0.8
        baseline = Decimal(rng.randrange(20, 200))
        level = n % 3
        indicator = Indicator.objects.create(
            plan=plan,
            focus_area=focus_areas[n % len(focus_areas)] if level == 1 else None,
            priority_area=rng.choice(areas) if level == 2 else None,
            code=f"demo-{seed}-ind-{n}",
            name_sv=f"Demoindikator {n}: {rng.choice(TOPICS)}",
            name_en=f"Demo indicator {n}",
            unit="antal",
            direction=Indicator.Direction.HIGHER if higher else Indicator.Direction.LOWER,
            baseline_year=plan.end_year - years,
            baseline_value=baseline,
            is_demo=True,
        )
        made += 1
        step = Decimal(rng.randrange(3, 15)) * (1 if higher else -1)
        for i in range(years):
            year = plan.end_year - years + 1 + i  # the last `years` years up to the plan's end
            target = baseline + step * (i + 1)
            targets.append(IndicatorTarget(indicator=indicator, year=year, value=target))
            actual = baseline + step * (i + 1) * Decimal(rng.choice(("1.1", "0.95", "0.7", "0.3", "-0.2")))
            values.append(
                IndicatorValue(indicator=indicator, year=year, value=actual.quantize(Decimal(1)), source="Demodata")
            )
    IndicatorTarget.objects.bulk_create(targets, batch_size=2000)
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
    return made


# What each focus area (by number, the same in both plan versions) and some priority areas serve in
# the wider frame: Civsam's reading of the plans' own references to the regional development
# strategy, the other regional strategies and Agenda 2030 (ADR 0122), for the demo.
FOCUS_FRAME = {
    1: ("rus-social-sammanhallning", "rus-delaktighet", "sdg-16"),
    2: ("rus-social-sammanhallning", "rus-civilsamhalle-folkbildning"),
    3: ("rus-social-sammanhallning", "rus-delaktighet", "sdg-17"),
    4: ("rus-social-sammanhallning", "rus-digitalisering-internationellt", "strategi-internationalisering", "sdg-17"),
}
AREA_FRAME = {
    "sociala företag": ("rus-socialt-foretagande", "sdg-8", "strategi-smart-specialisering"),
    "upphandling": ("sdg-12",),
    "statistik": ("sdg-17",),
}
INITIATIVE_FRAME = (
    ("sdg-3", "strategi-god-jamlik-halsa"),
    ("sdg-4", "strategi-kompetensforsorjning"),
    ("strategi-kulturplan",),
    ("strategi-biblioteksplan", "sdg-4"),
    ("sdg-5",),
    ("sdg-10",),
)
CONSEQUENCE_NOTES = {
    "environment": ("Träffarna hålls digitalt eller nära kollektivtrafik.", "Resor med bil till landsbygden."),
    "children": ("Barn och unga är med och planerar.", "Barnpassning erbjuds vid träffarna."),
    "gender": (
        "Kvinnor och män är lika många bland deltagarna.",
        "Styrelserna är mansdominerade; insatsen följer upp.",
    ),
}


def _frame(rng: random.Random, initiatives: list[Initiative]) -> None:
    """Tag the plans' areas and some initiatives, and assess the consequences of some (demo data)."""
    from .services import frame_tags_load_reference

    if not FrameTag.objects.exists():
        frame_tags_load_reference()
    tags = {tag.code: tag for tag in FrameTag.objects.all()}
    for focus_area in FocusArea.objects.prefetch_related("priority_areas"):
        focus_area.frame_tags.add(*(tags[c] for c in FOCUS_FRAME.get(focus_area.number, ()) if c in tags))
        for area in focus_area.priority_areas.all():
            for words, codes in AREA_FRAME.items():
                if words in area.title_sv:
                    area.frame_tags.add(*(tags[c] for c in codes if c in tags))
    Through = Initiative.frame_tags.through
    rows = []
    for initiative in initiatives:
        if rng.random() < 0.4:
            rows += [
                Through(initiative_id=initiative.pk, frametag_id=tags[c].pk)
                for c in rng.choice(INITIATIVE_FRAME)
                if c in tags
            ]
        if rng.random() < 0.5:
            values = {}
            for perspective, (good, bad) in CONSEQUENCE_NOTES.items():
                assessment = rng.choice(("positive", "positive", "neutral", "negative"))
                values[f"{perspective}_assessment"] = assessment
                values[f"{perspective}_note"] = {"positive": good, "negative": bad}.get(assessment, "")
            Initiative.objects.filter(pk=initiative.pk).update(**values)
    Through.objects.bulk_create(rows, ignore_conflicts=True)
