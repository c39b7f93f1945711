"""The funding app's API: funding sources and calls, the grant register and its statistics,
applications to the Region's own calls."""

from ninja import Router

from . import applications, cofinancing, decisions, figures, followup, handling, sources

router = Router()
router.add_router("", sources.router)
router.add_router("", decisions.router)
router.add_router("", figures.router)
router.add_router("", applications.router)
router.add_router("", handling.router)
router.add_router("", followup.router)
router.add_router("", cofinancing.router)
