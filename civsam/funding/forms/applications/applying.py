"""The applicant's forms: whom the application is from, the application built from its call's
fields, and attachments."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ... import answers
from ...models import Application, CallField, FundingCall
from ...services import ApplicationData
from .common import AMOUNT, ANSWER_PREFIX, DATE_INPUT, county_municipalities

# --- Applying -----------------------------------------------------------------------------------


class ApplyForm(forms.Form):
    """Whom the application is from: an organisation the user represents, or (staff acting for an
    organisation) its organisation number."""

    organisation = forms.TypedChoiceField(
        label=_("Organisation som söker"), coerce=int, required=False, widget=forms.RadioSelect
    )
    orgnr = forms.CharField(
        label=_("Organisationsnummer"),
        required=False,
        max_length=13,
        help_text=_("För handläggare som söker för en organisation i sin kommun."),
    )
    carry = forms.BooleanField(
        label=_("Använd svaren från organisationens förra ansökan i programmet"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, organisations: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk


class ApplicationForm(forms.Form):
    """The applicant's form: title, amount, years and the call's own questions. Nothing but the
    title is required to save a draft; what sending in needs is checked then (services.problems)."""

    title = forms.CharField(
        label=_("Rubrik"), max_length=200, help_text=_("Ett kort namn på verksamheten eller projektet.")
    )
    amount_applied = forms.DecimalField(label=_("Sökt belopp (kronor)"), required=False, **AMOUNT)
    years = forms.TypedChoiceField(label=_("Bidrag för"), coerce=int)
    contact_email = forms.EmailField(
        label=_("E-post för kvitto och beslut"),
        required=False,
        help_text=_("Tomt: organisationens e-postadress i registret."),
    )

    def __init__(self, *args, call: FundingCall, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.use_required_attribute = False
        durations = call.programme.durations if call.programme else [1]
        self.fields["years"].choices = [(y, _("%(n)s år") % {"n": y}) for y in durations]
        if len(durations) == 1:
            self.fields["years"].widget = forms.HiddenInput()
            self.fields["years"].initial = durations[0]
        self.specs = list(call.form_fields.all())
        municipalities = None
        for field in self.specs:
            if field.kind == answers.MUNICIPALITIES and municipalities is None:
                municipalities = county_municipalities()
            self.fields[ANSWER_PREFIX + field.key] = self._field(field, municipalities or [])

    @staticmethod
    def _field(field: CallField, municipalities: list[tuple[str, str]]) -> forms.Field:
        help_text = field.help_text
        if field.required:
            help_text = f"{help_text} {_('Ska besvaras innan ansökan skickas in.')}".strip()
        common = {"label": field.label, "required": False, "help_text": help_text}
        kind = field.kind
        if kind == answers.TEXTAREA:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=answers.MAX_TEXT, **common)
        if kind == answers.INTEGER:
            return forms.IntegerField(min_value=0, max_value=10_000_000, **common)
        if kind == answers.AMOUNT:
            return forms.DecimalField(**AMOUNT, **common)
        if kind == answers.DATE:
            return forms.DateField(widget=DATE_INPUT, **common)
        if kind == answers.YESNO:
            return forms.TypedChoiceField(
                choices=[("", _("Inte besvarat")), ("1", _("Ja")), ("0", _("Nej"))],
                coerce=lambda v: v == "1",
                empty_value=None,
                widget=forms.RadioSelect,
                **common,
            )
        if kind == answers.CHOICE:
            return forms.ChoiceField(choices=[("", "—"), *[(c, c) for c in field.choices]], **common)
        if kind == answers.MULTICHOICE:
            return forms.MultipleChoiceField(
                choices=[(c, c) for c in field.choices], widget=forms.CheckboxSelectMultiple, **common
            )
        if kind == answers.MUNICIPALITIES:
            return forms.MultipleChoiceField(choices=municipalities, widget=forms.CheckboxSelectMultiple, **common)
        return forms.CharField(max_length=500, **common)

    @classmethod
    def initial_for(cls, application: Application) -> dict:
        initial = {
            "title": application.title,
            "amount_applied": application.amount_applied,
            "years": application.years,
            "contact_email": application.contact_email,
        }
        kinds = {f.key: f.kind for f in application.call.form_fields.all()}
        for key, value in application.answers.items():
            typed = answers.from_stored(kinds.get(key, answers.TEXT), value)
            if kinds.get(key) == answers.YESNO and typed is not None:
                typed = "1" if typed else "0"
            initial[ANSWER_PREFIX + key] = typed
        return initial

    def application_data(self) -> ApplicationData:
        data = self.cleaned_data
        stored = {}
        for field in self.specs:
            value = answers.to_stored(field.kind, data.get(ANSWER_PREFIX + field.key))
            if value is not None:
                stored[field.key] = value
        return ApplicationData(
            title=data["title"],
            amount_applied=data.get("amount_applied"),
            years=data.get("years") or 1,
            answers=stored,
            contact_email=data.get("contact_email") or "",
        )

    def answer_fields(self):
        return [self[ANSWER_PREFIX + f.key] for f in self.specs]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Bifoga en fil"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument eller RTF, högst 10 MB."),
    )
