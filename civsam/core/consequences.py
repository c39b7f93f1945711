"""The assessed consequences for the environment, children and gender equality in the API
(core.models.ConsequencesMixin, ADR 0123): the shapes shared by the initiatives and the events."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .apitools import CamelSchema, InSchema
from .models import CONSEQUENCE_PERSPECTIVES, Consequence

ASSESSMENT_DOC = "not_assessed (inte bedömd), positive, neutral eller negative."


class AssessmentOut(CamelSchema):
    """En bedömning av konsekvenser: bedömningen och en kort motivering."""

    assessment: str = Field(description=ASSESSMENT_DOC)
    note: str


class ConsequencesOut(CamelSchema):
    """Bedömda konsekvenser för miljön, för barn (barnkonventionen, SFS 2018:1197) och för jämställdheten."""

    environment: AssessmentOut
    children: AssessmentOut
    gender: AssessmentOut


class AssessmentIn(InSchema):
    """En bedömning: positive, neutral, negative eller not_assessed, med en kort motivering."""

    assessment: Literal["not_assessed", "positive", "neutral", "negative"] = Field(description=ASSESSMENT_DOC)
    note: str = Field("", max_length=1000)


class ConsequencesIn(InSchema):
    """Bedömda konsekvenser. Ett perspektiv som utelämnas blir inte bedömt (not_assessed)."""

    environment: AssessmentIn | None = None
    children: AssessmentIn | None = None
    gender: AssessmentIn | None = None

    def service_values(self) -> dict[str, str]:
        values = {}
        for perspective in CONSEQUENCE_PERSPECTIVES:
            given = getattr(self, perspective)
            values[f"{perspective}_assessment"] = given.assessment if given else Consequence.NOT_ASSESSED.value
            values[f"{perspective}_note"] = given.note if given else ""
        return values


def consequences_out(obj) -> ConsequencesOut:
    """The consequences of an initiative or an event (core.ConsequencesMixin)."""
    return ConsequencesOut(
        **{
            perspective: AssessmentOut(
                assessment=getattr(obj, f"{perspective}_assessment"), note=getattr(obj, f"{perspective}_note")
            )
            for perspective in CONSEQUENCE_PERSPECTIVES
        }
    )
