from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from civsam.core.models import Consequence, Municipality
from civsam.plan.models import PriorityArea
from civsam.registry.selectors import public_bodies

from ..models import (
    BudgetCommitment,
    BudgetLine,
    BudgetYear,
    Conference,
    Event,
    EventOutput,
    EventQuestion,
    Partner,
    PlanningGroupMember,
    Session,
    Speaker,
    TargetGroup,
    TargetGroupQuota,
)

SERVICE_CHOICES = [
    ("interpretation", _("Tolk (t.ex. teckenspråk)")),
    ("childcare", _("Barnpassning")),
    ("accessibility", _("Tillgänglighetsanpassning (t.ex. hörslinga, rullstolsplats)")),
]
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
QUESTION_PREFIX = "question_"


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("E-post"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommun"), queryset=Municipality.objects.order_by("name_key"), required=False
    )
    services = forms.MultipleChoiceField(
        label=_("Jag behöver"), required=False, choices=SERVICE_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, event: Event | None = None, conference: Conference | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_fields: list[tuple[str, EventQuestion]] = []
        if conference is not None:
            self.fields["target_group"] = forms.ChoiceField(
                label=_("Jag deltar som"), choices=[("", "—"), *TargetGroup.choices], required=False
            )
            # The employer is said, not acted for: only public bodies can be named, and naming one
            # gives no right (ADR 0124). Other organisations are written in the free-text field.
            self.fields["employer"] = forms.ModelChoiceField(
                label=_("Arbetsgivare i offentlig sektor"),
                queryset=public_bodies(),
                required=False,
                empty_label="—",
                help_text=_("Till exempel Region Örebro län eller din kommun. Annars skriver du organisationen ovan."),
            )
            types = list(conference.registration_types.all())
            if types:
                self.fields["registration_type"] = forms.ModelChoiceField(
                    label=_("Anmälningstyp"),
                    queryset=conference.registration_types.all(),
                    widget=forms.RadioSelect,
                    empty_label=None,
                )
        if event is not None:
            for question in event.questions.all():
                key = f"{QUESTION_PREFIX}{question.pk}"
                if question.kind == EventQuestion.Kind.CHOICE:
                    field = forms.ChoiceField(
                        label=question.label, choices=[("", "—"), *((c, c) for c in question.choices)]
                    )
                elif question.kind == EventQuestion.Kind.YES_NO:
                    field = forms.ChoiceField(
                        label=question.label,
                        choices=[("ja", _("Ja")), ("nej", _("Nej"))],
                        widget=forms.RadioSelect,
                    )
                else:
                    field = forms.CharField(label=question.label, max_length=1000)
                field.required = question.required
                self.fields[key] = field
                self.question_fields.append((key, question))

    def answers(self) -> dict[str, str]:
        return {str(q.pk): self.cleaned_data.get(key) or "" for key, q in self.question_fields}


class EventForm(forms.ModelForm):
    def _clean_assessment(self, name: str) -> str:
        return self.cleaned_data.get(name) or Consequence.NOT_ASSESSED

    def clean_environment_assessment(self):
        return self._clean_assessment("environment_assessment")

    def clean_children_assessment(self):
        return self._clean_assessment("children_assessment")

    def clean_gender_assessment(self):
        return self._clean_assessment("gender_assessment")

    class Meta:
        model = Event
        fields = [
            "title",
            "description",
            "agenda",
            "network",
            "organiser",
            "mode",
            "place",
            "municipality",
            "online_url",
            "starts_at",
            "ends_at",
            "capacity",
            "registration_opens",
            "registration_closes",
            "requires_approval",
            "invitation_only",
            "offer_window_hours",
            "is_public",
            "priority_areas",
            "initiatives",
            "environment_assessment",
            "environment_note",
            "children_assessment",
            "children_note",
            "gender_assessment",
            "gender_note",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "registration_opens": DATETIME_WIDGET,
            "registration_closes": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "priority_areas": forms.CheckboxSelectMultiple,
            "initiatives": forms.SelectMultiple(attrs={"size": 8}),
            "environment_note": forms.Textarea(attrs={"rows": 2}),
            "children_note": forms.Textarea(attrs={"rows": 2}),
            "gender_note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "initiatives": _(
                "De insatser i handlingsplanen som mötet hör till. Du kan välja bland insatser som du får ändra; "
                "kopplingar till andra insatser behålls."
            ),
            "children_assessment": _("Barnkonventionen är svensk lag sedan 2020 (SFS 2018:1197)."),
        }

    def __init__(self, *args, organisations, municipalities, networks, initiatives, **kwargs):
        """The organisers, municipalities, networks and initiatives the user may bind the event to."""
        super().__init__(*args, **kwargs)
        # Not answered: not assessed (ADR 0123).
        for name in ("environment_assessment", "children_assessment", "gender_assessment"):
            self.fields[name].required = False
        self.fields["priority_areas"].queryset = PriorityArea.objects.select_related("focus_area__plan").order_by(
            "-focus_area__plan__start_year", "focus_area__number", "number"
        )
        for name, allowed in (("organiser", organisations), ("municipality", municipalities), ("network", networks)):
            # The current binding stays on offer, so that saving other changes keeps a binding the
            # user may not make or undo (the service refuses changing it); with nothing to offer,
            # the field is left out.
            current = getattr(self.instance, f"{name}_id", None)
            choices = allowed | allowed.model.objects.filter(pk=current) if current is not None else allowed
            if choices.exists():
                self.fields[name].queryset = choices
            else:
                del self.fields[name]
        self.fields["initiatives"].queryset = initiatives

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("Slutet kan inte vara före början."))
        return data


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Anmälningskod"), max_length=12)


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Alternativ (ett per rad)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = EventQuestion
        fields = ["label", "kind", "required"]

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("choices_text", "").splitlines() if line.strip()]


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=150)
    email = forms.EmailField(label=_("E-post"))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minnesanteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 8}))


class OutputForm(forms.ModelForm):
    class Meta:
        model = EventOutput
        fields = ["kind", "title", "description", "url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ConferenceForm(forms.ModelForm):
    class Meta:
        model = Conference
        fields = ["budget_amount", "budget_decision_reference", "budget_decided_by", "budget_decided_on"]
        widgets = {"budget_decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["title", "kind", "room", "starts_at", "ends_at", "description"]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("Slutet kan inte vara före början."))
        return data


class SpeakerForm(forms.ModelForm):
    class Meta:
        model = Speaker
        fields = ["name", "affiliation", "is_internal", "bio", "sessions"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3}), "sessions": forms.CheckboxSelectMultiple}

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = conference.sessions.all()


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "role"]


class RegistrationTypeForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=100)
    sessions = forms.ModelMultipleChoiceField(
        label=_("Programpunkter som ingår"), queryset=Session.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = conference.sessions.all()


class QuotaForm(forms.ModelForm):
    class Meta:
        model = TargetGroupQuota
        fields = ["target_group", "quota"]


class PlanningMemberForm(forms.ModelForm):
    email = forms.EmailField(
        label=_("E-postadress för användarkonto"),
        required=False,
        help_text=_("Ledamoten måste ha ett konto i Civsam. Med ett konto får ledamoten ändra programmet."),
    )

    class Meta:
        model = PlanningGroupMember
        fields = ["name", "affiliation", "sector", "role"]

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip()
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Det finns inget aktivt konto med den e-postadressen."))
        return user

    @property
    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["user"] = data.pop("email", None)
        return data


class BudgetYearForm(forms.ModelForm):
    class Meta:
        model = BudgetYear
        fields = ["year", "allocated", "purpose", "decision_reference", "decided_by", "decided_on"]
        widgets = {"decided_on": forms.DateInput(attrs={"type": "date"})}


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["year", "title", "planned"]


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = BudgetCommitment
        fields = ["line", "description", "amount", "committed_on"]
        widgets = {"committed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = conference.budget_lines.all()
        self.fields["committed_on"].required = False


class OutcomeForm(forms.Form):
    outcome = forms.DecimalField(label=_("Utfall (kr)"), max_digits=12, decimal_places=2, min_value=0)


from .networks import (  # noqa: E402
    MemberInviteForm,
    NetworkCloseForm,
    NetworkForm,
    RepresentativeEndForm,
    RepresentativeForm,
)

__all__ = [
    "MemberInviteForm",
    "NetworkCloseForm",
    "NetworkForm",
    "RepresentativeEndForm",
    "RepresentativeForm",
]
