"""Forms for the consultation (remiss): opening one, and a response section by section."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..models import ConsultationResponse, Plan, ResponseSection
from ..services import DecisionIn, SecrecyIn, SectionIn
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
    """One text field per chapter of the draft (ch-<chapter>), per focus area (fa-<id>) and per
    priority area (pa-<id>)."""

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
        private = ("private", _("Jag själv, som privatperson"))
        if permissions.can_respond_for_other_body(user):
            choices = [("other", _("Annan remissinstans (ange namn)")), *municipalities, private]
        else:
            organisations = [(f"org-{o.pk}", o.name) for o in permissions.consultation_organisations_for(user)]
            choices = [*organisations, *municipalities, private]
            del self.fields["respondent_name"]
        self.fields["respondent"].choices = choices
        self.fields["respondent"].help_text = _(
            "Svarar du som privatperson visas ditt svar utan namn när remissen har stängts."
        )
        self.chapter_names = []
        for value, label in ResponseSection.Chapter.choices:
            name = f"ch-{value}"
            self.fields[name] = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 3}), required=False)
            self.chapter_names.append((value, name))
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

    def sections(self) -> list[SectionIn]:
        """Every chapter, focus area and priority area field as the service takes it."""
        found = [SectionIn(self.cleaned_data.get(name, ""), chapter=value) for value, name in self.chapter_names]
        for fa, name, areas in self.section_fields:
            found.append(SectionIn(self.cleaned_data.get(name, ""), focus_area=fa))
            for pa, pa_name in areas:
                found.append(SectionIn(self.cleaned_data.get(pa_name, ""), priority_area=pa))
        return found

    def chapters(self):
        return [self[name] for _value, name in self.chapter_names]

    def grouped(self):
        """Bound fields grouped for the template: [(focus area field, [priority area fields])]."""
        return [(self[name], [self[n] for _pa, n in areas]) for _fa, name, areas in self.section_fields]


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("Ställningstagande"), choices=ConsultationResponse.Disposition.choices, widget=forms.RadioSelect
    )
    disposition_reason = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}))
    disposition_change = forms.CharField(
        label=_("Ändring i planen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Vad svaret ledde till i planen. Krävs när svaret tillgodoses helt eller delvis."),
    )


class SecrecyForm(forms.Form):
    """One reason field per part of the response; a reason withholds that part from the public."""

    whole = forms.CharField(
        label=_("Skäl att sekretessbelägga hela svaret"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Ange sekretessgrunden, till exempel paragrafen i offentlighets- och sekretesslagen."),
    )
    general_comment = forms.CharField(
        label=_("Skäl att sekretessbelägga de övergripande synpunkterna"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, response: ConsultationResponse, **kwargs):
        initial = {
            "whole": response.confidential_reason,
            "general_comment": response.general_comment_confidential_reason,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.section_names = []
        for section in response.sections.all():
            name = f"section-{section.pk}"
            self.fields[name] = forms.CharField(
                label=_("Skäl att sekretessbelägga synpunkterna på %(part)s") % {"part": section.target_label},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=section.confidential_reason,
            )
            self.section_names.append((section.pk, name))
        self.attachment_names = []
        for attachment in response.attachments.all():
            name = f"attachment-{attachment.pk}"
            self.fields[name] = forms.CharField(
                label=_("Skäl att sekretessbelägga bilagan %(name)s") % {"name": attachment.name},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=attachment.confidential_reason,
            )
            self.attachment_names.append((attachment.pk, name))

    def assessment(self) -> SecrecyIn:
        data = self.cleaned_data
        return SecrecyIn(
            whole=data["whole"],
            general_comment=data["general_comment"],
            sections={pk: data[name] for pk, name in self.section_names},
            attachments={pk: data[name] for pk, name in self.attachment_names},
        )
