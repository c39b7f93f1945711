"""How every form renders: Civsam's field and form templates (templates/components/)."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """FORM_RENDERER: the project's template engine (so templates/components/ are found, and
    Django's widget templates through the `django.forms` app), with Civsam's own field template
    (label, "(obligatoriskt)", help text and errors kept together) and form template."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"
