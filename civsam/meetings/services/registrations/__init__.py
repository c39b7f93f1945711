"""Writes for registrations (ADR 0020, ADR 0078, ADR 0079).

Seats. Every event has a counter row (EventSeats: seats held, people waiting), changed in the same
transaction as every registration whose status it counts. A new registration takes its seat with
one conditional UPDATE of that row ("one more, if one is free and nobody is waiting"), the last
statement before the commit: the row lock is held only for that statement and the commit, and
everything else (the checks, the registration row, the audit entry, the mail after commit) happens
outside it. Decisions that read the counts (conferences with target-group quotas, approvals,
cancellations, offers, expiries) lock the counter row first and decide by the pure rules in
seating.py. On SQLite writers are serialised anyway.

E-mail addresses. A registration made without signing in waits for its address to be confirmed by
the link in the mail sent to it: with a seat held for HOLD (held) or, when no seat is free or the
organiser approves registrations, without one (unconfirmed). Until then nothing else is sent to the
address, and a hold that runs out goes back to the pool (registrations_expire, the scheduled job).
Signed-in registrations, and registrations with an invitation sent to the same address, are decided
at once. Every change of a registration's status goes through registration_status_change and
Registration.WORKFLOW.

The package: seats.py (the counter row and the seat rules), status.py (registration_status_change
and offers to the waitlist), create.py (registration_create), confirmation.py (confirming the
address), cancellation.py (cancellations, offers answered, expiries), decisions.py (the organiser's
approvals and check-in), messages.py (the organiser's message to registrants), moving.py (the
organiser moves a registration). Every name is re-exported here.
"""

from .cancellation import registration_accept_offer, registration_cancel, registrations_expire
from .confirmation import registration_confirm
from .create import CODE_ALPHABET, HOLD, registration_create
from .decisions import registration_check_in, registration_decide
from .messages import BODY_MAX_HINT, GROUPS, MESSAGEABLE, registrants_message, registrants_messageable
from .moving import MOVABLE, registration_move, registration_move_to_waitlist
from .seats import Status, ensure_seats, lock_seats
from .status import StatusChanged, registration_status_change

__all__ = [
    "BODY_MAX_HINT",
    "CODE_ALPHABET",
    "GROUPS",
    "HOLD",
    "MESSAGEABLE",
    "MOVABLE",
    "Status",
    "StatusChanged",
    "ensure_seats",
    "lock_seats",
    "registrants_message",
    "registrants_messageable",
    "registration_accept_offer",
    "registration_cancel",
    "registration_check_in",
    "registration_confirm",
    "registration_create",
    "registration_decide",
    "registration_move",
    "registration_move_to_waitlist",
    "registration_status_change",
    "registrations_expire",
]
