"""The forms of the build page: a stakeholder, an input and an outcome of an impact map, and the
first stakeholder with the first outcome. Numbers are written the Swedish way ("3 000,50")."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .engine.schema import MAX_AMOUNT, MAX_DURATION, MAX_PERCENT
from .models import FinancialProxy


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


class NumberField(forms.DecimalField):
    """A number as Swedes write it: spaces between thousands (any kind of space) and a decimal comma."""

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value)
        return super().to_python(value)


def _amount(label, *, required: bool = False, help_text: str = "") -> forms.DecimalField:
    return NumberField(
        label=label,
        required=required,
        min_value=0,
        max_value=MAX_AMOUNT,
        decimal_places=2,
        localize=True,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def _percent(label, help_text) -> forms.DecimalField:
    return NumberField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_PERCENT,
        decimal_places=2,
        localize=True,
        initial=0,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class MapRowForm(forms.Form):
    """A row of the map: cleans to the map's camelCase values; built from a stored row."""

    def __init__(self, *args: Any, stakeholders: list[tuple[str, str]] = (), row: dict | None = None, **kwargs):
        if row is not None and "initial" not in kwargs:
            kwargs["initial"] = {_snake(key): value for key, value in row.items()}
        super().__init__(*args, **kwargs)
        if "stakeholder" in self.fields and isinstance(self.fields["stakeholder"], forms.ChoiceField):
            self.fields["stakeholder"].choices = list(stakeholders)

    def managed(self) -> set[str]:
        """The map's keys this form shows (and so may clear)."""
        return {_camel(name) for name in self.fields}

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value is None or value == "":
                continue
            out[_camel(name)] = float(value) if isinstance(value, Decimal) else value
        return out


class StakeholderForm(MapRowForm):
    name = forms.CharField(label=_("Namn"), max_length=300, help_text=_("Till exempel ”Deltagarna” eller ”Kommunen”."))


class InputForm(MapRowForm):
    stakeholder = forms.ChoiceField(label=_("Intressent"), help_text=_("Den som sätter in resurserna."))
    description = forms.CharField(label=_("Beskrivning"), required=False, max_length=2000)
    money = _amount(_("Pengar, kronor"))
    in_kind = _amount(_("Naturaresurser, kronor"), help_text=_("Lokaler, material och annat som inte är pengar."))
    volunteer_hours = _amount(_("Ideella timmar"))
    hourly_rate = _amount(
        _("Timvärde, kronor"),
        help_text=_("Värdet av en ideell timme. Lämna tomt för kartans gemensamma timvärde."),
    )


class OutcomeFields(MapRowForm):
    outcome = forms.CharField(
        label=pgettext_lazy("social value outcome", "Utfall"),
        max_length=300,
        help_text=_("Förändringen för intressenten, till exempel ”Fått arbete”."),
    )
    indicator = forms.CharField(
        label=_("Indikator"), required=False, max_length=2000, help_text=_("Hur förändringen mäts.")
    )
    quantity = _amount(_("Antal"), required=True, help_text=_("Hur många som får förändringen."))
    proxy = NumberField(
        label=_("Finansiell proxy, kronor"),
        min_value=-MAX_AMOUNT,
        max_value=MAX_AMOUNT,
        decimal_places=2,
        localize=True,
        help_text=_("Värdet av förändringen för en person och ett år. Välj gärna en proxy ur biblioteket nedan."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    proxy_description = forms.CharField(label=_("Proxyns beskrivning"), required=False, max_length=2000)
    proxy_source = forms.CharField(label=_("Proxyns källa"), required=False, max_length=2000)
    duration = forms.IntegerField(label=_("Varaktighet (år)"), min_value=1, max_value=MAX_DURATION, initial=1)
    start_year = forms.IntegerField(
        label=_("Startår"),
        min_value=1,
        max_value=MAX_DURATION,
        initial=1,
        help_text=_("Det år förändringen börjar, räknat från 1."),
    )
    deadweight = _percent(_("Dödvikt (%)"), _("Den del som hade hänt ändå."))
    displacement = _percent(_("Undanträngning (%)"), _("Den del som tränger undan något annat."))
    attribution = _percent(_("Tillskrivning (%)"), _("Den del som andra har bidragit till."))
    drop_off = _percent(_("Avtagande (%)"), _("Hur mycket effekten minskar för varje år."))

    def use_proxy(self, proxy: FinancialProxy) -> None:
        """Fill in a proxy from the library: its value, what it is a value of, and its source."""
        self.initial.update(
            {
                "proxy": proxy.value,
                "proxy_description": f"{proxy.name} ({proxy.unit})",
                "proxy_source": f"{proxy.source} {proxy.source_url}".strip() + f" ({proxy.price_year})",
            }
        )


class OutcomeForm(OutcomeFields):
    stakeholder = forms.ChoiceField(label=_("Intressent"))
    field_order = ["stakeholder"]


class StartForm(OutcomeFields):
    """The first stakeholder by name, and the first outcome for it."""

    stakeholder = forms.CharField(
        label=_("Den första intressenten"),
        max_length=300,
        help_text=_("Den grupp som förändringen gäller, till exempel ”Deltagarna”."),
    )
    field_order = ["stakeholder"]


FORMS = {"stakeholder": StakeholderForm, "input": InputForm, "outcome": OutcomeForm}
