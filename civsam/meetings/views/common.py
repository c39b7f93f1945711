"""Helpers shared by the organiser pages with several forms (the objects they act on come from ..loaders)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.shortcuts import redirect


def run_forms(request, forms: dict[str, Form], actions: dict[str, Callable[[Form], str]], redirect_to: str):
    """Bind the posted form (chosen by the `action` field) and run its action.

    Returns a redirect on success, or None with the bound form (and its errors) left in `forms`.
    An action returns the success message; a ValidationError from the service becomes a form error.
    """
    if request.method != "POST":
        return None
    action = request.POST.get("action", "")
    if action not in actions:
        return None
    form = forms[action]
    if form.is_valid():
        try:
            message = actions[action](form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, message)
            return redirect(redirect_to)
    return None


def saying(service: Callable, message: str, **fixed) -> Callable[[Form], str]:
    """A form action that calls `service` with the form's cleaned data (and `fixed`) and returns `message`."""

    def action(form: Form) -> str:
        service(**fixed, **form.cleaned_data)
        return message

    return action
