"""Writes for the proxy library and for social-value analyses. Every write checks the actor's
permission when an actor is given, runs in one transaction and leaves an audit entry.

The package: proxies.py (the proxy library), analyses.py (analyses, their workflow and report
PDFs), builder.py (the impact map a row at a time), common.py (UNCHANGED). Every name is re-exported here."""

from .analyses import (
    ANALYSIS_FIELDS,
    PDF_LANGUAGES,
    Status,
    analysis_create,
    analysis_pdf_request,
    analysis_pdf_version,
    analysis_transition,
    analysis_update,
)
from .builder import analysis_map_item_remove, analysis_map_item_save, analysis_map_start
from .common import UNCHANGED
from .proxies import PROXY_FIELDS, STARTER_PROXIES, proxies_load_starter_set, proxy_create, proxy_update

__all__ = [
    "ANALYSIS_FIELDS",
    "PDF_LANGUAGES",
    "PROXY_FIELDS",
    "STARTER_PROXIES",
    "UNCHANGED",
    "Status",
    "analysis_create",
    "analysis_map_item_remove",
    "analysis_map_item_save",
    "analysis_map_start",
    "analysis_pdf_request",
    "analysis_pdf_version",
    "analysis_transition",
    "analysis_update",
    "proxies_load_starter_set",
    "proxy_create",
    "proxy_update",
]
