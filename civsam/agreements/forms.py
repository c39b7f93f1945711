"""Forms for agreements. Each offers only the bodies the user may bind the agreement to; the
services refuse any other (ADR 0131)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civsam.core.models import Municipality
from civsam.plan.models import PriorityArea
from civsam.registry.models import Organisation

from .models import Agreement, Contribution, GovernanceGroup, LegalAssessment, Party

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _area_label(area: PriorityArea) -> str:
    return f"{area.code} {area.title}"


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Namn"), max_length=200)
    kind = forms.ChoiceField(label=_("Slag av överenskommelse"), choices=Agreement.Kind.choices)
    owner = forms.ModelChoiceField(
        label=_("Ansvarig part"),
        queryset=Organisation.objects.none(),
        help_text=_("Den part som registrerar och håller ihop överenskommelsen, oftast den offentliga parten."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommun"), queryset=Municipality.objects.none(), required=False, empty_label=_("Hela länet")
    )
    challenge = forms.CharField(
        label=_("Gemensam samhällsutmaning"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    problem_analysis = forms.CharField(
        label=_("Problemanalys"), max_length=8000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    priority_areas = forms.ModelMultipleChoiceField(
        label=_("Prioriterade aktivitetsområden"),
        queryset=PriorityArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(label=_("Gäller från"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Gäller till"), required=False, widget=DATE_WIDGET)
    notice_months = forms.IntegerField(label=_("Uppsägningstid i månader"), min_value=0, max_value=60, initial=3)
    renegotiation = forms.CharField(
        label=_("Omförhandling"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("När och hur parterna omförhandlar, till exempel inför varje ny budgetperiod."),
    )
    deciding_body = forms.CharField(label=_("Beslutande organ"), max_length=200, required=False)
    case_number = forms.CharField(label=_("Diarienummer"), max_length=40, required=False)
    decided_on = forms.DateField(label=_("Beslutsdatum"), required=False, widget=DATE_WIDGET)
    is_public = forms.BooleanField(label=_("Visa i den öppna förteckningen"), required=False, initial=True)
    non_public_reason = forms.CharField(
        label=_("Skäl att inte visa överenskommelsen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs om överenskommelsen inte ska visas öppet, till exempel skyddade adresser."),
    )

    def __init__(self, *args, owners, municipalities, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["municipality"].queryset = municipalities
        self.fields["priority_areas"].queryset = areas
        self.fields["priority_areas"].label_from_instance = _area_label

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Slutdatumet kan inte vara före startdatumet."))
        if not data.get("is_public") and not (data.get("non_public_reason") or "").strip():
            self.add_error("non_public_reason", _("Skriv varför överenskommelsen inte ska visas öppet."))
        return data


class PartyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_(
            "Aktörer från alla sektorer i registret. En organisation du inte företräder bjuds in och blir part "
            "när den tackar ja."
        ),
    )
    role = forms.ChoiceField(label=_("Roll"), choices=Party.Role.choices)
    responsibility = forms.CharField(label=_("Ansvar i samverkan"), max_length=300, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ContributionForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Part"), queryset=Party.objects.none())
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Slag av bidrag"), choices=Contribution.Kind.choices)
    quantity = forms.DecimalField(
        label=_("Mängd"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Kronor för pengar och lokaler, annars timmar."),
    )
    rate = forms.DecimalField(
        label=_("Timvärde i kronor"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("För timmar. Ideella timmar kan värderas med timvärdet i proxybiblioteket."),
    )
    rate_source = forms.CharField(label=_("Källa för timvärdet"), max_length=300, required=False)
    description = forms.CharField(label=_("Beskrivning"), max_length=300, required=False)

    def __init__(self, *args, parties, volunteer_rate=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties
        self.fields["party"].label_from_instance = lambda p: p.organisation.name
        self.fields["year"].initial = timezone.localdate().year
        if volunteer_rate is not None:
            self.fields["rate"].help_text = _(
                "För timmar. Proxybibliotekets timvärde för ideellt arbete är %(value)s kr (%(source)s)."
            ) % {"value": volunteer_rate.value, "source": volunteer_rate.source[:120]}


class GoalForm(forms.Form):
    goal = forms.CharField(label=_("Mål"), max_length=500)
    indicator = forms.CharField(label=_("Indikator"), max_length=300, required=False)
    target = forms.CharField(label=_("Målvärde"), max_length=200, required=False)
    priority_area = forms.ModelChoiceField(
        label=_("Prioriterat aktivitetsområde"), queryset=PriorityArea.objects.none(), required=False
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority_area"].queryset = areas
        self.fields["priority_area"].label_from_instance = _area_label


class GroupForm(forms.Form):
    kind = forms.ChoiceField(label=_("Slag av grupp"), choices=GovernanceGroup.Kind.choices)
    name = forms.CharField(label=_("Gruppens namn"), max_length=200)
    mandate = forms.CharField(
        label=_("Uppdrag"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MemberForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Grupp"), queryset=GovernanceGroup.objects.none())
    party = forms.ModelChoiceField(label=_("För parten"), queryset=Party.objects.none())
    name = forms.CharField(label=_("Namn på ledamoten"), max_length=150)
    position = forms.CharField(label=_("Uppdrag i gruppen"), max_length=100, required=False)

    def __init__(self, *args, groups, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["party"].queryset = parties
        self.fields["party"].label_from_instance = lambda p: p.organisation.name


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    activities = forms.CharField(label=_("Vad som gjordes"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4}))
    results = forms.CharField(
        label=_("Resultat mot målen"), max_length=8000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    changes = forms.CharField(
        label=_("Ändringar framåt"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    participants = forms.IntegerField(label=_("Antal deltagare"), min_value=0, required=False)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    file = forms.FileField(label=_("Fil"), help_text=_("PDF eller ett vanligt kontorsformat, högst 20 MB."))


class AssessmentForm(forms.Form):
    procurement = forms.ChoiceField(
        label=_("Upphandling"),
        choices=LegalAssessment.Procurement.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Ett kontrakt där en tjänst köps mot ersättning är ett offentligt kontrakt, inte ett partnerskap."),
    )
    state_aid = forms.ChoiceField(
        label=_("Statsstöd"), choices=LegalAssessment.StateAid.choices, widget=forms.RadioSelect, required=False
    )
    aid_recipient = forms.ModelChoiceField(
        label=_("Stödmottagare"),
        queryset=Party.objects.none(),
        required=False,
        help_text=_("Vid stöd av mindre betydelse: den part som tar emot stödet."),
    )
    aid_amount_sek = forms.DecimalField(
        label=_("Stödbelopp i kronor"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    sek_per_eur = forms.DecimalField(
        label=_("Växelkurs, kronor per euro"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=4,
        help_text=_("Kursen på beslutsdagen."),
    )
    rate_source = forms.CharField(label=_("Källa för växelkursen"), max_length=200, required=False)
    general_interest = forms.BooleanField(
        label=_("Insatsen är av allmänt intresse och inte stöd till enskilda (kommunallagen 2 kap. 1 § och 8 §)"),
        required=False,
    )
    memo = forms.CharField(
        label=_("Promemoria"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Skälen för bedömningen, med hänvisningar."),
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aid_recipient"].queryset = parties
        self.fields["aid_recipient"].label_from_instance = lambda p: p.organisation.name


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=[(a, a) for a in ("submit", "return", "sign", "end", "terminate")])
    on = forms.DateField(label=_("Datum"), required=False, widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Skäl"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Slag"), required=False, choices=[("", _("Alla")), *list(Agreement.Kind.choices)])
    municipality = forms.ModelChoiceField(
        label=_("Kommun"), queryset=Municipality.objects.order_by("name_key"), required=False, empty_label=_("Alla")
    )
    priority_area = forms.ModelChoiceField(
        label=_("Prioriterat aktivitetsområde"),
        queryset=PriorityArea.objects.none(),
        required=False,
        empty_label=_("Alla"),
    )
    sector = forms.ChoiceField(
        label=_("Parternas sektor"), required=False, choices=[("", _("Alla")), *list(Organisation.Sector.choices)]
    )
    year = forms.IntegerField(label=_("Gällande år"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority_area"].queryset = areas
        self.fields["priority_area"].label_from_instance = _area_label
