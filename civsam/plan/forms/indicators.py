"""Forms for indicators: the definition (its level in the plan, unit, direction, baseline and
kind), a yearly value and a yearly target."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import computations, selectors
from ..models import Indicator, Plan

PLAN_LEVEL = "plan"


def level_value(indicator: Indicator) -> str:
    if indicator.initiative_id:
        return f"in-{indicator.initiative_id}"
    if indicator.priority_area_id:
        return f"pa-{indicator.priority_area_id}"
    if indicator.focus_area_id:
        return f"fa-{indicator.focus_area_id}"
    return PLAN_LEVEL


class IndicatorForm(forms.Form):
    code = forms.SlugField(
        label=_("Kod"),
        max_length=60,
        help_text=_(
            "Små bokstäver, siffror och bindestreck, till exempel antal-iop. Koden används i adressen och "
            "vid import av utfall och kan inte ändras senare."
        ),
        error_messages={"invalid": _("Koden får bara innehålla bokstäver a–z, siffror, bindestreck och understreck.")},
    )
    name_sv = forms.CharField(label=_("Namn"), max_length=300)
    name_en = forms.CharField(label=_("Namn på engelska"), max_length=300, required=False)
    level = forms.ChoiceField(
        label=_("Hör till"),
        help_text=_("Målet, ett insatsområde, ett prioriterat aktivitetsområde eller en insats i planen."),
    )
    unit = forms.CharField(
        label=_("Enhet"), max_length=60, help_text=_("Till exempel antal, procent, kr eller per 1 000 invånare.")
    )
    direction = forms.ChoiceField(
        label=_("Riktning"), choices=Indicator.Direction.choices, widget=forms.RadioSelect, initial="higher"
    )
    decimals = forms.IntegerField(
        label=_("Decimaler"),
        min_value=0,
        max_value=4,
        initial=0,
        help_text=_("Hur många decimaler värdena visas med, 0–4."),
    )
    baseline_year = forms.IntegerField(label=_("Basår"), min_value=1990, max_value=2100, required=False)
    baseline_value = forms.DecimalField(
        label=_("Basvärde"),
        max_digits=18,
        decimal_places=4,
        required=False,
        help_text=_("Värdet under basåret. Ange både basår och basvärde, eller inget av dem."),
    )
    kind = forms.ChoiceField(
        label=_("Hur får indikatorn sina värden?"),
        choices=Indicator.Kind.choices,
        widget=forms.RadioSelect,
        initial="manual",
    )
    computation = forms.ChoiceField(
        label=_("Beräkning"),
        required=False,
        help_text=_("Bara för beräknade indikatorer: Civsam räknar fram årets värde ur sina egna data."),
    )

    def __init__(self, *args, plan: Plan, indicator: Indicator | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if indicator is not None:
            del self.fields["code"]  # links and import files name the indicator by its code
        focus_areas = list(plan.focus_areas.all())  # prefetched with their priority areas by plan_with_tree
        self._levels = {PLAN_LEVEL: {}}
        choices: list = [(PLAN_LEVEL, _("Målet: %(goal)s") % {"goal": _short(str(plan.goal))})]
        fa_choices, pa_choices, in_choices = [], [], []
        for fa in focus_areas:
            fa_choices.append((f"fa-{fa.pk}", f"{fa.number}. {fa.title}"))
            self._levels[f"fa-{fa.pk}"] = {"focus_area": fa}
            for pa in fa.priority_areas.all():
                pa.focus_area = fa
                pa_choices.append((f"pa-{pa.pk}", f"{fa.number}.{pa.number} {pa.title}"))
                self._levels[f"pa-{pa.pk}"] = {"priority_area": pa}
        for initiative in selectors.initiatives_serving_plan(plan):
            in_choices.append((f"in-{initiative.pk}", _short(initiative.title)))
            self._levels[f"in-{initiative.pk}"] = {"initiative": initiative}
        for label, group in (
            (_("Insatsområden"), fa_choices),
            (_("Prioriterade aktivitetsområden"), pa_choices),
            (pgettext_lazy("plan initiative", "Insatser"), in_choices),
        ):
            if group:
                choices.append((label, group))
        self.fields["level"].choices = choices
        choices = computations.computation_choices()
        current = indicator.computation if indicator is not None else ""
        if current and computations.get(current) is None:
            # Kept on the indicator, so that its other fields can be saved; the label says why it is odd.
            choices.append((current, _("%(code)s (finns inte längre)") % {"code": current}))
        self.fields["computation"].choices = [("", _("– Ingen beräkning –")), *choices]

    def clean(self):
        data = super().clean()
        year, value = data.get("baseline_year"), data.get("baseline_value")
        if year is None and value is not None and "baseline_year" not in self.errors:
            self.add_error("baseline_year", _("Ange vilket år basvärdet gäller."))
        if value is None and year is not None and "baseline_value" not in self.errors:
            self.add_error("baseline_value", _("Ange basvärdet för basåret, eller lämna basåret tomt."))
        if data.get("kind") == Indicator.Kind.COMPUTED and not data.get("computation"):
            self.add_error("computation", _("Välj vilken beräkning som ger indikatorns värden."))
        if data.get("kind") == Indicator.Kind.MANUAL:
            data["computation"] = ""
        return data

    def service_kwargs(self) -> dict:
        """The cleaned data as the keyword arguments of indicator_create and indicator_update."""
        data = self.cleaned_data
        kwargs = {
            name: data[name]
            for name in ("name_sv", "name_en", "unit", "direction", "decimals", "baseline_year", "baseline_value")
        }
        kwargs["computation"] = data.get("computation") or ""
        kwargs.update({"focus_area": None, "priority_area": None, "initiative": None})
        kwargs.update(self._levels[data["level"]])
        if "code" in self.fields:
            kwargs["code"] = data["code"]
        return kwargs

    # The service names the level by its model field; the form has one field for it.
    SERVICE_FIELDS = {"focus_area": "level", "priority_area": "level", "initiative": "level"}

    def add_service_errors(self, exc) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for name, errors in exc.error_dict.items():
            name = self.SERVICE_FIELDS.get(name, name)
            self.add_error(name if name in self.fields else None, errors)

    @staticmethod
    def initial_for(indicator: Indicator) -> dict:
        return {
            "name_sv": indicator.name_sv,
            "name_en": indicator.name_en,
            "level": level_value(indicator),
            "unit": indicator.unit,
            "direction": indicator.direction,
            "decimals": indicator.decimals,
            "baseline_year": indicator.baseline_year,
            "baseline_value": _plain(indicator.baseline_value),
            "kind": indicator.kind,
            "computation": indicator.computation,
        }


def _plain(value):
    """5.0000 as 5 and 2.5000 as 2.5 (never 1E+2), so that the field shows what was typed in."""
    return None if value is None else format(value.normalize(), "f")


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class IndicatorValueForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=1990, max_value=2100)
    value = forms.DecimalField(label=pgettext_lazy("indicator value", "Utfall"), max_digits=18, decimal_places=4)
    source = forms.CharField(label=_("Källa"), max_length=300, required=False)
    comment = forms.CharField(label=_("Kommentar"), max_length=500, required=False)


class IndicatorTargetForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=1990, max_value=2100)
    value = forms.DecimalField(
        label=_("Målvärde"),
        max_digits=18,
        decimal_places=4,
        required=False,
        help_text=_("Tomt tar bort målet för året."),
    )
