"""Who may review the processing of personal data: region administrators, and the data protection
officer, who needs no role that acts for any body (ADR 0085).

The data protection officer (dataskyddsombud) monitors the processing (GDPR art. 39) and must not
be given tasks that conflict with that (art. 38.6): reading the record, the read-access log and
handling requests for a person's data, but not changing the register. So the officer is not made
a region administrator; their account is put in the group "Dataskyddsombud", which holds the
permission privacy.review_personal_data (migration 0002), and needs a second factor like staff.
"""

from __future__ import annotations

from django.contrib.auth.models import PermissionsMixin

from civsam.accounts.permissions import User, acts_for_region, is_authenticated

REVIEW_PERMISSION = "privacy.review_personal_data"


def is_data_protection_officer(user: User) -> bool:
    return isinstance(user, PermissionsMixin) and is_authenticated(user) and user.has_perm(REVIEW_PERMISSION)


def _reviews_personal_data(user: User) -> bool:
    return acts_for_region(user) or is_data_protection_officer(user)


def can_view_processing_record(user: User) -> bool:
    return _reviews_personal_data(user)


def can_review_read_log(user: User) -> bool:
    return _reviews_personal_data(user)


def can_handle_subject_requests(user: User) -> bool:
    """Search for a person's data, preview it and export it on their request."""
    return _reviews_personal_data(user)


def can_handle_subject_request(user: User, request: object) -> bool:
    """See and export one recorded request: whoever handles requests at all."""
    return can_handle_subject_requests(user)
