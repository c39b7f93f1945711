"""API: networks, events (read, register, change), registrations (with self-service cancellation
by token) and the conference programme. One router for the project's API, one module per area."""

from ninja import Router

from . import events, networks, registrations
from .schemas import TAGS

router = Router(tags=TAGS)
router.add_router("", events.router)
router.add_router("", registrations.router)
router.add_router("", networks.router)

__all__ = ["router"]
