"""The initiative's funding lines on its web form (ADR 0092, ADR 0103): one row per source, year and
kind, the source chosen from the funding-source list, amounts in Swedish number format. The plan's
form shows this part through civsam.plan.extensions; it never imports funding."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civsam.core.templatetags.language import format_number
from civsam.plan.extensions import PartRejected

from ..grant_import import parse_amount
from ..models import FundingSource, InitiativeFundingLine
from ..models.cofinancing import FIRST_YEAR, LAST_YEAR
from ..services import FundingLineData, initiative_funding_lines_set

PREFIX = "funding_lines"


AMOUNT_TEXT = re.compile(r"^[0-9][0-9\s\u00a0\u202f.,]*(\s*(kr|sek|:-)\.?)?$", re.IGNORECASE)


class KronorField(forms.Field):
    """An amount in kronor as people type it: "12 500", "12 500,50", "12500.50", "12 500 kr"."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _(
            "Ange ett belopp i kronor, noll eller mer, med högst två decimaler, till exempel 12 500 eller 12 500,50."
        ),
    }

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off", "maxlength": "40"}

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            return format_number(value)
        return value

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        if len(text) > 40 or not AMOUNT_TEXT.match(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return parse_amount(text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (Decimal(initial) if initial not in self.empty_values else None)
        except ValidationError:
            return True


class FundingLineForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Finansieringskälla"), queryset=FundingSource.objects.none())
    year = forms.IntegerField(label=_("År"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    kind = forms.ChoiceField(
        label=_("Slag"), choices=InitiativeFundingLine.Kind.choices, initial=InitiativeFundingLine.Kind.GRANTED
    )
    amount = KronorField(label=_("Belopp (kr)"))

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        self.fields["source"].label_from_instance = lambda s: f"{s.name} ({s.funder.name})"
        self.fields["source"].empty_label = _("– välj källa –")
        self.fields["year"].widget.attrs["inputmode"] = "numeric"
        if not self.initial.get("year"):
            self.fields["year"].initial = timezone.localdate().year


FundingLineFormSet = forms.formset_factory(FundingLineForm, extra=1, can_delete=True)


def _sources_for(initiative):
    """Active sources, and any source already on this initiative's lines (it may stay there)."""
    q = Q(is_active=True)
    if initiative is not None:
        q |= Q(initiative_lines__initiative=initiative)
    return FundingSource.objects.filter(q).distinct().select_related("funder").order_by("name", "id")


class FundingLinesPart:
    """The part of the initiative's form that edits its funding lines (plan.extensions.FormPart)."""

    key = "funding-lines"
    template_name = "funding/_initiative_funding_lines_form.html"
    legend = _("Finansiering per källa och år")

    def __init__(self, *, data, initiative, user):
        self.initiative = initiative
        self.other_errors: list[str] = []
        # A form posted without this part (an older page, a script) leaves the lines as they are.
        self.submitted = data is not None and f"{PREFIX}-TOTAL_FORMS" in data
        initial = []
        if initiative is not None:
            initial = [
                {"source": line.source_id, "year": line.year, "kind": line.kind, "amount": line.amount}
                for line in InitiativeFundingLine.objects.filter(initiative=initiative).order_by(
                    "year", "source__name", "kind", "id"
                )
            ]
        self.formset = FundingLineFormSet(
            data if self.submitted else None,
            prefix=PREFIX,
            initial=initial,
            form_kwargs={"sources": _sources_for(initiative)},
        )

    def is_valid(self) -> bool:
        return not self.submitted or self.formset.is_valid()

    def has_errors(self) -> bool:
        return self.submitted and bool(self.formset.total_error_count() or self.other_errors)

    def _kept(self) -> list[tuple[forms.Form, FundingLineData]]:
        kept = []
        for form in self.formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            line = FundingLineData(
                source_id=data["source"].pk, year=data["year"], amount=data["amount"], kind=data["kind"]
            )
            kept.append((form, line))
        return kept

    def save(self, *, actor, initiative) -> None:
        if not self.submitted:
            return
        kept = self._kept()
        try:
            initiative_funding_lines_set(actor=actor, initiative=initiative, lines=[line for _f, line in kept])
        except ValidationError as exc:
            # The service names the row as "lines.N.field", N counting the kept rows from 0.
            for key, messages in exc.message_dict.items():
                parts = key.split(".")
                if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit() and int(parts[1]) < len(kept):
                    form = kept[int(parts[1])][0]
                    field = parts[2] if parts[2] in form.fields else None
                    for message in messages:
                        form.add_error(field, message)
                else:
                    self.other_errors.extend(messages)
            raise PartRejected from exc


def build_part(*, data, initiative, user) -> FundingLinesPart:
    return FundingLinesPart(data=data, initiative=initiative, user=user)
