"""Demo data for the plan's life: the 2026–2030 draft sent out for consultation by a (made-up)
decision, with responses from demo organisations, a municipality and a private person, and the
coordinator's dispositions on some of them. The texts are Civsam's own, short and invented."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from civsam.core.models import Municipality
from civsam.registry.models import Organisation

from .models import Consultation, ConsultationResponse, Plan, PriorityArea, ResponseSection
from .selectors import plan_with_tree
from .services import (
    DecisionIn,
    SectionIn,
    consultation_open,
    consultation_respond,
    consultation_response_dispose,
    plan_text_save,
)

CH = ResponseSection.Chapter

# (chapter or priority area code, text) per respondent, in the order they are given out.
ANSWERS = [
    [
        (CH.PRINCIPLES, "Principen om självständighet bör stå först: den bär de andra."),
        ("2.1", "Fleråriga föreningsbidrag skulle ge oss arbetsro. Ettåriga beslut tar tid från verksamheten."),
    ],
    [
        (CH.FINANCING, "Planen bör säga hur länsgemensamma insatser finansieras efter projekttiden."),
        ("3.3", "Mötesplatserna utanför Örebro behöver stöd, inte bara de i centralorten."),
    ],
    [
        (CH.DEFINITIONS, "Gör det tydligt att sociala företag kan ha olika juridiska former."),
        ("2.3", "Arbetsintegrerande sociala företag behöver bli en del av upphandlingarna."),
    ],
]
MUNICIPAL_ANSWER = [
    (CH.ROLES, "Kommunens roll som bidragsgivare och samverkanspart kan beskrivas tydligare."),
    ("2.4", "Vi vill gärna pröva reserverad upphandling tillsammans med regionen."),
]
PRIVATE_ANSWER = [(CH.ACTORS, "Glöm inte de små byaföreningarna på landsbygden – de bär mycket av gemenskapen.")]


def _sections(plan: Plan, answers) -> list[SectionIn]:
    sections = []
    for target, text in answers:
        if target in CH.values:
            sections.append(SectionIn(text, chapter=target))
        else:
            fa, pa = target.split(".")
            area = PriorityArea.objects.get(focus_area__plan=plan, focus_area__number=fa, number=pa)
            sections.append(SectionIn(text, priority_area=area))
    return sections


def consultation_demo_insert() -> int:
    """Send the 2026–2030 draft out for consultation with some responses; returns the response count.
    Does nothing when the plan is no longer a draft (already on consultation or adopted)."""
    plan = Plan.objects.filter(slug="2026-2030", status=Plan.Status.DRAFT).first()
    if plan is None:
        return 0
    today = timezone.localdate()
    consultation = consultation_open(
        actor=None,
        plan=plan,
        title="Remiss: Regional handlingsplan för civilsamhälle och social ekonomi 2026–2030",
        description="Demodata. Lämna synpunkter på planens kapitel, insatsområden och prioriterade aktivitetsområden.",
        deadline=today + datetime.timedelta(days=30),
        decision=DecisionIn(
            body="Kulturnämnden",
            decided_on=today - datetime.timedelta(days=14),
            case_number=f"{(today.year - 1) % 100:02d}RS4711",
            note="Demodata: beslutet är påhittat.",
        ),
    )
    count = 0
    organisations = Organisation.objects.filter(is_demo=True).order_by("id")[: len(ANSWERS)]
    for organisation, answers in zip(organisations, ANSWERS, strict=False):
        consultation_respond(
            actor=None, consultation=consultation, organisation=organisation, sections=_sections(plan, answers)
        )
        count += 1
    kumla = Municipality.objects.filter(code="1881").first()
    if kumla is not None:
        consultation_respond(
            actor=None, consultation=consultation, municipality=kumla, sections=_sections(plan, MUNICIPAL_ANSWER)
        )
        count += 1
    person = get_user_model().objects.filter(username="bedomare").first()
    if person is not None:
        consultation_respond(
            actor=person, consultation=consultation, private_person=True, sections=_sections(plan, PRIVATE_ANSWER)
        )
        count += 1
    _dispose_first(consultation)
    return count


def _dispose_first(consultation: Consultation) -> None:
    """The coordinator has begun: a disposition on the first two responses."""
    first, second = [*consultation.responses.order_by("id")[:2], None, None][:2]
    if first is not None:
        consultation_response_dispose(
            actor=None,
            response=first,
            disposition=ConsultationResponse.Disposition.PARTLY,
            reason="Självständigheten lyfts i inledningen; ordningen mellan principerna behålls.",
            change="Ett stycke om fleråriga bidrag har lagts till under 2.1.",
        )
    if second is not None:
        consultation_response_dispose(
            actor=None,
            response=second,
            disposition=ConsultationResponse.Disposition.TAKEN_IN,
            reason="Finansieringen efter projekttiden saknades i utkastet.",
            change="Kapitlet om finansiering beskriver nu hur insatser kan fortsätta efter projekttiden.",
        )


# Short summaries in Civsam's own words of the 2022–2025 plan and its focus areas (demo texts).
TEXTS_2022 = {
    "plan": (
        "Planen samlar regionen, kommunerna och civilsamhället kring ett mål: att civilsamhället och den "
        "sociala ekonomin ska få större del i och inflytande över hur länet utvecklas.\n\n"
        "## Så används den\n- som stöd när insatser planeras och följs upp\n- som gemensam bild i dialogen "
        "mellan offentliga aktörer och föreningslivet",
        "The plan gathers the Region, the municipalities and civil society around one goal: a larger share "
        "and more influence for civil society and the social economy in the county's development.",
    ),
    "1": ("Kunskap och statistik om sektorn, och metoder som visar **samhällsnyttan**.", ""),
    "2": ("Bidrag, finansiering, sociala företag och upphandling: villkor som håller över tid.", ""),
    "3": ("Nätverk och mötesplatser där sektorerna lär av varandra.", ""),
    "4": ("Erfarenheter från internationellt samarbete som kommer hela länet till del.", ""),
}


def plan_texts_demo_insert() -> int:
    """The demo's texts about the 2022–2025 plan and its focus areas, where none is written yet."""
    plan = plan_with_tree("2022-2025")
    written = set(plan.texts.values_list("target", flat=True))
    count = 0
    for target, (body_sv, body_en) in TEXTS_2022.items():
        if target not in written:
            plan_text_save(actor=None, plan=plan, target=target, body_sv=body_sv, body_en=body_en)
            count += 1
    return count
