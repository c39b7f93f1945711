"""Forms of applications and what follows them: the application form built from its call's
fields, the officer's steps, the reviewers' declarations and scores, payments and follow-up.
They parse and check input; the services decide.

The package: applying.py (the applicant's forms), handling.py (the officer's and reviewers' steps),
followup.py (payments and follow-up), programmes.py (programmes and a call's form), common.py (what
they share). Every name is re-exported here."""

from .applying import ApplicationForm, ApplyForm, AttachmentForm
from .common import AMOUNT, ANSWER_PREFIX, DATE_INPUT, county_municipalities
from .followup import (
    BatchConfirmForm,
    FollowUpReportForm,
    PaymentAccountForm,
    RecoveryForm,
    RecoverySettleForm,
    ReportReviewForm,
)
from .handling import AssignReviewerForm, CompletionRequestForm, DecisionForm, DeclarationForm, ScoreForm
from .programmes import CallCriterionForm, CallFieldForm, ProgrammeBudgetForm, ProgrammeForm

__all__ = [
    "AMOUNT",
    "ANSWER_PREFIX",
    "DATE_INPUT",
    "ApplicationForm",
    "ApplyForm",
    "AssignReviewerForm",
    "AttachmentForm",
    "BatchConfirmForm",
    "CallCriterionForm",
    "CallFieldForm",
    "CompletionRequestForm",
    "DecisionForm",
    "DeclarationForm",
    "FollowUpReportForm",
    "PaymentAccountForm",
    "ProgrammeBudgetForm",
    "ProgrammeForm",
    "RecoveryForm",
    "RecoverySettleForm",
    "ReportReviewForm",
    "ScoreForm",
    "county_municipalities",
]
