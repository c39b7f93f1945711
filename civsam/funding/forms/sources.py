"""Forms of the funding pages. Writes go through the services; the forms only parse and check."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from civsam.core.models import ActivityClass, LegalForm, Municipality

from .. import permissions, schedule
from ..models import Funder, FundingCall, FundingSource, GrantFigure
from ..selectors import SORTS
from ..services import FunderData, FundingCallData, FundingSourceData


class FunderForm(forms.ModelForm):
    class Meta:
        model = Funder
        fields = ["name", "slug", "kind", "orgnr", "website"]
        help_texts = {
            "slug": _("Används i adresser och i API:et, t.ex. ”stiftelsen-x”."),
            "orgnr": _("Tio siffror, utan bindestreck. Ger bidragsgivaren en identifierare i 360Giving-exporten."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Municipalities and registry organisations are linked by the reference data and staff
        # tools; a new funder here is a body outside the register.
        self.fields["kind"].choices = [
            (value, label)
            for value, label in Funder.Kind.choices
            if value in (Funder.Kind.STATE, Funder.Kind.EU, Funder.Kind.OTHER)
        ]

    def funder_data(self) -> FunderData:
        data = self.cleaned_data
        return FunderData(
            name=data["name"], kind=data["kind"], slug=data["slug"], orgnr=data["orgnr"], website=data["website"]
        )


class FundingSourceForm(forms.ModelForm):
    class Meta:
        model = FundingSource
        fields = [
            "funder",
            "name",
            "slug",
            "kind",
            "description",
            "sector",
            "eligible_legal_forms",
            "eligible_municipalities",
            "eligible_activity_classes",
            "eligibility_note",
            "co_financing_rules",
            "co_financing_min_share",
            "url",
            "contact_name",
            "contact_email",
            "is_active",
        ]
        widgets = {
            "eligible_legal_forms": forms.CheckboxSelectMultiple,
            "eligible_municipalities": forms.CheckboxSelectMultiple,
            "eligible_activity_classes": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "eligible_legal_forms": _("Inget valt: alla juridiska former kan söka."),
            "eligible_municipalities": _("Inget valt: verksamhet i vilken kommun som helst."),
            "eligible_activity_classes": _("Inget valt: alla verksamhetsområden."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = permissions.funders_manageable_by(user).order_by("name")
        self.fields["eligible_legal_forms"].queryset = LegalForm.objects.order_by("code")
        self.fields["eligible_municipalities"].queryset = Municipality.objects.order_by("name_key")
        self.fields["eligible_activity_classes"].queryset = ActivityClass.objects.all()

    def source_data(self) -> FundingSourceData:
        data = self.cleaned_data
        return FundingSourceData(
            funder=data["funder"],
            slug=data["slug"],
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
            sector=data["sector"],
            eligible_legal_forms=tuple(data["eligible_legal_forms"]),
            eligible_municipalities=tuple(data["eligible_municipalities"]),
            eligible_activity_classes=tuple(data["eligible_activity_classes"]),
            eligibility_note=data["eligibility_note"],
            co_financing_rules=data["co_financing_rules"],
            co_financing_min_share=data["co_financing_min_share"],
            url=data["url"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            is_active=data["is_active"],
        )


class FundingCallForm(forms.ModelForm):
    class Meta:
        model = FundingCall
        fields = [
            "title",
            "description",
            "schedule",
            "opens_on",
            "deadline",
            "yearly_opens",
            "yearly_deadline",
            "url",
            "programme",
            "budget",
            "budget_year",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "opens_on": _("Tomt: öppen från publiceringen."),
            "yearly_opens": _("För återkommande utlysningar, t.ex. 01-15."),
            "yearly_deadline": _("För återkommande utlysningar, t.ex. 03-31."),
            "programme": _("Med ett program tar utlysningen emot ansökningar i Civsam, med programmets formulär."),
            "budget": _("Vad utlysningen får bevilja, i kronor. Beslut kan aldrig gå över budgeten."),
            "budget_year": _("Året vars programbudget utlysningen tar pengarna från."),
        }

    def __init__(self, *args, source: FundingSource, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = source.programmes.order_by("name")
        if programmes.exists():
            self.fields["programme"].queryset = programmes
        else:
            for name in ("programme", "budget", "budget_year"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        kind = data.get("schedule")
        if kind == FundingCall.Schedule.DATED and not data.get("deadline"):
            self.add_error("deadline", _("En utlysning med datum behöver en sista ansökningsdag."))
        if kind == FundingCall.Schedule.YEARLY:
            for name in ("yearly_opens", "yearly_deadline"):
                if not schedule.valid_month_day(data.get(name) or ""):
                    self.add_error(name, _("Ange månad och dag som MM-DD, till exempel 03-15."))
        opens, deadline = data.get("opens_on"), data.get("deadline")
        if opens and deadline and opens > deadline:
            self.add_error("opens_on", _("Utlysningen kan inte öppna efter sista ansökningsdagen."))
        return data

    def call_data(self, source: FundingSource) -> FundingCallData:
        data = self.cleaned_data
        return FundingCallData(
            source=source,
            title=data["title"],
            schedule=data["schedule"],
            description=data["description"],
            opens_on=data["opens_on"],
            deadline=data["deadline"],
            yearly_opens=data["yearly_opens"],
            yearly_deadline=data["yearly_deadline"],
            url=data["url"],
            programme=data.get("programme"),
            budget=data.get("budget"),
            budget_year=data.get("budget_year"),
        )


class SubscriptionForm(forms.Form):
    email = forms.EmailField(label=_("E-postadress"), max_length=254)


class RegisterForm(forms.Form):
    """The register's search and filters; a bad value drops that filter only."""

    q = forms.CharField(label=_("Sök"), required=False, max_length=200)
    funder = forms.MultipleChoiceField(label=_("Bidragsgivare"), required=False)
    programme = forms.MultipleChoiceField(label=_("Program"), required=False)
    municipality = forms.MultipleChoiceField(label=_("Mottagarens kommun"), required=False)
    legal_form = forms.MultipleChoiceField(label=_("Juridisk form"), required=False)
    recipient = forms.CharField(label=_("Mottagarens organisationsnummer"), required=False, max_length=13)
    year = forms.IntegerField(label=_("År"), required=False, min_value=1900, max_value=2200)
    amount_min = forms.DecimalField(label=_("Belopp från (kr)"), required=False, min_value=Decimal(0), max_digits=14)
    amount_max = forms.DecimalField(label=_("Belopp till (kr)"), required=False, min_value=Decimal(0), max_digits=14)
    sort = forms.ChoiceField(
        label=_("Sortering"),
        required=False,
        choices=[
            ("", _("Nyast först")),
            ("date", _("Äldst först")),
            ("-amount", _("Störst belopp först")),
            ("amount", _("Minst belopp först")),
        ],
    )

    def __init__(self, *args, facets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].choices = facets["funders"]
        self.fields["programme"].choices = facets["programmes"]
        self.fields["municipality"].choices = facets["municipalities"]
        self.fields["legal_form"].choices = facets["legal_forms"]
        for name in ("funder", "programme", "municipality", "legal_form"):
            self.fields[name].widget.attrs["size"] = "4"

    def clean_sort(self):
        value = self.cleaned_data.get("sort") or ""
        return value if value in SORTS else ""


class GrantImportForm(forms.Form):
    funder = forms.ModelChoiceField(label=_("Bidragsgivare"), queryset=Funder.objects.none())
    file = forms.FileField(
        label=_("Fil med beslut (CSV eller Excel)"),
        help_text=_("En rad per beslut; rubrikraden enligt mallen. Ett diarienummer som redan finns uppdateras."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = permissions.funders_manageable_by(user).order_by("name")


class FiguresForm(forms.Form):
    dimension = forms.ChoiceField(
        label=_("Dela upp på"),
        required=False,
        choices=[c for c in GrantFigure.Dimension.choices if c[0] != GrantFigure.Dimension.TOTAL],
    )
    year = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in reversed(years)]
