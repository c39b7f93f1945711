"""Writes to programmes, their yearly budgets, and each call's form and criteria; the reference
load of the Region's two programmes.

The package: reference.py (the reference load), programme.py (programmes, budgets, what a call
takes from its programme), call_form.py (a call's questions), criteria.py (a call's review
criteria), common.py (what they share). Every name is re-exported here."""

from .call_form import (
    CallFieldData,
    call_field_add,
    call_field_delete,
    call_field_move,
    call_field_update,
)
from .common import BUILT_IN_FACTS, built_in_labels
from .criteria import CallCriterionData, call_criterion_add, call_criterion_delete, call_criterion_update
from .programme import (
    PROGRAMME_FIELDS,
    ProgrammeData,
    call_budget_check,
    call_form_from_programme,
    programme_budget_set,
    programme_update,
)
from .reference import PROGRAMMES_FILE, programmes_load_reference

__all__ = [
    "BUILT_IN_FACTS",
    "PROGRAMMES_FILE",
    "PROGRAMME_FIELDS",
    "CallCriterionData",
    "CallFieldData",
    "ProgrammeData",
    "built_in_labels",
    "call_budget_check",
    "call_criterion_add",
    "call_criterion_delete",
    "call_criterion_update",
    "call_field_add",
    "call_field_delete",
    "call_field_move",
    "call_field_update",
    "call_form_from_programme",
    "programme_budget_set",
    "programme_update",
    "programmes_load_reference",
]
