"""Forms for initiatives: the initiative with its milestones, funding, outputs and links; the
follow-up page's filters; the import upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civsam.core.models import Consequence, Municipality, Principle, SocietalRole
from civsam.registry.models import Organisation

from .. import permissions
from ..models import FrameTag, Initiative, InitiativeLink, InitiativeStatus, ParticipantCount, Plan, PriorityArea
from ..selectors import frame_tag_choices, frame_tag_groups, initiative_version
from ..services import FundingIn, LinkIn, MilestoneIn, OutputIn
from ..services.initiative_parts import CONSEQUENCE_FIELDS
from .widgets import DateInput, FastSelect


class PriorityAreaChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PriorityArea) -> str:
        return f"{obj.focus_area.plan.start_year}–{obj.focus_area.plan.end_year} · {obj.code} {obj.title}"


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    description = forms.CharField(label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    lead_organisation = forms.ModelChoiceField(
        label=_("Ansvarig organisation"), queryset=Organisation.objects.none(), required=False
    )
    lead_municipality = forms.ModelChoiceField(
        label=_("Ansvarig kommun"), queryset=Municipality.objects.none(), required=False
    )
    lead_name = forms.CharField(
        label=_("Annan ansvarig aktör"),
        max_length=200,
        required=False,
        help_text=_("Till exempel Region Örebro län, Örebro universitet eller ett nätverk. Fylls i av samordnaren."),
    )
    partner_organisations = forms.ModelMultipleChoiceField(
        label=_("Partnerorganisationer"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    partner_names = forms.CharField(label=_("Andra partner"), max_length=500, required=False)
    priority_areas = PriorityAreaChoice(
        label=_("Prioriterade aktivitetsområden"),
        queryset=PriorityArea.objects.select_related("focus_area__plan").order_by(
            "-focus_area__plan__start_year", "focus_area__number", "number"
        ),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Insatsen kan bidra till områden i flera versioner av planen."),
    )
    principles = forms.ModelMultipleChoiceField(
        label=_("Principer"), queryset=Principle.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    roles = forms.ModelMultipleChoiceField(
        label=_("Roller"), queryset=SocietalRole.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner som omfattas"),
        queryset=Municipality.objects.order_by("name_key"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(label=_("Startdatum"), widget=DateInput())
    end_date = forms.DateField(label=_("Slutdatum"), widget=DateInput(), required=False)
    budget = forms.DecimalField(label=_("Budget (kr)"), min_value=0, max_digits=14, decimal_places=2, required=False)
    status = forms.ModelChoiceField(label=_("Status"), queryset=InitiativeStatus.objects.all(), empty_label=None)
    progress = forms.IntegerField(
        label=_("Andel genomförd (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Lämna tomt för att använda statusens förvalda värde."),
    )
    weight = forms.DecimalField(label=_("Vikt"), min_value=0.01, max_digits=8, decimal_places=2, initial=1)
    parent = forms.ModelChoiceField(
        label=_("Ingår i insatsen"), queryset=Initiative.objects.order_by("title"), required=False
    )

    frame_tags = forms.TypedMultipleChoiceField(
        label=_("Strategier och Agenda 2030-mål"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Det insatsen bidrar till utöver handlingsplanen: den regionala utvecklingsstrategin, andra "
            "regionala strategier och de globala målen. Det som aktivitetsområdet redan anger räknas också."
        ),
    )
    environment_assessment = forms.ChoiceField(
        label=_("Konsekvenser för miljön"),
        choices=Consequence.choices,
        initial=Consequence.NOT_ASSESSED,
        required=False,
    )
    environment_note = forms.CharField(
        label=_("Motivering, miljö"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    children_assessment = forms.ChoiceField(
        label=_("Konsekvenser för barn"),
        choices=Consequence.choices,
        initial=Consequence.NOT_ASSESSED,
        required=False,
        help_text=_("Barnkonventionen är svensk lag sedan 2020 (SFS 2018:1197)."),
    )
    children_note = forms.CharField(
        label=_("Motivering, barn"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    gender_assessment = forms.ChoiceField(
        label=_("Konsekvenser för jämställdheten"),
        choices=Consequence.choices,
        initial=Consequence.NOT_ASSESSED,
        required=False,
    )
    gender_note = forms.CharField(
        label=_("Motivering, jämställdhet"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    # Shown folded under "Mer om insatsen" (the form stays short for those who only register).
    ADVANCED = (
        "principles",
        "roles",
        "frame_tags",
        *CONSEQUENCE_FIELDS,
        "weight",
        "parent",
    )

    # The initiative_version the form was loaded with, so that saving it cannot silently overwrite
    # a change someone else made meanwhile (services.initiative_update).
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, initiative: Initiative | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = permissions.lead_organisations_for(user)
        self.fields["lead_municipality"].queryset = permissions.lead_municipalities_for(user)
        if not permissions.can_name_other_lead(user):
            del self.fields["lead_name"]
        # Partners are named, not bound: any organisation in the register may be named.
        self.fields["partner_organisations"].queryset = Organisation.objects.order_by("name_key")
        # A parent binds: offered are the initiatives the user may change, and the current parent,
        # so that saving other changes keeps a link the user may not make or undo.
        parents = permissions.initiatives_changeable_by(user)
        if initiative is None:
            del self.fields["version"]
        else:
            if initiative.parent_id is not None:
                parents = parents | Initiative.objects.filter(pk=initiative.parent_id)
            parents = parents.exclude(pk=initiative.pk)
        self.fields["parent"].queryset = parents.order_by("title", "pk")
        self.fields["frame_tags"].choices = frame_tag_choices()

    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.ADVANCED and name != "version"]

    def advanced_fields(self):
        return [self[name] for name in self.ADVANCED if name in self.fields]

    @property
    def advanced_open(self) -> bool:
        """Unfold the advanced part when one of its fields has an error."""
        return self.is_bound and any(self.errors.get(name) for name in self.ADVANCED)

    def service_fields(self) -> dict:
        """The cleaned data as the keyword arguments of initiative_create and initiative_update."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and name not in CONSEQUENCE_FIELDS
        }
        data["frame_tags"] = list(FrameTag.objects.filter(pk__in=self.cleaned_data.get("frame_tags") or []))
        data["consequences"] = {name: self.cleaned_data.get(name) or "" for name in CONSEQUENCE_FIELDS}
        return data

    def stale(self, current_version: str) -> None:
        """Someone else saved the initiative after this form was loaded: keep what the user entered,
        say so, and carry the current version, so that saving again is a decision to overwrite."""
        self.add_error(
            None,
            _(
                "Någon annan har ändrat insatsen medan du redigerade den, och ingenting är sparat. "
                "Öppna insatsens sida i en ny flik för att se ändringen. Spara igen om du vill ersätta "
                "den med uppgifterna i formuläret."
            ),
        )
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current_version

    def clean(self):
        data = super().clean()
        leads = [data.get("lead_organisation"), data.get("lead_municipality"), (data.get("lead_name") or "").strip()]
        if not any(leads) and not self.errors.get("lead_organisation"):
            self.add_error(
                "lead_organisation", _("Ange vem som ansvarar: en organisation, en kommun eller en annan aktör.")
            )
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("Slutdatumet kan inte vara före startdatumet."))
        return data

    @staticmethod
    def initial_for(initiative: Initiative) -> dict:
        return {
            "title": initiative.title,
            "description": initiative.description,
            "lead_organisation": initiative.lead_organisation_id,
            "lead_municipality": initiative.lead_municipality_id,
            "lead_name": initiative.lead_name,
            "partner_organisations": list(initiative.partner_organisations.all()),
            "partner_names": initiative.partner_names,
            "priority_areas": list(initiative.priority_areas.all()),
            "principles": list(initiative.principles.all()),
            "roles": list(initiative.roles.all()),
            "frame_tags": [t.pk for t in initiative.frame_tags.all()],
            **{name: getattr(initiative, name) for name in CONSEQUENCE_FIELDS},
            "municipalities": list(initiative.municipalities.all()),
            "start_date": initiative.start_date,
            "end_date": initiative.end_date,
            "budget": initiative.budget,
            "status": initiative.status_id,
            "progress": initiative.progress,
            "weight": initiative.weight,
            "parent": initiative.parent_id,
            "version": initiative_version(initiative),
        }


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Delmål"), max_length=300)
    due_date = forms.DateField(label=_("Datum"), widget=DateInput())
    completed_on = forms.DateField(label=_("Klart den"), widget=DateInput(), required=False)


class FundingForm(forms.Form):
    source = forms.CharField(label=_("Finansiär"), max_length=200)
    amount = forms.DecimalField(label=_("Belopp (kr)"), min_value=0, max_digits=14, decimal_places=2, required=False)


class LinkForm(forms.Form):
    # An empty first choice, so that an untouched extra row stays empty and is skipped.
    kind = forms.ChoiceField(label=_("Typ"), choices=[("", "–"), *InitiativeLink.Kind.choices])
    title = forms.CharField(label=_("Titel"), max_length=300)
    url = forms.URLField(label=_("Adress"), max_length=500, assume_scheme="https")


class OutputForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=1990, max_value=2100)
    meetings_held = forms.IntegerField(label=_("Genomförda möten"), min_value=0, initial=0, required=False)
    reports_published = forms.IntegerField(label=_("Rapporter"), min_value=0, initial=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for gender, gender_label in ParticipantCount.Gender.choices:
            for band, band_label in ParticipantCount.AgeBand.choices:
                self.fields[f"p_{gender}_{band}"] = forms.IntegerField(
                    label=f"{gender_label}, {band_label}", min_value=0, required=False
                )

    def participant_fields(self):
        return [self[name] for name in self.fields if name.startswith("p_")]


def _formset(form, extra):
    return forms.formset_factory(form, extra=extra, can_delete=True)


MilestoneFormSet = _formset(MilestoneForm, 2)
FundingFormSet = _formset(FundingForm, 1)
LinkFormSet = _formset(LinkForm, 1)
OutputFormSet = _formset(OutputForm, 1)


def _kept(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def milestones_from(formset) -> list[MilestoneIn]:
    return [MilestoneIn(d["title"], d["due_date"], d.get("completed_on")) for d in _kept(formset)]


def funding_from(formset) -> list[FundingIn]:
    return [FundingIn(d["source"], d.get("amount")) for d in _kept(formset)]


def links_from(formset) -> list[LinkIn]:
    return [LinkIn(d["kind"], d["title"], d["url"]) for d in _kept(formset)]


def outputs_from(formset) -> list[OutputIn]:
    result = []
    for d in _kept(formset):
        participants = {}
        for key, value in d.items():
            if key.startswith("p_") and value:
                _p, gender, band = key.split("_", 2)
                participants[(gender, band)] = value
        result.append(OutputIn(d["year"], d.get("meetings_held") or 0, d.get("reports_published") or 0, participants))
    return result


def formset_initial(initiative: Initiative) -> dict[str, list[dict]]:
    outputs = []
    by_year = {o.year: o for o in initiative.outputs.all()}
    participants: dict[int, dict[str, int]] = {}
    for p in initiative.participants.all():
        participants.setdefault(p.year, {})[f"p_{p.gender}_{p.age_band}"] = p.count
    for year in sorted(set(by_year) | set(participants)):
        o = by_year.get(year)
        outputs.append(
            {
                "year": year,
                "meetings_held": o.meetings_held if o else 0,
                "reports_published": o.reports_published if o else 0,
                **participants.get(year, {}),
            }
        )
    return {
        "milestones": [
            {"title": m.title, "due_date": m.due_date, "completed_on": m.completed_on}
            for m in initiative.milestones.all()
        ],
        "funding": [{"source": f.source, "amount": f.amount} for f in initiative.funding.all()],
        "links": [{"kind": link.kind, "title": link.title, "url": link.url} for link in initiative.links.all()],
        "outputs": outputs,
    }


class FollowUpFilterForm(forms.Form):
    focus_area = forms.TypedChoiceField(label=_("Insatsområde"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    municipality = forms.ChoiceField(label=_("Kommun"), required=False, widget=FastSelect)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, required=False, empty_value=None, widget=FastSelect
    )
    year = forms.TypedChoiceField(label=_("År"), coerce=int, required=False, empty_value=None)
    frame = forms.ChoiceField(label=_("Strategi eller mål"), required=False)

    def __init__(self, *args, plan: Plan, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Alla"))]
        self.fields["focus_area"].choices = everything + [
            (fa.number, f"{fa.number}. {fa.title}") for fa in plan.focus_areas.all()
        ]
        self.fields["status"].choices = everything + [(s.code, s.name) for s in InitiativeStatus.objects.all()]
        self.fields["municipality"].choices = everything + [
            (m.code, m.name) for m in Municipality.objects.order_by("name_key")
        ]
        self.fields["organisation"].choices = everything + [(o.pk, o.name) for o in organisations]
        self.fields["year"].choices = everything + [(y, str(y)) for y in range(plan.start_year, plan.end_year + 1)]
        self.fields["frame"].choices = everything + [
            (label, [(tag.code, str(tag)) for tag in tags]) for label, tags in frame_tag_groups()
        ]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fil (CSV eller XLSX)"))
