from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civsam.core.models import Municipality
from civsam.plan.models import PriorityArea
from civsam.plan.selectors.impact_links import initiatives_linkable
from civsam.registry import orgnr
from civsam.registry.models import Organisation

from . import permissions
from .engine import ImpactMapError, parse_impact_map_json
from .engine.schema import DISCOUNT_RATE_RANGE
from .engine.socioeconomic import BEARERS, UnitCostTable, bearer_label
from .engine.xlsx import read_xlsx
from .kpi import kpi_table
from .models import FinancialProxy, SocialValueAnalysis
from .socio_accounts import SCENARIOS

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
            "derivation",
            "evidence_grade",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "source": forms.Textarea(attrs={"rows": 3})}


REGION_CHOICE = "region"


def _owner_choices(user) -> list[tuple[str, str]]:
    owners = permissions.analysis_owners_for(user)
    choices: list[tuple[str, str]] = [("", _("Välj ägare"))]
    if owners.region:
        choices.append((REGION_CHOICE, _("Regionen: %(name)s") % {"name": settings.CIVSAM["REGION_NAME"]}))
    choices += [(f"m-{m.pk}", _("Kommun: %(name)s") % {"name": m.name}) for m in owners.municipalities]
    choices += [(f"o-{o.pk}", _("Organisation: %(name)s") % {"name": o.name}) for o in owners.organisations]
    return choices


def _priority_area_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    groups: dict[str, list[tuple[int, str]]] = {}
    for area in PriorityArea.objects.select_related("focus_area__plan").order_by(
        "-focus_area__plan__start_year", "focus_area__number", "number"
    ):
        groups.setdefault(area.focus_area.plan.title, []).append((area.pk, f"{area.code} {area.title}"))
    return list(groups.items())


def initiative_label(initiative) -> str:
    """Title and lead, so that two initiatives with the same title can be told apart."""
    lead = initiative.lead_display
    return f"{initiative.title} ({lead})" if lead else initiative.title


def _initiative_choices(user, analysis: SocialValueAnalysis | None) -> list[tuple[int, str]]:
    """The initiatives the user may see, plus any the analysis already links to."""
    choices = {i.pk: initiative_label(i) for i in initiatives_linkable(user=user)}
    if analysis is not None:
        for initiative in analysis.initiatives.select_related("lead_organisation", "lead_municipality"):
            choices.setdefault(initiative.pk, initiative_label(initiative))
    return sorted(choices.items(), key=lambda item: (item[1].casefold(), item[0]))


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
    initiatives = forms.TypedMultipleChoiceField(
        label=_("Insatser i handlingsplanen"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "De insatser som analysen gäller. Håll ned Ctrl (Cmd på Mac) för att välja flera; "
            "skriv början av en titel för att hoppa till den."
        ),
    )
    related_records = forms.CharField(
        label=_("Kopplade bidrag och IOP"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bidrag och IOP-överenskommelser som analysen gäller, med diarienummer om det finns."),
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
            if analysis.owner_region:
                owner_value = REGION_CHOICE
            elif analysis.owner_municipality_id:
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
                "initiatives": [initiative.pk for initiative in analysis.initiatives.all()],
                "related_records": analysis.related_records,
                "activities": analysis.activities,
            }
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _owner_choices(user)
        self.fields["priority_areas"].choices = _priority_area_choices()
        self.fields["initiatives"].choices = _initiative_choices(user, analysis)
        if analysis is None:
            self.fields["impact_map_file"].help_text = _(
                "Ladda upp en arbetsbok i Civsams layout eller en JSON-fil enligt schemat. "
                "Kartan kan också laddas upp senare."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        owner, number = data.get("owner") or "", (data.get("owner_orgnr") or "").strip()
        data["owner_organisation"] = data["owner_municipality"] = None
        data["owner_region"] = False
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
            elif not permissions.can_make_analyses_for(self.user, organisation=organisation):
                self.add_error("owner_orgnr", _("Du får inte göra analyser för den organisationen."))
            else:
                data["owner_organisation"] = organisation
            return data
        if owner == REGION_CHOICE:
            data["owner_region"] = True
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
            "owner_region": data["owner_region"],
            "owner_municipality": data["owner_municipality"],
            "priority_areas": list(PriorityArea.objects.filter(pk__in=data["priority_areas"])),
            "initiatives": data["initiatives"],
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


# --- Socio-economic accounts ---------------------------------------------------------------------

ACCOUNT_MAX_YEARS = 30  # the page's chart and table stay readable; the API and the command take 100
ACCOUNT_MAX_PERSONS = 100_000


class ScenarioForm(forms.Form):
    scenario = forms.ChoiceField(label=_("Scenario"), choices=())

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = [(s.code, s.label) for s in SCENARIOS.values()]


class SocioEconomicAccountForm(forms.Form):
    """A change for a number of persons, in entries of a unit-cost table; read from the query string."""

    name = forms.CharField(label=_("Namn på förändringen"), max_length=300)
    before = forms.MultipleChoiceField(
        label=_("Före förändringen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Det som kostar eller ger pengar i situationen före, per person och år."),
    )
    after = forms.MultipleChoiceField(
        label=_("Efter förändringen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Det som kostar eller ger pengar i situationen efter, per person och år."),
    )
    persons = forms.IntegerField(label=_("Antal personer"), min_value=1, max_value=ACCOUNT_MAX_PERSONS, initial=1)
    years = forms.IntegerField(
        label=_("Antal år"),
        min_value=1,
        max_value=ACCOUNT_MAX_YEARS,
        initial=3,
    )
    discount_rate = forms.DecimalField(
        label=_("Diskonteringsränta (%)"),
        min_value=DISCOUNT_RATE_RANGE[0],
        max_value=DISCOUNT_RATE_RANGE[1],
        max_digits=7,
        decimal_places=2,
        initial=Decimal("3.5"),
        localize=True,
        help_text=_("För nuvärdena. Till exempel 3,5."),
    )
    price_year = forms.TypedChoiceField(label=_("Prisår"), coerce=int, choices=())
    initiative_cost = forms.DecimalField(
        label=_("Insatsens kostnad år 1, kronor"),
        required=False,
        min_value=0,
        max_value=10**12,
        max_digits=15,
        decimal_places=2,
        localize=True,
        help_text=_("Totalt för alla personer, i valt prisår. Lämna tomt om insatsen inte ska räknas med."),
    )
    initiative_bearer = forms.ChoiceField(label=_("Vem betalar insatsen"), choices=(), initial="municipality")

    def __init__(self, *args: Any, table: UnitCostTable, price_years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        entries = [(code, f"{item.label} ({item.unit})") for code, item in table.items.items()]
        self.fields["before"].choices = entries
        self.fields["after"].choices = entries
        self.fields["price_year"].choices = [(year, str(year)) for year in price_years]
        self.fields["price_year"].initial = table.price_year
        if price_years == [table.price_year]:
            self.fields["price_year"].help_text = _(
                "Enhetskostnaderna kan bara visas i tabellens prisår %(year)s: KPI-tabellen saknar årsmedeltal "
                "för %(year)s, så beloppen kan inte räknas om."
            ) % {"year": table.price_year}
        else:
            self.fields["price_year"].help_text = _("Enhetskostnaderna räknas om med konsumentprisindex (KPI).")
        self.fields["initiative_bearer"].choices = [(bearer, bearer_label(bearer)) for bearer in BEARERS]
        self.fields["years"].help_text = _("Hur länge förändringen varar, högst %(max)s år.") % {
            "max": ACCOUNT_MAX_YEARS
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        before, after = data.get("before") or [], data.get("after") or []
        if "before" in data and "after" in data and not before and not after:
            self.add_error("before", _("Välj minst en post före eller efter förändringen."))
        both = [code for code in before if code in after]
        if both:
            labels = dict(self.fields["before"].choices)
            self.add_error(
                "after",
                _("En post kan inte vara med både före och efter: %(names)s.")
                % {"names": ", ".join(labels[code] for code in both)},
            )
        return data
