"""Reads for consultations: all responses of one consultation per section, in the plan's order."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from ..models import Consultation, ConsultationResponse, ResponseSection
from .tree import plan_with_tree


@dataclass
class SectionSummary:
    label: str
    code: str
    answers: list[tuple[str, str]] = field(default_factory=list)  # (respondent, text)


def consultation_get(pk: int) -> Consultation | None:
    return Consultation.objects.select_related("plan").filter(pk=pk).first()


def consultation_summary(consultation: Consultation) -> tuple[list[SectionSummary], list[ConsultationResponse]]:
    """Every section of the plan with every response to it; and the responses themselves."""
    plan = plan_with_tree(consultation.plan_id)
    responses = list(
        ConsultationResponse.objects.filter(consultation=consultation)
        .select_related("organisation", "municipality")
        .prefetch_related(Prefetch("sections", queryset=ResponseSection.objects.order_by("id")), "attachments")
        .order_by("id")
    )
    by_target: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for response in responses:
        for section in response.sections.all():
            key = ("pa", section.priority_area_id) if section.priority_area_id else ("fa", section.focus_area_id)
            by_target.setdefault(key, []).append((response.respondent, section.text))
    sections = []
    for fa in plan.focus_areas.all():
        sections.append(SectionSummary(f"{fa.number}. {fa.title}", str(fa.number), by_target.get(("fa", fa.pk), [])))
        for pa in fa.priority_areas.all():
            code = f"{fa.number}.{pa.number}"
            sections.append(SectionSummary(f"{code} {pa.title}", code, by_target.get(("pa", pa.pk), [])))
    return sections, responses
