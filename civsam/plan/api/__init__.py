"""API of the plan app: the plans (with their progress tree and annual reports), initiatives and indicators."""

from . import evaluation, followup  # noqa: F401 - add the progress, report and evaluation operations to the plans router
from .plans import router

__all__ = ["router"]
