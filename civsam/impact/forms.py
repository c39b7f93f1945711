from __future__ import annotations

import io
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civsam.accounts.scopes import scope_for
from civsam.core.models import Municipality
from civsam.plan.models import PriorityArea
from civsam.registry import orgnr
from civsam.registry.models import Organisation

from . import permissions
from .engine import ImpactMapError, parse_impact_map_json
from .engine.xlsx import read_xlsx
from .kpi import kpi_table
from .models import FinancialProxy, SocialValueAnalysis

MAX_MAP_BYTES = settings.FILE_UPLOAD_MAX_MEMORY_SIZE


class ProxySearchForm(forms.Form):
    q = forms.CharField(label=_("Sök"), required=False, max_length=200)
    category = forms.ChoiceField(
        label=_("Kategori"), required=False, choices=[("", _("Alla kategorier")), *FinancialProxy.Category.choices]
    )
    index_year = forms.TypedChoiceField(
        label=_("Räkna om till prisnivån år"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Med konsumentprisindex (KPI)."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        years = sorted(kpi_table().values, reverse=True)
        self.fields["index_year"].choices = [("", _("Ingen omräkning")), *((y, str(y)) for y in years)]


class ProxyForm(forms.ModelForm):
    class Meta:
        model = FinancialProxy
        fields = [
            "name",
            "description",
            "category",
            "unit",
            "value",
            "currency",
            "price_year",
            "source",
            "source_url",
            "is_illustrative",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "source": forms.Textarea(attrs={"rows": 3})}


def _owner_choices(user) -> list[tuple[str, str]]:
    scope = scope_for(user)
    municipalities = (
        Municipality.objects.all() if scope.region_admin else Municipality.objects.filter(pk__in=scope.municipality_ids)
    )
    organisations = Organisation.objects.filter(pk__in=scope.organisation_ids).order_by("name")
    choices: list[tuple[str, str]] = [("", _("Välj ägare"))]
    choices += [(f"m-{m.pk}", _("Kommun: %(name)s") % {"name": m.name}) for m in municipalities.order_by("name")]
    choices += [(f"o-{o.pk}", _("Organisation: %(name)s") % {"name": o.name}) for o in organisations]
    return choices


def _priority_area_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    groups: dict[str, list[tuple[int, str]]] = {}
    for area in PriorityArea.objects.select_related("focus_area__plan").order_by(
        "-focus_area__plan__start_year", "focus_area__number", "number"
    ):
        groups.setdefault(area.focus_area.plan.title, []).append((area.pk, f"{area.code} {area.title}"))
    return list(groups.items())


class ImpactMapFileField(forms.FileField):
    """An impact map as XLSX or JSON, read and validated by the engine; cleans to the JSON document."""

    def clean(self, data: Any, initial: Any = None) -> dict[str, Any] | None:
        upload = super().clean(data, initial)
        if not upload:
            return None
        if upload.size > MAX_MAP_BYTES:
            raise forms.ValidationError(
                _("Filen är för stor: högst %(mb)s MB.") % {"mb": MAX_MAP_BYTES // (1024 * 1024)}
            )
        content = upload.read()
        is_xlsx = upload.name.lower().endswith(".xlsx") or content[:2] == b"PK"
        try:
            if is_xlsx:
                _map, document = read_xlsx(io.BytesIO(content))
            else:
                _map, document = parse_impact_map_json(content)
        except ImpactMapError as exc:
            raise forms.ValidationError(
                [f"{error.path}: {error.message}" if error.path else error.message for error in exc.errors]
            ) from None
        return document.model_dump(mode="json", by_alias=True, exclude_none=True)


class AnalysisForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    summary = forms.CharField(
        label=_("Sammanfattning"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner = forms.ChoiceField(
        label=_("Ägare"),
        required=False,
        help_text=_("Den organisation eller kommun som står för analysen."),
    )
    owner_orgnr = forms.CharField(
        label=_("Eller organisationsnummer för en organisation i ditt ansvarsområde"),
        required=False,
        max_length=13,
        help_text=_("Tio siffror, till exempel 802000-0000."),
    )
    priority_areas = forms.TypedMultipleChoiceField(
        label=_("Prioriterade aktivitetsområden"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    related_records = forms.CharField(
        label=_("Kopplade insatser, bidrag och IOP"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Insatser, bidrag och IOP-överenskommelser som analysen gäller, med diarienummer om det finns."),
    )
    activities = forms.CharField(
        label=_("Aktiviteter"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad verksamheten gör, en aktivitet per rad. Används i förändringsteorin."),
    )
    impact_map_file = ImpactMapFileField(
        label=_("Effektkarta (XLSX eller JSON)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.json,application/json"}),
        help_text=_(
            "Ladda upp en arbetsbok i Civsams layout eller en JSON-fil enligt schemat. "
            "Lämna tomt för att behålla den nuvarande kartan."
        ),
    )

    def __init__(self, *args: Any, user, analysis: SocialValueAnalysis | None = None, **kwargs: Any):
        self.user = user
        if analysis is not None and "initial" not in kwargs:
            owner_value = ""
            owner_orgnr = ""
            choices = dict(_owner_choices(user))
            if analysis.owner_municipality_id:
                owner_value = f"m-{analysis.owner_municipality_id}"
            elif f"o-{analysis.owner_organisation_id}" in choices:
                owner_value = f"o-{analysis.owner_organisation_id}"
            else:
                owner_orgnr = analysis.owner_organisation.orgnr_display
            kwargs["initial"] = {
                "title": analysis.title,
                "summary": analysis.summary,
                "owner": owner_value,
                "owner_orgnr": owner_orgnr,
                "priority_areas": [area.pk for area in analysis.priority_areas.all()],
                "related_records": analysis.related_records,
                "activities": analysis.activities,
            }
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _owner_choices(user)
        self.fields["priority_areas"].choices = _priority_area_choices()
        if analysis is None:
            self.fields["impact_map_file"].help_text = _(
                "Ladda upp en arbetsbok i Civsams layout eller en JSON-fil enligt schemat. "
                "Kartan kan också laddas upp senare."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        owner, number = data.get("owner") or "", (data.get("owner_orgnr") or "").strip()
        data["owner_organisation"] = data["owner_municipality"] = None
        if bool(owner) == bool(number):
            self.add_error("owner", _("Välj en ägare i listan eller ange ett organisationsnummer, inte båda."))
            return data
        if number:
            try:
                organisation = Organisation.objects.filter(orgnr=orgnr.normalise(number)).first()
            except orgnr.OrgnrError as exc:
                self.add_error("owner_orgnr", str(exc))
                return data
            if organisation is None:
                self.add_error("owner_orgnr", _("Det finns ingen organisation med det organisationsnumret."))
            elif not permissions.can_act_for_organisation(self.user, organisation):
                self.add_error("owner_orgnr", _("Du får inte göra analyser för den organisationen."))
            else:
                data["owner_organisation"] = organisation
            return data
        kind, _sep, pk = owner.partition("-")
        if kind == "m":
            data["owner_municipality"] = Municipality.objects.get(pk=int(pk))
        else:
            data["owner_organisation"] = Organisation.objects.get(pk=int(pk))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "related_records": data["related_records"],
            "activities": data["activities"],
            "owner_organisation": data["owner_organisation"],
            "owner_municipality": data["owner_municipality"],
            "priority_areas": list(PriorityArea.objects.filter(pk__in=data["priority_areas"])),
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Beslut"),
        choices=[
            ("approve", _("Godkänn och publicera")),
            ("return", _("Skicka tillbaka till författaren med en kommentar")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Krävs när analysen skickas tillbaka. Visas för den som skrev analysen."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Skriv vad som behöver ändras."))
        return data
