"""Whether an upload may be a plan's adopted document, decided by its content. Pure Python.

The file must be a PDF by its bytes (the "%PDF-" signature at the start and an end-of-file marker
near the end), within the size limit, and carry no active content: no JavaScript, no launch
actions and no embedded files, which a public download must not hand on. The name the uploader gave
is kept only for the download; what the browser claims the file is, is never read.
"""

from __future__ import annotations

from typing import BinaryIO

from django.utils.translation import gettext as _

from civsam.core import filetypes

MAX_BYTES = 25 * 1024 * 1024
TAIL_BYTES = 2048


class DocumentRejected(ValueError):
    """The file may not be the plan's document; the message says why, in Swedish."""


def check(name: str, stream: BinaryIO, *, size: int, max_bytes: int = MAX_BYTES) -> None:
    """Accept the file or raise DocumentRejected. `stream` is read from its start and left rewound."""
    if not name.lower().endswith(".pdf"):
        raise DocumentRejected(_("Den antagna planen laddas upp som PDF."))
    if size <= 0:
        raise DocumentRejected(_("Filen är tom."))
    if size > max_bytes:
        raise DocumentRejected(
            _("Filen är för stor: högst %(limit)s MB tas emot.") % {"limit": max_bytes // (1024 * 1024)}
        )
    stream.seek(0)
    data = stream.read(max_bytes + 1)
    stream.seek(0)
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-TAIL_BYTES:]:
        raise DocumentRejected(_("Filens innehåll är inte en hel PDF."))
    # The scan every published PDF gets (core.filetypes), the agreements' documents too.
    if filetypes.pdf_has_active_content(data):
        raise DocumentRejected(filetypes.active_content_message())
