"""What the funding app's views share: a service's validation errors onto a form or as messages,
and how an answer reads on a page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civsam.core.models import Municipality

from .. import answers, rules
from ..forms import ANSWER_PREFIX


def form_errors(form, error: ValidationError) -> None:
    """Put a service's errors on the form: by field where the form has it (answers by key), else
    at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            if name in form.fields:
                form.add_error(name, errors)
            elif ANSWER_PREFIX + name in form.fields:
                form.add_error(ANSWER_PREFIX + name, errors)
            else:
                form.add_error(None, errors)
    else:
        form.add_error(None, error)


def error_messages(request, error: ValidationError) -> None:
    """A service's refusal of a POST action (a button, no form to show it on) as messages on the
    page the action redirects to."""
    for message in error.messages:
        messages.error(request, message)


def answer_display(kind: str, value: Any, municipalities: dict[str, str]) -> str:
    typed = answers.from_stored(kind, value)
    if typed is None:
        return ""
    if kind == answers.YESNO:
        return _("Ja") if typed else _("Nej")
    if kind == answers.AMOUNT:
        return _("%(amount)s kronor") % {"amount": rules.kronor(Decimal(typed))}
    if kind == answers.MUNICIPALITIES:
        return ", ".join(sorted(municipalities.get(code, code) for code in typed))
    if kind == answers.MULTICHOICE:
        return ", ".join(typed)
    if kind == answers.DATE:
        return typed.isoformat()
    return str(typed)


def answers_shown(application) -> list[tuple[str, str]]:
    """The application's answers as (question, answer) in the form's order."""
    municipalities = dict(Municipality.objects.values_list("code", "name"))
    return [
        (field.label, answer_display(field.kind, application.answers.get(field.key), municipalities))
        for field in application.call.form_fields.all()
    ]
