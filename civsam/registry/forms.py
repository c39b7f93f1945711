from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from civsam.core.models import ActivityClass, LegalForm, Municipality, SocietalRole

from . import orgnr
from .countries import country_choices
from .models import ContactPerson, Organisation, RepresentationRequest
from .services import FLAG_FIELDS, default_sector, phone_clean

SOCIAL_ENTERPRISE_HELP = _(
    "Ett socialt företag, i handlingsplanens mening, bedriver affärsverksamhet för att nå "
    "samhälleliga mål, inte för vinstens skull: det följer upp sina resultat mot de målen och "
    "återinvesterar största delen av sitt överskott. Juridisk form spelar ingen roll – aktiebolag, "
    "handelsbolag, enskild firma, förening eller stiftelse."
)


class OrgnrField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("label", _("Organisationsnummer"))
        kwargs.setdefault("help_text", _("Tio siffror, till exempel 802000-0000."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value and not self.required:
            return None
        try:
            return orgnr.normalise(value)
        except orgnr.OrgnrError as exc:
            raise forms.ValidationError(str(exc), code="invalid_orgnr") from exc


class OrganisationForm(forms.ModelForm):
    orgnr = OrgnrField(
        required=False,
        help_text=_(
            "Tio siffror, till exempel 802000-0000. Lämnas tomt för en informell grupp, en utländsk "
            "organisation och en enskild firma."
        ),
    )
    country = forms.ChoiceField(label=_("Land"), initial="SE")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "orgnr",
            "country",
            "foreign_registration_number",
            "sector",
            "legal_form",
            "municipality",
            "active_municipalities",
            "activity_classes",
            "roles",
            "website",
            "email",
            "description",
            "founded_year",
            "member_count",
            "is_public",
            *FLAG_FIELDS,
        ]
        widgets = {
            "active_municipalities": forms.CheckboxSelectMultiple,
            "activity_classes": forms.CheckboxSelectMultiple,
            "roles": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "social_enterprise_verified_on": forms.DateInput(attrs={"type": "date"}),
            "work_integrating_verified_on": forms.DateInput(attrs={"type": "date"}),
            "ideburen_verified_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "social_enterprise": SOCIAL_ENTERPRISE_HELP,
            "sector": _("Föreslås av den juridiska formen; ändra om den inte stämmer."),
            "foreign_registration_number": _("Bara för en utländsk organisation, om den har ett."),
            "ideburen_registered": _("Registrerad hos Kammarkollegiet enligt lagen (2022:900)."),
        }

    def __init__(self, *args, municipalities: QuerySet[Municipality] | None = None, can_edit_flags=True, **kwargs):
        """municipalities: the home municipalities to offer (permissions.organisation_municipalities_for);
        None offers all."""
        super().__init__(*args, **kwargs)
        self.fields["legal_form"].queryset = LegalForm.objects.order_by("code")
        self.fields["country"].choices = country_choices()
        self.fields["kind"].widget = forms.RadioSelect(choices=Organisation.Kind.choices)
        self.fields["active_municipalities"].queryset = Municipality.objects.order_by("name_key")
        self.fields["municipality"].queryset = (
            Municipality.objects.all() if municipalities is None else municipalities
        ).order_by("name_key")
        self.fields["activity_classes"].queryset = ActivityClass.objects.order_by("sort_order")
        self.fields["roles"].queryset = SocietalRole.objects.order_by("sort_order")
        if not can_edit_flags:
            for name in FLAG_FIELDS:
                self.fields.pop(name)
        # The uniqueness check is done by the service and the database; skip the form's own query.
        self.fields["orgnr"].validators = []
        # Kind, country and sector may be left out of a post (an older form, a script): they then
        # keep their stored values, or for a new organisation the defaults (the sector from the
        # legal form).
        for name in ("kind", "country", "sector"):
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        stored = self.instance if self.instance.pk else None
        data["kind"] = data.get("kind") or (stored.kind if stored else Organisation.Kind.SWEDISH)
        data["country"] = data.get("country") or (stored.country if stored else "SE")
        if not data.get("sector"):
            data["sector"] = (
                stored.sector
                if stored
                else default_sector(data.get("legal_form"), social_enterprise=bool(data.get("social_enterprise")))
            )
        return data

    def validate_unique(self):
        """Uniqueness is enforced by the service (with a Swedish message) and the database."""


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "role", "email", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})}
        help_texts = {
            "phone": _(
                "Med riktnummer, till exempel 019-12 34 56, eller med landsnummer, till exempel +47 22 12 34 56."
            )
        }

    def clean_phone(self) -> str:
        # Checked and written as E.164 here too, so the error sits on the field (services.phone_clean).
        return phone_clean(self.cleaned_data.get("phone", ""))


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Sökord"), required=False, max_length=200)
    # Checkboxes, not multi-select list boxes that need Ctrl-click (issue #14).
    municipality = forms.MultipleChoiceField(label=_("Kommun"), required=False, widget=forms.CheckboxSelectMultiple)
    legal_form = forms.MultipleChoiceField(
        label=_("Juridisk form"), required=False, widget=forms.CheckboxSelectMultiple
    )
    activity = forms.MultipleChoiceField(
        label=_("Verksamhetsområde"), required=False, widget=forms.CheckboxSelectMultiple
    )
    role = forms.MultipleChoiceField(label=_("Roll"), required=False, widget=forms.CheckboxSelectMultiple)
    sector = forms.MultipleChoiceField(
        label=_("Sektor"), required=False, choices=Organisation.Sector.choices, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.MultipleChoiceField(
        label=_("Slag av aktör"), required=False, choices=Organisation.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    # One country at a time in the page (a list of checkboxes would be long); the API takes several.
    country = forms.ChoiceField(label=_("Land"), required=False)
    no_orgnr = forms.BooleanField(label=_("Bara aktörer utan organisationsnummer"), required=False)
    flags = forms.MultipleChoiceField(
        label=_("Egenskaper"),
        required=False,
        choices=[
            ("social_enterprise", _("Socialt företag")),
            ("work_integrating", _("Arbetsintegrerande socialt företag")),
            ("ideburen_registered", _("Registrerad idéburen organisation")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    sort = forms.ChoiceField(
        label=_("Sortering"),
        required=False,
        choices=[
            ("", _("Relevans (vid sökning), annars namn")),
            ("name", _("Namn A–Ö")),
            ("-name", _("Namn Ö–A")),
            ("municipality", _("Kommun")),
            ("-founded", _("Nyast grundad")),
            ("founded", _("Äldst")),
            ("-members", _("Flest medlemmar")),
        ],
    )
    per_page = forms.TypedChoiceField(
        label=_("Per sida"), required=False, coerce=int, choices=[(20, "20"), (50, "50"), (100, "100")], empty_value=20
    )

    def __init__(self, *args, facets=None, **kwargs):
        super().__init__(*args, **kwargs)
        facets = facets or {}
        self.fields["municipality"].choices = [(m.code, m.name) for m in facets.get("municipalities", [])]
        self.fields["legal_form"].choices = [(f.code, f"{f.name} ({f.code})") for f in facets.get("legal_forms", [])]
        self.fields["activity"].choices = [(a.code, a.name) for a in facets.get("activities", [])]
        self.fields["role"].choices = [(r.code, r.name) for r in facets.get("roles", [])]
        self.fields["country"].choices = [("", _("Alla länder")), *country_choices()]

    CHIP_FIELDS = ("sector", "kind", "country", "municipality", "legal_form", "activity", "role", "flags")
    # The chip fields shown as groups of checkboxes (the country is a plain list to choose from).
    FIELDSET_FIELDS = ("sector", "kind", "municipality", "legal_form", "activity", "role", "flags")

    def active_filters(self, query) -> list[dict]:
        """The chosen filters as chips: the field, the chosen value's label, and the query string
        without that one value (the chip's link removes it)."""
        chips = []
        for name in self.CHIP_FIELDS:
            labels = {str(value): label for value, label in self.fields[name].choices}
            chosen = query.getlist(name)
            for value in chosen:
                if not value or value not in labels:
                    continue
                rest = query.copy()
                rest.pop("page", None)
                rest.setlist(name, [v for v in chosen if v != value])
                chips.append({"field": self.fields[name].label, "label": labels[value], "query": rest.urlencode()})
        if query.get("no_orgnr") in ("on", "true", "1"):
            rest = query.copy()
            rest.pop("page", None)
            rest.pop("no_orgnr", None)
            chips.append({"field": _("Organisationsnummer"), "label": _("saknas"), "query": rest.urlencode()})
        return chips


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller Excel)"),
        help_text=_("Första raden ska vara rubriker. Se mallen för vilka kolumner som läses."),
    )


class RepresentationRequestForm(forms.Form):
    mandate = forms.ChoiceField(
        label=_("Ditt uppdrag i organisationen"),
        choices=RepresentationRequest.Mandate.choices,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Meddelande till den som beslutar"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Till exempel när du valdes eller vem i organisationen som kan bekräfta uppdraget."),
    )


class RepresentationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Beslut"),
        choices=[
            (RepresentationRequest.Status.APPROVED, _("Godkänn")),
            (RepresentationRequest.Status.REJECTED, _("Avslå")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motivering"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs när begäran avslås. Den som bad får läsa motiveringen."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == RepresentationRequest.Status.REJECTED and not data.get("reason", "").strip():
            self.add_error("reason", _("Skriv varför begäran avslås."))
        return data


class RegisterOrganisationForm(forms.Form):
    """A new organisation, registered by someone who wants to represent it (ADR 0098)."""

    kind = forms.ChoiceField(
        label=_("Vad är det för aktör?"),
        choices=[
            (Organisation.Kind.SWEDISH, _("En svensk förening, stiftelse, ett företag eller en annan juridisk person")),
            (Organisation.Kind.INFORMAL, _("En grupp eller ett nätverk utan organisationsnummer")),
            (Organisation.Kind.FOREIGN, _("En organisation i ett annat land")),
        ],
        initial=Organisation.Kind.SWEDISH,
        widget=forms.RadioSelect,
    )
    orgnr = OrgnrField(
        required=False,
        help_text=_("Tio siffror, till exempel 802000-0000. Krävs för en svensk juridisk person."),
    )
    name = forms.CharField(label=_("Organisationens namn"), max_length=200)
    legal_form = forms.ModelChoiceField(
        label=_("Juridisk form"),
        queryset=LegalForm.objects.none(),
        required=False,
        help_text=_("Krävs för en svensk juridisk person."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommun där organisationen finns eller är verksam"), queryset=Municipality.objects.none()
    )
    country = forms.ChoiceField(label=_("Land"), required=False, help_text=_("För en organisation i ett annat land."))
    foreign_registration_number = forms.CharField(
        label=_("Registreringsnummer i hemlandet"),
        max_length=50,
        required=False,
        help_text=_("Om organisationen har ett."),
    )
    description = forms.CharField(
        label=_("Kort beskrivning"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    mandate = forms.ChoiceField(
        label=_("Ditt uppdrag i organisationen"),
        choices=RepresentationRequest.Mandate.choices,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Meddelande till den som beslutar"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Till exempel när organisationen bildades och vem som kan bekräfta ditt uppdrag."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_form"].queryset = LegalForm.objects.exclude(code__in=["IG", "96"]).order_by("code")
        self.fields["municipality"].queryset = Municipality.objects.order_by("name_key")
        self.fields["country"].choices = [("", _("Välj land")), *country_choices(include_sweden=False)]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Organisation.Kind.SWEDISH:
            if not data.get("orgnr") and "orgnr" not in self.errors:
                legal_form = data.get("legal_form")
                if legal_form is None or legal_form.code != "10":
                    self.add_error("orgnr", _("Fyll i organisationsnumret."))
            if not data.get("legal_form"):
                self.add_error("legal_form", _("Välj juridisk form."))
        elif kind == Organisation.Kind.FOREIGN and not data.get("country"):
            self.add_error("country", _("Välj det land där organisationen finns."))
        return data


class MergeForm(forms.Form):
    target = OrgnrField(
        label=_("Organisationsnummer för den organisation aktören ska föras samman med"),
    )


class RepresentativeInviteForm(forms.Form):
    """Invite a co-representative, or hand the organisation over (ADR 0099)."""

    email = forms.EmailField(
        label=_("E-postadress"),
        help_text=_("Personen får en länk och svarar efter att ha loggat in eller skapat ett konto med adressen."),
    )
    mandate = forms.ChoiceField(
        label=_("Personens uppdrag i organisationen"), choices=RepresentationRequest.Mandate.choices
    )
