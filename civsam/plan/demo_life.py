"""Demo data for the plan as a document and its period evaluated: the 2022–2025 plan's contact
people and an adopted document (a short PDF made by Civsam, marked as demo data), and a draft
evaluation of the period with the coordinator's first texts. Everything is invented; the texts
are Civsam's own words."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from civsam.core.pdf import html_to_pdf

from .models import PeriodEvaluation, Plan, PlanContact, PlanDocument
from .services import evaluation_get_or_create, evaluation_text_save, plan_contact_add, plan_document_upload

CONTACTS = [
    ("Karin Exempel", "Utvecklingsledare civilsamhälle (demodata)", "karin.exempel@example.se", "019-000 00 01"),
    ("Omar Påhittad", "Samordnare social ekonomi (demodata)", "omar.pahittad@example.se", ""),
]

EVALUATION_TEXTS = {
    PeriodEvaluation.Section.SUMMARY: (
        "Demodata. Under perioden har samverkan mellan regionen, kommunerna och föreningslivet blivit "
        "tätare: fler nätverk har bildats och fler insatser leds av civilsamhället självt.\n\n"
        "## Det viktigaste\n- nätverken och mötesplatserna kom längst\n- finansieringen över tid är "
        "fortfarande den svagaste punkten",
        "Demo data. During the period the Region, the municipalities and associations have worked more "
        "closely: more networks have formed and more initiatives are led by civil society itself.",
    ),
    PeriodEvaluation.Section.CONCLUSIONS: (
        "Demodata. Nästa plan bör följa **inflytande**, inte bara aktivitet: platser i råd och nätverk, "
        "remissvar och insatser som civilsamhället leder.",
        "",
    ),
}


def _document_pdf(plan: Plan) -> bytes:
    title = escape(plan.title_sv)
    return html_to_pdf(
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f"<h1>{title}</h1><p>Demodata: i en riktig installation laddar regionens administratör upp den "
        f"antagna planen här.</p><p>{escape(plan.goal_sv)}</p></body></html>",
        base_url="http://127.0.0.1/",
    )


def plan_life_demo_insert() -> dict[str, int]:
    """Contact people and a document for the 2022–2025 plan, and a draft evaluation of its period,
    where none is there yet."""
    plan = Plan.objects.filter(slug="2022-2025").first()
    counts = {"contacts": 0, "documents": 0, "evaluation_texts": 0}
    if plan is None:
        return counts
    if not PlanContact.objects.filter(plan=plan).exists():
        for name, role, email, phone in CONTACTS:
            plan_contact_add(actor=None, plan=plan, name=name, role=role, email=email, phone=phone)
            counts["contacts"] += 1
    if not PlanDocument.objects.filter(plan=plan).exists():
        content = _document_pdf(plan)
        upload = SimpleUploadedFile(f"handlingsplan-{plan.slug}.pdf", content, content_type="application/pdf")
        plan_document_upload(actor=None, plan=plan, upload=upload)
        counts["documents"] = 1
    if plan.status in (Plan.Status.ADOPTED, Plan.Status.SUPERSEDED):
        evaluation = evaluation_get_or_create(actor=None, plan=plan)
        if not evaluation.is_published and not evaluation.texts.exists():
            for section, (body_sv, body_en) in EVALUATION_TEXTS.items():
                evaluation_text_save(
                    actor=None, evaluation=evaluation, section=section, body_sv=body_sv, body_en=body_en
                )
                counts["evaluation_texts"] += 1
    return counts
