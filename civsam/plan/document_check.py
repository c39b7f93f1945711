"""Whether an upload may be a plan's adopted document, decided by its content. Pure Python.

The file must be a PDF by its bytes (the "%PDF-" signature at the start and an end-of-file marker
near the end), within the size limit, and carry no active content: no JavaScript, no launch
actions and no embedded files, which a public download must not hand on. The name the uploader gave
is kept only for the download; what the browser claims the file is, is never read.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from django.utils.translation import gettext as _

MAX_BYTES = 25 * 1024 * 1024
TAIL_BYTES = 2048
# Names of PDF objects that run or carry something; a plain document has none of them. The "#xx"
# escapes a PDF name may use are decoded before looking.
ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


class DocumentRejected(ValueError):
    """The file may not be the plan's document; the message says why, in Swedish."""


def _decoded_names(data: bytes) -> bytes:
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


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
    names = _decoded_names(data)
    for marker in ACTIVE:
        # A name ends where a delimiter or white space begins: "/JS" is not "/JSON".
        if re.search(re.escape(marker) + rb"(?![A-Za-z0-9])", names):
            raise DocumentRejected(
                _("PDF:en innehåller skript, inbäddade filer eller andra aktiva delar. Spara den som en vanlig PDF.")
            )
