"""API of the impact app: SROI calculations and socio-economic accounts on a body sent as JSON
(calculations), and stored analyses (analyses), on one router."""

from . import analyses, calculations  # noqa: F401 - each adds its operations to the router
from .common import router

__all__ = ["router"]
