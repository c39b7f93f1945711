"""API: offers of the social economy, the county's procurement records (also as OCDS release
packages) and the share of spend. Reads are public; writes are for those who act for the offer's
organisation or the procurement's buyer."""

from ninja import Router

from . import offers, procurements, spend

router = Router()
router.add_router("", offers.router)
router.add_router("", procurements.router)
router.add_router("", spend.router)
