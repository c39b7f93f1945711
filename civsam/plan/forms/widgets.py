"""Widgets and fields the plan's forms share."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _attrs_html(attrs: dict) -> str:
    """As Django's attrs.html: True renders the bare name, False leaves the attribute out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", k) if v is True else format_html(' {}="{}"', k, v),)
            for k, v in attrs.items()
            if v is not False
        ),
    )


class FastSelect(forms.Select):
    """A select rendered in Python, with the same HTML as Django's template: the follow-up filter
    lists hundreds of organisations, and a template render per option was a third of the page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _choices, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>\n',
            (
                (str(o["value"]), _attrs_html(o["attrs"]), o["label"])
                for _g, group, _i in widget["optgroups"]
                for o in group
            ),
        )
        return format_html('<select name="{}"{}>{}\n</select>', widget["name"], _attrs_html(widget["attrs"]), options)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []
