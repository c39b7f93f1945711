"""Writes to applications: drafts, answers and attachments, sending in with a case number and a
receipt, completion, withdrawal; and the one function that changes an application's status.

The package: common.py (permission check, row lock, status_set, e-mail), drafts.py (drafts, answers
and problems), submission.py (sending in and the steps after), attachments.py. Every name is
re-exported here."""

from .attachments import ATTACHMENT_MAX_BYTES, MAX_ATTACHMENTS, attachment_add, attachment_delete
from .common import absolute, locked, notify, recipients_of, status_set
from .drafts import (
    ApplicationData,
    application_create,
    application_update,
    call_open_for_applications,
    county_codes,
    field_specs,
    labels_for,
    problems,
)
from .submission import (
    application_request_completion,
    application_start_review,
    application_submit,
    application_withdraw,
)

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "MAX_ATTACHMENTS",
    "ApplicationData",
    "absolute",
    "application_create",
    "application_request_completion",
    "application_start_review",
    "application_submit",
    "application_update",
    "application_withdraw",
    "attachment_add",
    "attachment_delete",
    "call_open_for_applications",
    "county_codes",
    "field_specs",
    "labels_for",
    "locked",
    "notify",
    "problems",
    "recipients_of",
    "status_set",
]
