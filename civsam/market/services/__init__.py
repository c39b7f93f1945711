"""Every write of the market app: keyword-only, atomic, with the audit log. Given a user (`actor`),
a service checks the user's right first; `actor=None` is the system (demo data, commands)."""

from .offers import (
    OfferData,
    cpv_codes_load_reference,
    offer_confirm,
    offer_create,
    offer_message_send,
    offer_reminders_send,
    offer_update,
)
from .procurement import (
    AwardData,
    LotData,
    ProcurementData,
    buyer_get_or_create,
    procurement_create,
    procurement_update,
)
from .spend import (
    SpendImportResult,
    spend_file_import,
    spend_sums_store,
)

__all__ = [
    "AwardData",
    "LotData",
    "OfferData",
    "ProcurementData",
    "SpendImportResult",
    "buyer_get_or_create",
    "cpv_codes_load_reference",
    "offer_confirm",
    "offer_create",
    "offer_message_send",
    "offer_reminders_send",
    "offer_update",
    "procurement_create",
    "procurement_update",
    "spend_file_import",
    "spend_sums_store",
]
