"""Forms for the consultation (remiss): opening one, and a response section by section."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..models import Plan
from ..services import DecisionIn
from .decisions import DecisionFieldsForm
from .widgets import DateInput, MultipleFileField


class ConsultationOpenForm(DecisionFieldsForm):
    """A consultation round; the first one of a draft also records the decision to send it out."""

    title = forms.CharField(label=_("Titel"), max_length=300)
    deadline = forms.DateField(label=_("Sista svarsdag"), widget=DateInput())
    description = forms.CharField(label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    field_order = ["title", "deadline", "description", "body", "decided_on", "case_number"]

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_decision = plan.status == Plan.Status.DRAFT
        if not self.needs_decision:
            for name in ("body", "decided_on", "case_number"):
                del self.fields[name]

    def service_arguments(self) -> dict:
        """consultation_open's arguments, with the decision when the plan is still a draft."""
        data = self.cleaned_data
        arguments = {k: data[k] for k in ("title", "deadline", "description")}
        if self.needs_decision:
            arguments["decision"] = DecisionIn(
                body=data["body"], decided_on=data["decided_on"], case_number=data["case_number"]
            )
        return arguments


class ConsultationResponseForm(forms.Form):
    """One text field per focus area and per priority area of the plan, named fa-<id> and pa-<id>."""

    respondent = forms.ChoiceField(label=_("Remissinstans"))
    respondent_name = forms.CharField(
        label=_("Annan remissinstans"),
        max_length=200,
        required=False,
        help_text=_("Fylls i av samordnaren för svar från andra än organisationer och kommuner."),
    )
    general_comment = forms.CharField(
        label=_("Övergripande synpunkter"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    attachments = MultipleFileField(
        label=_("Bilagor"),
        required=False,
        help_text=_("PDF, Word, OpenDocument, text eller Excel, högst 10 MB per fil."),
    )

    def __init__(self, *args, plan: Plan, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = [(f"mun-{m.pk}", m.body_name) for m in permissions.consultation_municipalities_for(user)]
        if permissions.can_respond_for_other_body(user):
            choices = [("other", _("Annan remissinstans (ange namn)")), *municipalities]
        else:
            organisations = [(f"org-{o.pk}", o.name) for o in permissions.consultation_organisations_for(user)]
            choices = [*organisations, *municipalities]
            del self.fields["respondent_name"]
        self.fields["respondent"].choices = choices
        self.section_fields = []
        for fa in plan.focus_areas.all():
            name = f"fa-{fa.pk}"
            self.fields[name] = forms.CharField(
                label=f"{fa.number}. {fa.title}", widget=forms.Textarea(attrs={"rows": 3}), required=False
            )
            areas = []
            for pa in fa.priority_areas.all():
                pa_name = f"pa-{pa.pk}"
                self.fields[pa_name] = forms.CharField(
                    label=f"{fa.number}.{pa.number} {pa.title}",
                    widget=forms.Textarea(attrs={"rows": 3}),
                    required=False,
                )
                areas.append((pa, pa_name))
            self.section_fields.append((fa, name, areas))

    def sections(self):
        """(focus area or None, priority area or None, text) for every section field."""
        for fa, name, areas in self.section_fields:
            yield fa, None, self.cleaned_data.get(name, "")
            for pa, pa_name in areas:
                yield None, pa, self.cleaned_data.get(pa_name, "")

    def grouped(self):
        """Bound fields grouped for the template: [(focus area field, [priority area fields])]."""
        return [(self[name], [self[n] for _pa, n in areas]) for _fa, name, areas in self.section_fields]
