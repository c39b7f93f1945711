"""Who may apply to a funding source: the source's rules as data, checked against what the
register knows about an organisation. Pure Python, no database; every reason is in Swedish."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

ANY, CIVIL_SOCIETY, SOCIAL_ENTERPRISE, WORK_INTEGRATING = (
    "any",
    "civil_society",
    "social_enterprise",
    "work_integrating",
)


@dataclass(frozen=True)
class Applicant:
    legal_form: str  # legal form code
    municipalities: frozenset[str]  # codes of the home municipality and those it is active in
    activity_classes: frozenset[str] = frozenset()
    civil_society: bool = True  # the legal form belongs to civil society
    social_enterprise: bool = False
    work_integrating: bool = False


@dataclass(frozen=True)
class Rules:
    """An empty set means "any"."""

    legal_forms: frozenset[str] = frozenset()
    municipalities: frozenset[str] = frozenset()
    activity_classes: frozenset[str] = frozenset()
    sector: str = ANY
    labels: dict[str, str] = field(default_factory=dict, compare=False)  # code -> name, for reasons


def reasons_not_eligible(applicant: Applicant, rules: Rules) -> list[str]:
    """Why the applicant may not apply, one sentence per rule it fails; empty when it may."""
    reasons = []

    def names(codes: frozenset[str]) -> str:
        return ", ".join(sorted(rules.labels.get(code, code) for code in codes))

    if rules.legal_forms and applicant.legal_form not in rules.legal_forms:
        reasons.append(_("Bara dessa juridiska former kan söka: %(forms)s.") % {"forms": names(rules.legal_forms)})
    if rules.municipalities and not (applicant.municipalities & rules.municipalities):
        reasons.append(
            _("Organisationen ska vara verksam i någon av kommunerna %(places)s.")
            % {"places": names(rules.municipalities)}
        )
    if rules.activity_classes and not (applicant.activity_classes & rules.activity_classes):
        reasons.append(
            _("Verksamheten ska höra till något av områdena %(classes)s.") % {"classes": names(rules.activity_classes)}
        )
    if rules.sector == CIVIL_SOCIETY and not applicant.civil_society:
        reasons.append(_("Bara civilsamhällets organisationer kan söka."))
    elif rules.sector == SOCIAL_ENTERPRISE and not applicant.social_enterprise:
        reasons.append(_("Bara sociala företag kan söka."))
    elif rules.sector == WORK_INTEGRATING and not applicant.work_integrating:
        reasons.append(_("Bara arbetsintegrerande sociala företag kan söka."))
    return reasons


def is_eligible(applicant: Applicant, rules: Rules) -> bool:
    return not reasons_not_eligible(applicant, rules)
