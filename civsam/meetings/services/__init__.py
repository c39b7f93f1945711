"""Writes for the meetings app: one module per area, re-exported here."""

from django.core.exceptions import PermissionDenied, ValidationError

from .conference import (
    budget_line_add,
    commitment_add,
    commitment_record_outcome,
    conference_create,
    partner_add,
    planning_member_add,
    quota_set,
    registration_type_add,
    session_add,
    speaker_add,
)
from .events import EventDetails, event_create, event_update
from .followup import minutes_save, output_add, survey_create, survey_respond, survey_send
from .networks import (
    membership_decide,
    membership_end,
    membership_request,
    membership_status_change,
    network_create,
    representative_add,
)
from .preparation import REMINDER_HOURS, invitation_create, question_add, reminders_send
from .registrations import (
    HOLD,
    StatusChanged,
    registrants_message,
    registration_accept_offer,
    registration_cancel,
    registration_check_in,
    registration_confirm,
    registration_create,
    registration_decide,
    registration_status_change,
    registrations_expire,
)

__all__ = [
    "HOLD",
    "REMINDER_HOURS",
    "EventDetails",
    "PermissionDenied",
    "StatusChanged",
    "registrants_message",
    "ValidationError",
    "budget_line_add",
    "commitment_add",
    "commitment_record_outcome",
    "conference_create",
    "event_create",
    "event_update",
    "invitation_create",
    "membership_decide",
    "membership_end",
    "membership_request",
    "membership_status_change",
    "minutes_save",
    "network_create",
    "output_add",
    "partner_add",
    "planning_member_add",
    "question_add",
    "quota_set",
    "registration_accept_offer",
    "registration_cancel",
    "registration_check_in",
    "registration_confirm",
    "registration_create",
    "registration_decide",
    "registration_status_change",
    "registration_type_add",
    "registrations_expire",
    "reminders_send",
    "representative_add",
    "session_add",
    "speaker_add",
    "survey_create",
    "survey_respond",
    "survey_send",
]
