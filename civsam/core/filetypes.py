"""What an uploaded document may be, decided by its content (grant applications, agreements). Pure Python.

Accepted: PDF and the common office formats: Word, Excel and PowerPoint (Office Open XML, and the
older binary formats), OpenDocument text, spreadsheet and presentation, and RTF. A file's name
must end in one of its kind's extensions and its bytes must be that kind: the PDF signature, the
compound-file signature of the older Office formats, or a zip archive holding the parts its
format requires (and no macros, no encrypted members, nothing that unpacks to more than
MAX_UNPACKED bytes). What the browser claims a file's type is, is never read.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _

# An archive that unpacks to more than this is refused (a "zip bomb" has a tiny file and a huge inside).
MAX_UNPACKED = 200 * 1024 * 1024
MAX_MEMBERS = 5000
OLE2_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str  # in Swedish, for lists of what is accepted
    extensions: tuple[str, ...]
    content_type: str


PDF = FileKind("pdf", "PDF", ("pdf",), "application/pdf")
DOCX = FileKind("docx", "Word", ("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind("xlsx", "Excel", ("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = FileKind(
    "pptx", "PowerPoint", ("pptx",), "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)
ODT = FileKind("odt", "OpenDocument-text", ("odt",), "application/vnd.oasis.opendocument.text")
ODS = FileKind("ods", "OpenDocument-kalkyl", ("ods",), "application/vnd.oasis.opendocument.spreadsheet")
ODP = FileKind("odp", "OpenDocument-presentation", ("odp",), "application/vnd.oasis.opendocument.presentation")
LEGACY_OFFICE = FileKind("ole2", "Word, Excel eller PowerPoint (äldre format)", ("doc", "xls", "ppt"), "")
RTF = FileKind("rtf", "RTF", ("rtf",), "application/rtf")
KINDS = (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, LEGACY_OFFICE, RTF)
LEGACY_TYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint"}

# The part each Office Open XML kind must have, and the mimetype member each OpenDocument kind starts with.
OOXML_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml", PPTX: "ppt/presentation.xml"}
ODF_MIMETYPES = {ODT: ODT.content_type, ODS: ODS.content_type, ODP: ODP.content_type}


# Names of PDF objects that run or carry something; a plain document has none. A PDF that others
# download from a public page (a plan's adopted document, an agreement's documents) must not hand
# them on. The "#xx" escapes a PDF name may use are decoded before looking.
PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# The same names as patterns: a name ends where a delimiter or white space begins ("/JS" is not "/JSON").
_PDF_ACTIVE_PATTERNS = [re.compile(re.escape(marker) + rb"(?![A-Za-z0-9])") for marker in PDF_ACTIVE]


def pdf_has_active_content(data: bytes) -> bool:
    """Whether a PDF's bytes name scripts, launch actions, embedded files or other active parts."""
    names = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    return any(pattern.search(names) for pattern in _PDF_ACTIVE_PATTERNS)


def active_content_message() -> str:
    return _("PDF:en innehåller skript, inbäddade filer eller andra aktiva delar. Spara den som en vanlig PDF.")


class FileRejected(ValueError):
    """The file may not be attached; the message says why, in Swedish."""


@dataclass(frozen=True)
class Accepted:
    kind: FileKind
    extension: str  # the name's extension, lower case: the stored file gets it
    content_type: str  # what the file is served as


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def accepted_extensions() -> list[str]:
    return [extension for kind in KINDS for extension in kind.extensions]


def _kind_for_extension(extension: str) -> FileKind | None:
    return next((kind for kind in KINDS if extension in kind.extensions), None)


def _zip_members(stream: BinaryIO) -> list[zipfile.ZipInfo]:
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
                raise FileRejected(_("Filen packas upp till mer än vad som tas emot."))
            if any(m.flag_bits & 0x1 for m in members):
                raise FileRejected(_("Filen är lösenordsskyddad. Spara den utan lösenord och försök igen."))
            return members
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise FileRejected(_("Filens innehåll är inte ett dokument i det format som namnet anger.")) from exc


def _odf_mimetype(stream: BinaryIO) -> str:
    with zipfile.ZipFile(stream) as archive:
        first = archive.infolist()[0] if archive.infolist() else None
        if first is None or first.filename != "mimetype" or first.file_size > 200:
            return ""
        return archive.read(first).decode("ascii", errors="replace").strip()


def check(name: str, stream: BinaryIO, *, size: int, max_bytes: int, published: bool = False) -> Accepted:
    """Accept the file or raise FileRejected. `stream` is read from its start and left rewound.
    `published`: the file may be downloaded from a public page, so a PDF with active content is
    refused too."""
    extension = extension_of(name)
    kind = _kind_for_extension(extension)
    if kind is None:
        raise FileRejected(
            _("Filtypen .%(ext)s tas inte emot. Bifoga PDF eller ett vanligt kontorsformat (%(list)s).")
            % {"ext": extension or "?", "list": ", ".join(accepted_extensions())}
        )
    if size <= 0:
        raise FileRejected(_("Filen är tom."))
    if size > max_bytes:
        raise FileRejected(_("Filen är för stor: högst %(limit)s MB tas emot.") % {"limit": max_bytes // (1024 * 1024)})
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    mismatch = FileRejected(_("Filens innehåll är inte ett dokument i det format som namnet anger."))
    try:
        if kind is PDF:
            if not head.startswith(b"%PDF-"):
                raise mismatch
            if published and pdf_has_active_content(stream.read(max_bytes + 1)):
                raise FileRejected(active_content_message())
        elif kind is RTF:
            if not head.startswith(b"{\\rtf"):
                raise mismatch
        elif kind is LEGACY_OFFICE:
            if head != OLE2_SIGNATURE:
                raise mismatch
        else:
            if not head.startswith(b"PK\x03\x04"):
                raise mismatch
            members = _zip_members(stream)
            names = {m.filename for m in members}
            if kind in OOXML_PARTS:
                if "[Content_Types].xml" not in names or OOXML_PARTS[kind] not in names:
                    raise mismatch
                if any(n.lower().endswith("vbaproject.bin") for n in names):
                    raise FileRejected(_("Filen innehåller makron. Spara den utan makron och försök igen."))
            else:
                stream.seek(0)
                if _odf_mimetype(stream) != ODF_MIMETYPES[kind]:
                    raise mismatch
                if any(n.lower().startswith("basic/") for n in names):
                    raise FileRejected(_("Filen innehåller makron. Spara den utan makron och försök igen."))
    finally:
        stream.seek(0)
    content_type = LEGACY_TYPES[extension] if kind is LEGACY_OFFICE else kind.content_type
    return Accepted(kind=kind, extension=extension, content_type=content_type)
