"""The evaluation of a plan period as a page context, HTML and tagged PDF: one template for the
page and the PDF, as the annual report (rendering.py), shared by the pages, the API and the worker."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from civsam.core.pdf import html_to_pdf
from civsam.core.rendering import anonymous_request

from . import charts, indicator_status, permissions, text_format
from .evaluation import EvaluationSource, evaluation_source
from .models import ConsultationResponse, PeriodEvaluation, PeriodEvaluationPdf
from .report import built_at, localised

TEMPLATE = "plan/evaluation_detail.html"


def _dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def evaluation_context(
    evaluation: PeriodEvaluation, *, pdf: bool = False, source: EvaluationSource | None = None
) -> dict[str, Any]:
    source = source or evaluation_source(evaluation)
    snap = localised(source.snapshot)
    english = (translation.get_language() or "sv").startswith("en")
    for i, ind in enumerate(snap["indicators"]):
        ind["status_label"] = str(indicator_status.LABELS.get(ind["status"], ""))
        points = ind["series"]
        ind["chart"] = (
            charts.indicator_chart(
                chart_id=f"eval-ind-{i}",
                title=ind["name"],
                years=[p["year"] for p in points],
                actual=[_dec(p["actual"]) for p in points],
                target=[_dec(p["target"]) for p in points],
                decimals=ind["decimals"],
                unit=ind["unit"],
            )
            if points
            else None
        )
    snap["indicator_statuses"] = [
        {"label": str(indicator_status.LABELS.get(code, code)), "count": count}
        for code, count in snap.get("indicator_statuses", {}).items()
    ]
    labels = dict(ConsultationResponse.Disposition.choices)
    for consultation in snap["consultations"]:
        for row in consultation["dispositions"]:
            row["label"] = str(labels.get(row["code"], row["code"]))
        for row in consultation["public_dispositions"]:
            row["label"] = str(labels.get(row["disposition"], ""))
    sections = []
    for code, label in PeriodEvaluation.Section.choices:
        text = source.texts.get(code)
        body, lang = "", ""
        if text:
            body = text["en"] if english and text["en"] else text["sv"]
            lang = "sv" if english and not text["en"] else ""
        sections.append(
            {
                "code": code,
                "label": label,
                "html": mark_safe(text_format.to_html(body, heading_level=3)) if body else "",  # noqa: S308 - escaped by to_html
                "lang": lang,
                "version": text["version"] if text else None,
            }
        )
    return {
        "evaluation": evaluation,
        "snap": snap,
        "texts": {s["code"]: s for s in sections},
        "sections": sections,
        "built_at": built_at(source.snapshot) if source.published_at else None,
        "published_at": source.published_at,
        "pdf": pdf,
        "rule": indicator_status.RULE_TEXT,
    }


def evaluation_html(request, evaluation: PeriodEvaluation) -> str:
    context = evaluation_context(evaluation)
    context["can_edit"] = permissions.can_edit_evaluation(request.user, evaluation) and not evaluation.is_published
    return render_to_string(TEMPLATE, context, request=request)


def evaluation_pdf_render(row: PeriodEvaluationPdf) -> bytes:
    """The worker's renderer (PeriodEvaluationPdf.RENDERER): the evaluation as it was when the row
    was made (its stored figures, texts and publication), as a tagged PDF, seen as a visitor sees it."""
    evaluation = copy.copy(row.evaluation)
    evaluation.status = PeriodEvaluation.Status.PUBLISHED if row.published_at else PeriodEvaluation.Status.DRAFT
    evaluation.published_at = row.published_at
    source = EvaluationSource(row.snapshot, row.texts, row.published_at)
    with translation.override(row.language):
        html = render_to_string(
            TEMPLATE,
            {**evaluation_context(evaluation, pdf=True, source=source), "can_edit": False},
            request=anonymous_request(evaluation.get_absolute_url()),
        )
        return html_to_pdf(html, base_url=settings.CIVSAM_BASE_URL)


def evaluation_pdf_filename(evaluation: PeriodEvaluation, language: str) -> str:
    suffix = "" if language == "sv" else f"-{language}"
    return f"utvardering-{evaluation.plan.slug}{suffix}.pdf"
