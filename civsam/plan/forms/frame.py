"""The strategies and Agenda 2030 goals a focus area or priority area serves (ADR 0122)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import FrameTag
from ..selectors import frame_tag_choices


class AreaFrameForm(forms.Form):
    frame_tags = forms.TypedMultipleChoiceField(
        label=_("Strategier och Agenda 2030-mål"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Insatser som bidrar till området räknas till det som du kryssar i här."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frame_tags"].choices = frame_tag_choices()

    def tags(self) -> list[FrameTag]:
        return list(FrameTag.objects.filter(pk__in=self.cleaned_data["frame_tags"]))
