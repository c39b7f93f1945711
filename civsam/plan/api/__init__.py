"""API of the plan app: the plans (with their progress tree and annual reports), initiatives and indicators."""

from . import followup  # noqa: F401 - adds the progress and report operations to the plans router
from .plans import router

__all__ = ["router"]
