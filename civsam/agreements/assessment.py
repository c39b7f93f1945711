"""The legal assessment before an IOP is signed, as a checklist: what is still missing. Pure Python.

Three questions, each answered with a conclusion, and a memo that gives the reasons (ADR 0133):

1. Procurement: is the agreement a public contract? A contract with financial terms under which a
   public body acquires a service for consideration is one (lagen (2016:1145) om offentlig
   upphandling, 1 kap. 15 §), and must then be procured; an IOP is a partnership in which the
   parties pursue a shared aim and each contributes. "A public contract" blocks signing an IOP.
2. State aid (fördraget om Europeiska unionens funktionssätt, artikel 107.1): either no economic
   activity is supported, or the aid is de minimis (Commission Regulation (EU) 2023/2831, ceiling
   EUR 300 000 over three years; Regulation (EU) 2023/2832 for services of general economic
   interest, EUR 750 000), or another exemption the memo names. De minimis needs the amount, the
   recipient and the SEK→EUR rate, and the recipient's ledger must leave room (registry.deminimis).
3. The Local Government Act (kommunallagen (2017:725) 2 kap. 1 § general interest; 2 kap. 8 §
   no individual support to a business without exceptional grounds): the support serves the
   inhabitants in general, not individuals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

PARTNERSHIP = "partnership"
PUBLIC_CONTRACT = "public_contract"
NO_ECONOMIC_ACTIVITY = "no_economic_activity"
DE_MINIMIS = "de_minimis"
SGEI_DE_MINIMIS = "sgei_de_minimis"
OTHER_EXEMPTION = "other_exemption"
DE_MINIMIS_KINDS = frozenset({DE_MINIMIS, SGEI_DE_MINIMIS})


@dataclass(frozen=True)
class Checklist:
    procurement: str  # "" until answered
    state_aid: str
    general_interest: bool
    memo: str
    aid_recipient: bool = False  # a recipient is named
    aid_amount_sek: Decimal | None = None
    sek_per_eur: Decimal | None = None
    within_ceiling: bool | None = None  # the ledger's verdict, None when not asked


# Codes of what is missing, in the order the form asks.
PROCUREMENT_MISSING = "procurement"
PROCUREMENT_BLOCKS = "procurement_contract"
STATE_AID_MISSING = "state_aid"
AID_DETAILS_MISSING = "aid_details"
CEILING_EXCEEDED = "ceiling"
GENERAL_INTEREST_MISSING = "general_interest"
MEMO_MISSING = "memo"


def missing(checklist: Checklist) -> list[str]:
    """What stands between the assessment and signing; an empty list means complete."""
    gaps: list[str] = []
    if not checklist.procurement:
        gaps.append(PROCUREMENT_MISSING)
    elif checklist.procurement == PUBLIC_CONTRACT:
        gaps.append(PROCUREMENT_BLOCKS)
    if not checklist.state_aid:
        gaps.append(STATE_AID_MISSING)
    elif checklist.state_aid in DE_MINIMIS_KINDS:
        amount, rate = checklist.aid_amount_sek, checklist.sek_per_eur
        if not checklist.aid_recipient or amount is None or amount <= 0 or rate is None or rate <= 0:
            gaps.append(AID_DETAILS_MISSING)
        elif checklist.within_ceiling is False:
            gaps.append(CEILING_EXCEEDED)
    if not checklist.general_interest:
        gaps.append(GENERAL_INTEREST_MISSING)
    if not checklist.memo.strip():
        gaps.append(MEMO_MISSING)
    return gaps
