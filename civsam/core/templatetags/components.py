"""Tags and filters for the page components in templates/components/ (docs/architecture.md).

    {% load components %}
    {% url 'plan:plan-list' as plans_url %}
    {% breadcrumbs plans_url _("Handlingsplaner") plan.get_absolute_url years here=_("Indikatorer") %}

The error summary and the pagination are plain includes; the form field is Django's own
`{{ field.as_field_group }}` / `{{ form }}` rendered through FORM_RENDERER (core/forms.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("components/breadcrumbs.html")
def breadcrumbs(*trail: Any, here: Any) -> dict[str, Any]:
    """The way down to this page: (address, label) pairs, then the current page's label."""
    if len(trail) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes pairs of address and label, then here=label")
    return {"links": list(zip(trail[::2], trail[1::2], strict=True)), "here": here}


@register.filter
def until(start: Any, end: Any) -> str:
    """A span of years or numbers with an en dash, as Swedish writes it: 2022|until:2025 → "2022–2025"."""
    return f"{start}–{end}"


@register.filter
def any_errors(formsets: Mapping[str, Any] | Iterable[Any] | None) -> bool:
    """Whether any of the formsets (a dict or a list) has an error, for the error summary."""
    if not formsets:
        return False
    values: Iterable[Any] = formsets.values() if isinstance(formsets, Mapping) else formsets
    return any(formset.total_error_count() for formset in values)


@register.simple_tag
def words(*parts: Any) -> str:
    """Parts joined by spaces, for a label made of a word and a number:
    {% words _("Insatsområde") focus_area.number as label %}."""
    return " ".join(str(part) for part in parts if part not in ("", None))


@register.filter
def export_format(fmt: str) -> str:
    """A download format as the link shows it: "CSV för Excel", "CSV (maskinläsbar)", "XLSX"."""
    from civsam.core.exports import FORMAT_LABELS

    return str(FORMAT_LABELS.get(fmt, fmt.upper()))


@register.filter
def changes_in_words(entry: Any) -> list[tuple[str, str, str]]:
    """An audit entry's changes as (label, old, new) in words (core/history.py)."""
    from django.contrib.contenttypes.models import ContentType

    from civsam.core.history import readable_changes

    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()  # cached, no query
    return readable_changes(model, entry.changes)
