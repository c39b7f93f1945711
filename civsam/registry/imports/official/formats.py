"""The two official bulk files, read row by row (streaming: memory does not grow with the file).

Pure: bytes in, `OfficialRow`s and `RowProblem`s out, no database (ADR 0111).

Statistics Sweden (SCB), the business register's open file: tab-separated, Latin-1 (ISO-8859-1), a
header row; the columns read are `PeOrgNr` (the organisationsnummer, twelve digits with the prefix
16), `Foretagsnamn`, `JurForm` (SCB's JURFORM code), `FtgStat` (1 = verksam), `RegDatKtid` (the
date of registration, YYYYMMDD), `PostNr`, `PostOrt`, and `Ng1`–`Ng5` (SNI codes, kept as read).

Bolagsverket's open register file: semicolon-separated UTF-8, every value quoted, a header row,
values carrying a type suffix after "$" (`5566778899$ORGNR-IDORG`, a name with `$FORETAGSNAMN-ORGNAM`)
and a postal address over several lines inside one quoted value; the columns read are
`organisationsidentitet`, `organisationsnamn`, `organisationsform`, `registreringsdatum`,
`avregistreringsdatum`, `avregistreringsorsak`, `postadress` and, when present,
`pagandeAvvecklingsEllerOmstruktureringsforfarande` (a liquidation or reconstruction under way).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from django.utils.translation import gettext as _

from ...orgnr import OrgnrError
from ...orgnr import normalise as normalise_orgnr
from .places import clean_postal_code

if TYPE_CHECKING:
    import _csv

SCB = "scb"
BOLAGSVERKET = "bolagsverket"

ACTIVE = "active"
WINDING_UP = "winding_up"
DEREGISTERED = "deregistered"

SCB_REQUIRED = ("PeOrgNr", "Foretagsnamn", "JurForm", "FtgStat", "RegDatKtid", "PostNr", "PostOrt")
BOLAGSVERKET_REQUIRED = (
    "organisationsidentitet",
    "organisationsnamn",
    "organisationsform",
    "registreringsdatum",
    "avregistreringsdatum",
    "avregistreringsorsak",
)

# Bolagsverket's organisationsform codes for the civil-society and social-economy forms it
# registers, to SCB's JURFORM codes (the reference data's legal forms). Aktiebolag are left out:
# the code cannot tell a company with restricted profit distribution from any other.
BOLAGSVERKET_FORMS: dict[str, str] = {
    "EK": "51",  # ekonomisk förening
    "BRF": "53",  # bostadsrättsförening
    "HRF": "54",  # kooperativ hyresrättsförening
    "I": "61",  # ideell förening som bedriver näringsverksamhet
    "S": "72",  # stiftelse
    "OFB": "92",  # ömsesidigt försäkringsbolag
    "UF": "94",  # understödsförening
}

_DATE_8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_POSTAL_LINE = re.compile(r"^(\d{3}\s?\d{2})\s+(\S.*)$")


class OfficialFileError(ValueError):
    """The file as a whole cannot be read; the message is Swedish and shown as it is."""


@dataclass
class OfficialRow:
    line: int
    orgnr: str
    name: str
    legal_form_code: str  # SCB JURFORM, "" when the form is not one kept
    source_form: str  # the form as the file writes it, for the report
    status: str | None  # ACTIVE, WINDING_UP, DEREGISTERED, or None: the file does not say
    status_date: datetime.date | None
    registered_on: datetime.date | None
    postal_code: str
    postal_town: str
    activity_codes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


def _date(value: str, *, column: str) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    match = _DATE_8.match(value) or _DATE_ISO.match(value)
    if match:
        try:
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise ValueError(
        _("Datumet ”%(value)s” i kolumnen %(column)s är inte ett datum.") % {"value": value, "column": column}
    )


def strip_suffix(value: str) -> str:
    """The value without Bolagsverket's type suffix: "5566778899$ORGNR-IDORG" -> "5566778899"."""
    return value.split("$", 1)[0].strip()


def _text_stream(stream: BinaryIO, encoding: str) -> io.TextIOWrapper:
    # A byte that is not in the encoding becomes U+FFFD and that row is reported, instead of the
    # whole file failing at the first one.
    return io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")


def _header(reader: _csv.Reader, required: tuple[str, ...], *, source_name: str) -> dict[str, int]:
    try:
        header = next(reader)
    except StopIteration:
        raise OfficialFileError(_("Filen är tom.")) from None
    except csv.Error as exc:
        raise OfficialFileError(_("Filens första rad går inte att läsa: %(error)s") % {"error": exc}) from exc
    index = {name.strip().lstrip("\ufeff"): position for position, name in enumerate(header)}
    missing = [name for name in required if name not in index]
    if missing:
        raise OfficialFileError(
            _("Filen ser inte ut som %(source)s: kolumnerna %(columns)s saknas.")
            % {"source": source_name, "columns": ", ".join(missing)}
        )
    return index


def _rows(reader: _csv.Reader, width: int) -> Iterator[tuple[int, list[str] | RowProblem]]:
    """(first line of the record, its cells) or a problem, for each record after the header."""
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, RowProblem(start, _("Raden går inte att läsa: %(error)s") % {"error": exc})
            start = reader.line_num + 1
            continue
        line = start
        start = reader.line_num + 1
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            yield (
                line,
                RowProblem(
                    line,
                    _("Raden har %(found)s fält men rubrikraden %(expected)s.")
                    % {"found": len(cells), "expected": width},
                ),
            )
            continue
        if any("\ufffd" in cell for cell in cells):
            yield line, RowProblem(line, _("Raden innehåller tecken som inte går att läsa i filens teckenkodning."))
            continue
        yield line, cells


def _orgnr(value: str) -> str:
    try:
        return normalise_orgnr(value)
    except OrgnrError as exc:
        raise ValueError(str(exc)) from exc


def read_scb(stream: BinaryIO, *, kept_forms: frozenset[str]) -> Iterator[OfficialRow | RowProblem]:
    """Statistics Sweden's file, row by row. A row whose legal form is not kept is yielded with
    legal_form_code "" (the caller counts it), a malformed row as a RowProblem."""
    reader = csv.reader(_text_stream(stream, "latin-1"), delimiter="\t", quoting=csv.QUOTE_NONE)
    index = _header(reader, SCB_REQUIRED, source_name=_("SCB:s företagsregisterfil"))
    width = len(index)
    activity_columns = [index[name] for name in ("Ng1", "Ng2", "Ng3", "Ng4", "Ng5") if name in index]
    for line, cells in _rows(reader, width):
        if isinstance(cells, RowProblem):
            yield cells
            continue
        try:
            orgnr = _orgnr(cells[index["PeOrgNr"]])
            name = cells[index["Foretagsnamn"]].strip()
            if not name:
                raise ValueError(_("Namnet saknas."))
            form = cells[index["JurForm"]].strip()
            state = cells[index["FtgStat"]].strip()
            if state not in {"0", "1", "9"}:
                raise ValueError(_("Företagsstatusen ”%(value)s” är okänd (väntade 0, 1 eller 9).") % {"value": state})
            registered_on = _date(cells[index["RegDatKtid"]], column="RegDatKtid")
        except ValueError as exc:
            yield RowProblem(line, str(exc))
            continue
        yield OfficialRow(
            line=line,
            orgnr=orgnr,
            name=name[:200],
            legal_form_code=form if form in kept_forms else "",
            source_form=form,
            # 1 = verksam. 0 (ej verksam) and 9 say nothing of whether the organisation still
            # exists, so they leave the status as it is.
            status=ACTIVE if state == "1" else None,
            status_date=None,
            registered_on=registered_on,
            postal_code=clean_postal_code(cells[index["PostNr"]]),
            postal_town=cells[index["PostOrt"]].strip(),
            activity_codes=tuple(code for c in activity_columns if (code := cells[c].strip())),
        )


def postal_line(address: str) -> tuple[str, str]:
    """(postal code, town) from a postal address over several lines, or ("", "")."""
    parts = [strip_suffix(part) for part in re.split(r"[\r\n]+", address)]
    for part in reversed([p for p in parts if p]):
        match = _POSTAL_LINE.match(part)
        if match:
            return clean_postal_code(match[1]), match[2].strip()
    return "", ""


def read_bolagsverket(stream: BinaryIO, *, kept_forms: frozenset[str]) -> Iterator[OfficialRow | RowProblem]:
    """Bolagsverket's file, row by row; a form outside BOLAGSVERKET_FORMS gets legal_form_code ""."""
    reader = csv.reader(_text_stream(stream, "utf-8-sig"), delimiter=";", quotechar='"', strict=True)
    index = _header(reader, BOLAGSVERKET_REQUIRED, source_name=_("Bolagsverkets registerfil"))
    width = len(index)
    address_column = index.get("postadress")
    winding_up_column = index.get("pagandeAvvecklingsEllerOmstruktureringsforfarande")
    for line, cells in _rows(reader, width):
        if isinstance(cells, RowProblem):
            yield cells
            continue
        try:
            orgnr = _orgnr(strip_suffix(cells[index["organisationsidentitet"]]))
            # Several names are separated by "|"; the first is the registered one.
            name = strip_suffix(cells[index["organisationsnamn"]].split("|", 1)[0])
            if not name:
                raise ValueError(_("Namnet saknas."))
            source_form = strip_suffix(cells[index["organisationsform"]]).removesuffix("-ORGFO")
            registered_on = _date(strip_suffix(cells[index["registreringsdatum"]]), column="registreringsdatum")
            deregistered_on = _date(strip_suffix(cells[index["avregistreringsdatum"]]), column="avregistreringsdatum")
        except ValueError as exc:
            yield RowProblem(line, str(exc))
            continue
        winding_up = winding_up_column is not None and strip_suffix(cells[winding_up_column]) != ""
        if deregistered_on is not None:
            status, status_date = DEREGISTERED, deregistered_on
        elif winding_up:
            status, status_date = WINDING_UP, None
        else:
            status, status_date = ACTIVE, None
        code = BOLAGSVERKET_FORMS.get(source_form, "")
        postal_code, postal_town = postal_line(cells[address_column]) if address_column is not None else ("", "")
        yield OfficialRow(
            line=line,
            orgnr=orgnr,
            name=name[:200],
            legal_form_code=code if code in kept_forms else "",
            source_form=source_form,
            status=status,
            status_date=status_date,
            registered_on=registered_on,
            postal_code=postal_code,
            postal_town=postal_town,
        )


def read(source: str, stream: BinaryIO, *, kept_forms: frozenset[str]) -> Iterator[OfficialRow | RowProblem]:
    if source == SCB:
        return read_scb(stream, kept_forms=kept_forms)
    if source == BOLAGSVERKET:
        return read_bolagsverket(stream, kept_forms=kept_forms)
    raise OfficialFileError(_("Okänd källa: %(source)s") % {"source": source})
