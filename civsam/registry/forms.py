from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from civsam.core.models import ActivityClass, LegalForm, Municipality, SocietalRole

from . import orgnr
from .models import ContactPerson, Organisation, RepresentationRequest
from .services import FLAG_FIELDS, phone_clean


class OrgnrField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("label", _("Organisationsnummer"))
        kwargs.setdefault("help_text", _("Tio siffror, till exempel 802000-0000."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return orgnr.normalise(value)
        except orgnr.OrgnrError as exc:
            raise forms.ValidationError(str(exc), code="invalid_orgnr") from exc


class OrganisationForm(forms.ModelForm):
    orgnr = OrgnrField()

    class Meta:
        model = Organisation
        fields = [
            "name",
            "orgnr",
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
            "social_enterprise": _(
                "Enligt den nationella strategin: samhällsutmaning som huvudsyfte, delaktighet, "
                "och vinster som återinvesteras i verksamheten."
            ),
            "ideburen_registered": _("Registrerad hos Kammarkollegiet enligt lagen (2022:900)."),
        }

    def __init__(self, *args, municipalities: QuerySet[Municipality] | None = None, can_edit_flags=True, **kwargs):
        """municipalities: the home municipalities to offer (permissions.organisation_municipalities_for);
        None offers all."""
        super().__init__(*args, **kwargs)
        self.fields["legal_form"].queryset = LegalForm.objects.filter(is_civil_society=True)
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

    CHIP_FIELDS = ("municipality", "legal_form", "activity", "role", "flags")

    def active_filters(self, query) -> list[dict]:
        """The chosen filters as chips: the field, the chosen value's label, and the query string
        without that one value (the chip's link removes it)."""
        chips = []
        for name in self.CHIP_FIELDS:
            labels = {str(value): label for value, label in self.fields[name].choices}
            chosen = query.getlist(name)
            for value in chosen:
                if value not in labels:
                    continue
                rest = query.copy()
                rest.pop("page", None)
                rest.setlist(name, [v for v in chosen if v != value])
                chips.append({"field": self.fields[name].label, "label": labels[value], "query": rest.urlencode()})
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


class RepresentativeInviteForm(forms.Form):
    """Invite a co-representative, or hand the organisation over (ADR 0099)."""

    email = forms.EmailField(
        label=_("E-postadress"),
        help_text=_("Personen får en länk och svarar efter att ha loggat in eller skapat ett konto med adressen."),
    )
    mandate = forms.ChoiceField(
        label=_("Personens uppdrag i organisationen"), choices=RepresentationRequest.Mandate.choices
    )
