"""Reads for consultations: every response of one consultation per chapter, in the plan's order,
as the coordinator reads them or as the public may (after closing, without what was withheld)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from .. import permissions
from ..models import Consultation, ConsultationResponse, ResponseAttachment, ResponseSection
from .tree import plan_with_tree


@dataclass
class SectionSummary:
    label: str
    code: str
    answers: list[tuple[str, str]] = field(default_factory=list)  # (respondent, text)
    # The response behind each answer, in the same order (two private persons share a public name).
    answered_by: list[ConsultationResponse] = field(default_factory=list)


@dataclass
class PublicResponse:
    """A response as the public reads it: withheld parts left out, a private person unnamed."""

    response: ConsultationResponse
    respondent: str
    general_comment: str  # blank when withheld
    sections: list[ResponseSection]
    attachments: list[ResponseAttachment]
    withheld: bool  # some part was withheld by the secrecy assessment


def consultation_get(pk: int) -> Consultation | None:
    return Consultation.objects.select_related("plan").filter(pk=pk).first()


def consultation_list_public() -> QuerySet[Consultation]:
    return Consultation.objects.select_related("plan").order_by("-deadline", "-id")


def _responses(consultation: Consultation) -> list[ConsultationResponse]:
    return list(
        ConsultationResponse.objects.filter(consultation=consultation)
        .select_related("organisation", "municipality", "submitted_by", "consultation")
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=ResponseSection.objects.select_related("focus_area", "priority_area__focus_area").order_by(
                    "id"
                ),
            ),
            "attachments",
        )
        .order_by("id")
    )


def public_view(response: ConsultationResponse) -> PublicResponse:
    sections = [s for s in response.sections.all() if not s.confidential_reason]
    attachments = [a for a in response.attachments.all() if not a.confidential_reason]
    comment = "" if response.general_comment_confidential_reason else response.general_comment
    withheld = (
        len(sections) != len(response.sections.all())
        or len(attachments) != len(response.attachments.all())
        or bool(response.general_comment_confidential_reason and response.general_comment)
    )
    return PublicResponse(response, response.public_respondent, comment, sections, attachments, withheld)


def public_responses(consultation: Consultation) -> list[PublicResponse]:
    """The responses anyone may read: none while the consultation is open, then every response the
    secrecy assessment did not withhold, without its withheld parts."""
    if consultation.status != Consultation.Status.CLOSED:
        return []
    return [public_view(r) for r in _responses(consultation) if permissions.is_response_public(r)]


def consultation_summary(
    consultation: Consultation, *, public: bool = False
) -> tuple[list[SectionSummary], list[ConsultationResponse] | list[PublicResponse]]:
    """Every chapter and area of the plan with every response to it; and the responses themselves.
    With public, only what public_responses shows, and private persons unnamed."""
    plan = plan_with_tree(consultation.plan_id)
    by_target: dict[tuple[str, object], list[tuple[str, str]]] = {}
    by: dict[tuple[str, object], list[ConsultationResponse]] = {}
    responses: list = public_responses(consultation) if public else _responses(consultation)
    for item in responses:
        sections, who = (item.sections, item.respondent) if public else (item.sections.all(), item.respondent)
        response = item.response if public else item
        for section in sections:
            if section.chapter:
                key: tuple[str, object] = ("ch", section.chapter)
            elif section.priority_area_id:
                key = ("pa", section.priority_area_id)
            else:
                key = ("fa", section.focus_area_id)
            by_target.setdefault(key, []).append((who, section.text))
            by.setdefault(key, []).append(response)

    def row(label: str, code: str, key: tuple[str, object]) -> SectionSummary:
        return SectionSummary(label, code, by_target.get(key, []), by.get(key, []))

    summary = [row(str(label), "", ("ch", value)) for value, label in ResponseSection.Chapter.choices]
    for fa in plan.focus_areas.all():
        summary.append(row(f"{fa.number}. {fa.title}", str(fa.number), ("fa", fa.pk)))
        for pa in fa.priority_areas.all():
            code = f"{fa.number}.{pa.number}"
            summary.append(row(f"{code} {pa.title}", code, ("pa", pa.pk)))
    return summary, responses
