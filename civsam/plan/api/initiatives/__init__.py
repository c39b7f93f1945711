"""API: initiatives (insatser) — the list with filters and one initiative (read.py), registering a new one
and changing one (write.py: PUT replaces, PATCH changes the properties sent).

One initiative carries an ETag; PUT and PATCH honour If-Match (412 when the initiative has changed since
the client read it) and GET honours If-None-Match (304). See docs/adr/0048-initiative-etags.md."""

from . import read, write
from .common import router

__all__ = ["read", "router", "write"]
