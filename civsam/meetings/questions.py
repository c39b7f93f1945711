"""Answers to an organiser's own registration questions: checked and cleaned. No database
(gettext only picks the language of the messages)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

TEXT, CHOICE, YES_NO = "text", "choice", "yes_no"
YES_NO_VALUES = {"ja": "ja", "nej": "nej", "yes": "ja", "no": "nej", "true": "ja", "false": "nej"}
MAX_TEXT = 1000


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    label: str
    kind: str = TEXT
    required: bool = False
    choices: Sequence[str] = field(default_factory=tuple)


def clean_answers(questions: Sequence[QuestionSpec], raw: Mapping[str, object]) -> tuple[dict[str, str], list[str]]:
    """Return (answers keyed by question id as text, Swedish error messages). Unknown keys are errors."""
    known = {str(q.id) for q in questions}
    errors = [_("Okänd fråga: %(key)s.") % {"key": key} for key in sorted(set(map(str, raw)) - known)]
    cleaned: dict[str, str] = {}
    for question in questions:
        value = raw.get(str(question.id), raw.get(question.id, ""))  # type: ignore[call-overload]
        text = "" if value is None else str(value).strip()
        if not text:
            if question.required:
                errors.append(_("Svara på frågan ”%(label)s”.") % {"label": question.label})
            continue
        if question.kind == CHOICE and text not in question.choices:
            errors.append(_("Välj ett av alternativen för ”%(label)s”.") % {"label": question.label})
            continue
        if question.kind == YES_NO:
            if text.lower() not in YES_NO_VALUES:
                errors.append(_("Svara ja eller nej på ”%(label)s”.") % {"label": question.label})
                continue
            text = YES_NO_VALUES[text.lower()]
        if len(text) > MAX_TEXT:
            errors.append(
                _("Svaret på ”%(label)s” är för långt (högst %(max)s tecken).")
                % {"label": question.label, "max": MAX_TEXT}
            )
            continue
        cleaned[str(question.id)] = text
    return cleaned, errors
