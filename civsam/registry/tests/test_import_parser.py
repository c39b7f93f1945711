"""The pure part of the import: reading CSV/XLSX bytes, mapping headers, validating cells. No database."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from civsam.core.tabular import ImportFileError
from civsam.registry import exports
from civsam.registry.imports import cells, columns, fields, layout, plan
from civsam.registry.imports import parse as parsing
from civsam.registry.imports.reference import reference_parse
from civsam.registry.orgnr import complete

MAX = 5 * 1024 * 1024
ORG_A = complete("802000100")
ORG_B = complete("802000200")
ORG_C = complete("716400300")

LOOKUPS = fields.Lookups(
    legal_forms={"61": 1, "ideell_forening": 1, "non_profit_association": 1, "51": 2, "ekonomisk_forening": 2},
    municipalities={"1880": 10, "orebro": 10, "1881": 11, "kumla": 11},
    activities={"1": 101, "kultur_och_fritid": 101, "4": 104, "12": 112},
    roles={"voice": 201, "rostbarare": 201, "community": 202, "service_provider": 203},
    legal_form_names={1: "Ideell förening", 2: "Ekonomisk förening"},
    municipality_names={10: "Örebro", 11: "Kumla"},
    activity_codes={101: "1", 104: "4", 112: "12"},
    role_codes={201: "voice", 202: "community", 203: "service-provider"},
    excluded_legal_forms={"82": "Kommun", "kommun": "Kommun"},
)


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse(data: bytes, name: str = "fil.csv") -> parsing.ParsedFile:
    return parsing.parse(name, data, LOOKUPS, max_bytes=MAX)


def value(parsed: parsing.ParsedFile, field: str, row: int = 0):
    return parsed.rows[row].values[parsed.fields.index(field)]


def test_layout_matches_the_export():
    assert [c.key for c in layout.COLUMNS] == [c.key for c in exports.ORGANISATION_COLUMNS]
    assert [c.label for c in layout.COLUMNS] == [c.label for c in exports.ORGANISATION_COLUMNS]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("organisationsnummer", "orgnr"),
        ("Organisationsnummer", "orgnr"),
        ("ORGNR", "orgnr"),
        ("Namn", "name"),
        ("Kommunkod", "municipality"),
        ("Kommun", "municipality"),
        ("Hemkommun", "municipality"),
        ("Juridisk form (kod)", "legal_form"),
        ("Juridisk form", "legal_form"),
        ("Verksamhetsområden (ICNPO)", "activity_classes"),
        ("verksamhetsomraden", "activity_classes"),
        ("E-post", "email"),
        ("epost", "email"),
        ("Grundad år", "founded_year"),
        ("GRUNDAD_AR", "founded_year"),
        ("Socialt företag", "social_enterprise"),
        ("socialt_foretag", "social_enterprise"),
        ("Registrerad idéburen organisation", "ideburen_registered"),
        ("  Webbplats  ", "website"),
    ],
)
def test_headers_match_keys_labels_and_aliases(header, field):
    assert layout.HEADER_INDEX[layout.fold_key(header)].field == field


# One column at a time: (header, cell, expected value) for valid cells.
VALID_CELLS = [
    ("namn", "  Kumla Schackklubb ", "name", "Kumla Schackklubb"),
    ("namn", "'=Formelföreningen", "name", "=Formelföreningen"),  # the export's formula guard comes off
    ("juridisk_form", "61", "legal_form", 1),
    ("juridisk_form", "Ideell förening", "legal_form", 1),
    ("juridisk_form_namn", "ekonomisk förening", "legal_form", 2),
    ("kommunkod", "1881", "municipality", 11),
    ("kommun", "Örebro", "municipality", 10),
    ("kommun", "ÖREBRO", "municipality", 10),
    ("kommun", "orebro", "municipality", 10),
    ("verksamhetsomraden", "1; 4", "activity_classes", frozenset({101, 104})),
    ("verksamhetsomraden", "4,1", "activity_classes", frozenset({101, 104})),
    ("verksamhetsomraden", "Kultur och fritid", "activity_classes", frozenset({101})),
    ("verksamhetsomraden", "", "activity_classes", frozenset()),
    ("roller", "voice; community", "roles", frozenset({201, 202})),
    ("roller", "Röstbärare", "roles", frozenset({201})),
    ("roller", "service-provider", "roles", frozenset({203})),
    ("webbplats", "https://exempel.se", "website", "https://exempel.se"),
    ("webbplats", "www.exempel.se", "website", "https://www.exempel.se"),
    ("webbplats", "", "website", ""),
    ("epost", "info@exempel.se", "email", "info@exempel.se"),
    ("epost", "", "email", ""),
    ("beskrivning", "Rad ett\nRad två", "description", "Rad ett\nRad två"),
    ("grundad_ar", "1921", "founded_year", 1921),
    ("grundad_ar", "1921.0", "founded_year", 1921),
    ("grundad_ar", "", "founded_year", None),
    ("antal_medlemmar", "1 250", "member_count", 1250),
    ("antal_medlemmar", "0", "member_count", 0),
    ("antal_medlemmar", "", "member_count", None),
    *[("socialt_foretag", word, "social_enterprise", True) for word in ("ja", "JA", "x", "1", "true", "True", "sant")],
    *[("socialt_foretag", word, "social_enterprise", False) for word in ("nej", "0", "false", "False", "")],
    ("arbetsintegrerande", "Ja", "work_integrating", True),
    ("ideburen_registrerad", "nej", "ideburen_registered", False),
]


@pytest.mark.parametrize(("header", "cell", "field", "expected"), VALID_CELLS)
def test_valid_cells(header, cell, field, expected):
    parsed = parse(csv_bytes([["organisationsnummer", header], [ORG_A, f'"{cell}"']]))
    assert parsed.errors == []
    assert value(parsed, field) == expected


# (header, cell, fragment of the Swedish message)
INVALID_CELLS = [
    ("namn", "", "Namn saknas"),
    ("namn", "x" * 201, "längre än 200"),
    ("juridisk_form", "99", "Okänd juridisk form"),
    ("juridisk_form", "82", "hör inte till civilsamhället"),
    ("juridisk_form", "", "obligatoriskt"),
    ("kommunkod", "0180", "Okänd kommun"),
    ("kommun", "Stockholm", "Okänd kommun"),
    ("kommun", "", "obligatoriskt"),
    ("verksamhetsomraden", "1; 99", "Okänd kod för verksamhetsområde: ”99”"),
    ("roller", "hero", "Okänd kod för roll"),
    ("webbplats", "inte en adress", "inte en giltig webbadress"),
    ("webbplats", "ftp://exempel.se", "inte en giltig webbadress"),
    ("epost", "info@", "inte en giltig e-postadress"),
    ("grundad_ar", "förra året", "inte ett heltal"),
    ("grundad_ar", "999", "utanför det tillåtna intervallet"),
    ("grundad_ar", "2101", "utanför det tillåtna intervallet"),
    ("grundad_ar", "19.5", "inte ett heltal"),
    ("antal_medlemmar", "-3", "utanför det tillåtna intervallet"),
    ("antal_medlemmar", "många", "inte ett heltal"),
    ("socialt_foretag", "kanske", "inte ja eller nej"),
    ("beskrivning", "x" * 2001, "längre än 2000"),
]


@pytest.mark.parametrize(("header", "cell", "fragment"), INVALID_CELLS)
def test_invalid_cells_name_line_and_column(header, cell, fragment):
    parsed = parse(csv_bytes([["organisationsnummer", header], [ORG_A, f'"{cell}"']]))
    assert parsed.rows == []
    assert len(parsed.errors) == 1
    error = parsed.errors[0]
    assert (error.line, error.column) == (2, header)
    assert fragment in error.message


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("", "saknas"),
        ("123", "ska ha tio siffror"),
        ("8020001009", "fel kontrollsiffra"),
        ("5501011234", "personnummer"),
        ("80200a1009", "får bara innehålla siffror"),
    ],
)
def test_invalid_orgnr(cell, fragment):
    parsed = parse(csv_bytes([["Organisationsnummer", "Namn"], [cell, "X"]]))
    assert [(e.line, e.column) for e in parsed.errors] == [(2, "Organisationsnummer")]
    assert fragment in parsed.errors[0].message


@pytest.mark.parametrize("cell", [ORG_A, f"{ORG_A[:6]}-{ORG_A[6:]}", f"16{ORG_A}", f" {ORG_A[:6]} {ORG_A[6:]} "])
def test_orgnr_forms_are_normalised(cell):
    parsed = parse(csv_bytes([["organisationsnummer"], [cell]]))
    assert parsed.rows[0].orgnr == ORG_A


def test_line_numbers_count_blank_lines_and_header():
    data = csv_bytes([["organisationsnummer", "namn"], [ORG_A, "A"], ["", ""], [ORG_B, ""], [",", ""]])
    parsed = parse(data)
    assert [(e.line, e.column) for e in parsed.errors] == [(4, "namn")]
    assert parsed.data_rows == 2
    assert parsed.invalid_lines == {4}


def test_a_quoted_newline_stays_in_one_spreadsheet_row():
    data = f'organisationsnummer,beskrivning,namn\r\n{ORG_A},"två\r\nrader",A\r\n{ORG_B},x,\r\n'.encode()
    parsed = parse(data)
    assert value(parsed, "description") == "två\nrader"  # line breaks are stored as LF
    assert [e.line for e in parsed.errors] == [3]


def test_duplicate_orgnr_is_an_error_on_the_later_line():
    data = csv_bytes([["organisationsnummer", "namn"], [ORG_A, "A"], [ORG_B, "B"], [f"{ORG_A[:6]}-{ORG_A[6:]}", "C"]])
    parsed = parse(data)
    assert [r.line for r in parsed.rows] == [2, 3]
    assert [(e.line, e.column) for e in parsed.errors] == [(4, "organisationsnummer")]
    assert "finns redan på rad 2" in parsed.errors[0].message


def test_several_errors_in_one_row_are_all_reported():
    parsed = parse(csv_bytes([["orgnr", "namn", "kommun", "grundad_ar"], ["1", "", "Paris", "x"]]))
    assert [e.column for e in parsed.errors] == ["orgnr", "namn", "kommun", "grundad_ar"]
    assert parsed.invalid_lines == {2}


def test_code_and_name_columns_must_agree():
    header = ["organisationsnummer", "kommunkod", "kommun"]
    agreeing = parse(csv_bytes([header, [ORG_A, "1880", "Örebro"], [ORG_B, "", "Kumla"], [ORG_C, "1881", ""]]))
    assert agreeing.errors == []
    assert [value(agreeing, "municipality", i) for i in range(3)] == [10, 11, 11]
    clash = parse(csv_bytes([header, [ORG_A, "1880", "Kumla"]]))
    assert clash.errors[0].column == "kommunkod / kommun"
    assert "stämmer inte överens" in clash.errors[0].message


def test_headers_given_as_export_labels():
    header = [c.label for c in layout.COLUMNS]
    row = [ORG_A, "A", "61", "Ideell förening", "1880", "Örebro", "1", "voice", "", "", "", "", "", "nej", "nej", "nej"]
    parsed = parse(csv_bytes([header, row], delimiter=";"))
    assert parsed.errors == []
    assert parsed.fields == layout.FIELDS


def test_unknown_columns_warn_and_are_ignored():
    parsed = parse(csv_bytes([["organisationsnummer", "Namn", "Favoritfärg", ""], [ORG_A, "A", "grön", ""]]))
    assert parsed.errors == []
    assert parsed.fields == ("name",)
    assert any("Favoritfärg" in w and "känns inte igen" in w for w in parsed.warnings)


def test_only_present_columns_become_fields():
    parsed = parse(csv_bytes([["organisationsnummer", "antal_medlemmar"], [ORG_A, "12"]]))
    assert parsed.fields == ("member_count",)
    assert parsed.rows[0].values == (12,)


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [
        ([["organisationsnummer", "namn", "Namn"], [ORG_A, "A", "B"]], "finns två gånger"),
        ([["namn", "kommun"], ["A", "Örebro"]], "Kolumnen Organisationsnummer saknas"),
        ([[ORG_A, "A"], [ORG_B, "B"]], "Rubrikraden saknas"),
        ([["", ""], [ORG_A, "A"]], "Första raden är tom"),
        ([["organisationsnummer", "namn"]], "inga rader"),
        ([["organisationsnummer", "namn"], ["", ""]], "inga rader"),
    ],
)
def test_file_level_errors(rows, fragment):
    with pytest.raises(ImportFileError, match=fragment):
        parse(csv_bytes(rows))


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [
        ("utf-8", False, ","),
        ("utf-8", True, ","),
        ("utf-8", True, ";"),
        ("cp1252", False, ";"),
        ("utf-8", False, "\t"),
        ("utf-16", False, "\t"),  # Excel's "Unicode text"; the codec writes the BOM
    ],
)
def test_encodings_and_delimiters(encoding, bom, delimiter):
    data = csv_bytes([["Organisationsnummer", "Namn", "Kommun"], [ORG_A, "Åsbro Ölförening", "Örebro"]],
                     delimiter=delimiter, encoding=encoding, bom=bom)  # fmt: skip
    parsed = parse(data)
    assert parsed.errors == []
    assert value(parsed, "name") == "Åsbro Ölförening"
    assert value(parsed, "municipality") == 10


def test_excel_separator_hint_line_is_honoured_and_not_counted():
    data = f"sep=,\r\norganisationsnummer,namn;med semikolon\r\n{ORG_A},A\r\n123,B\r\n".encode()
    parsed = parse(data)
    assert parsed.fields == ()  # "namn;med semikolon" is one unknown header: the delimiter is the comma
    assert [(e.line, e.column) for e in parsed.errors] == [(3, "organisationsnummer")]


def test_xlsx_with_numbers_booleans_and_a_gap():
    data = xlsx_bytes(
        [
            ["Organisationsnummer", "Namn", "Kommunkod", "Grundad år", "Socialt företag", "Antal medlemmar"],
            [int(ORG_A), "A", 1880, 1990, True, 12.0],
            [None, None, None, None, None, None],
            [ORG_B, "B", "1881", None, False, None],
        ]
    )
    parsed = parse(data, "fil.xlsx")
    assert parsed.errors == []
    assert [r.line for r in parsed.rows] == [2, 4]
    assert parsed.rows[0].orgnr == ORG_A
    assert value(parsed, "founded_year") == 1990
    assert value(parsed, "social_enterprise") is True
    assert value(parsed, "member_count") == 12
    assert value(parsed, "social_enterprise", 1) is False


def test_xlsx_errors_use_spreadsheet_row_numbers():
    data = xlsx_bytes([["organisationsnummer", "namn"], [ORG_A, "A"], [None, None], [None, None], ["123", "B"]])
    parsed = parse(data, "fil.xlsx")
    assert [(e.line, e.column) for e in parsed.errors] == [(5, "organisationsnummer")]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("fil.csv", b"", "tom"),
        ("fil.xlsx", b"", "tom"),
        ("fil.xlsx", b"organisationsnummer,namn\r\n", "inte en Excel-fil"),
        ("fil.csv", xlsx_bytes([["organisationsnummer"]]), "har ändelsen .csv"),
        ("fil.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "stöds inte"),
        ("fil.pdf", b"%PDF-1.4", "CSV-fil (.csv) eller en Excel-fil"),
        ("fil", b"organisationsnummer", "CSV-fil (.csv) eller en Excel-fil"),
        ("fil.csv", b"\x00\x01\x02\x03binary\xff\xfe", "binärdata"),
        ("fil.csv", bytes(range(256)) * 4, "binärdata"),
        ("fil.xlsx", _zip({"word/document.xml": b"<x/>"}), "inte en giltig Excel-fil"),
        ("fil.xlsx", b"PK\x03\x04" + b"\x00" * 200, "inte en giltig Excel-fil"),
        ("fil.xlsx", _zip({"xl/workbook.xml": b"<not xml"}), "inte en giltig Excel-fil"),
        ("fil.xlsx", _zip({"xl/workbook.xml": b"<w/>", "xl/worksheets/sheet1.xml": b"\0" * 20_000_000}), "packad"),
        ("fil.csv", b"organisationsnummer\r\n" + b"x" * (MAX + 1), "för stor"),
    ],
)
def test_malformed_files_give_a_swedish_file_error(name, data, fragment):
    with pytest.raises(ImportFileError) as caught:
        parse(data, name)
    assert fragment in str(caught.value)


def test_unbalanced_quotes_are_read_not_crashed():
    parsed = parse(f'organisationsnummer,namn\r\n{ORG_A},"Olle\r\n'.encode())
    assert parsed.rows[0].orgnr == ORG_A


def test_only_the_first_sheet_is_read_with_a_warning():
    workbook = Workbook()
    workbook.active.append(["organisationsnummer"])
    workbook.active.append([ORG_A])
    workbook.create_sheet("Annat").append(["x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse(buffer.getvalue(), "fil.xlsx")
    assert len(parsed.rows) == 1
    assert any("bara det första" in w for w in parsed.warnings)


def test_changed_fields_and_merge():
    parsed = parse(csv_bytes([["organisationsnummer", "namn", "antal_medlemmar"], [ORG_A, "Ny", "5"]]))
    row = parsed.rows[0]
    where = plan.positions(parsed.fields)
    stored = ("Gammal", 1, 10, frozenset(), frozenset(), "", "", "", None, 5, False, False, False)
    assert plan.changed_fields(stored, row, parsed.fields, where) == ["name"]
    merged = plan.merged(stored, row, where)
    assert merged[0] == "Ny"
    assert merged[1:] == stored[1:]


ENGLISH_LEAKS = ("Error", "error", "Traceback", "NoneType", "codec", "line contains", "expected")


QUOTED = re.compile(r"”.*”", re.DOTALL)  # user content is echoed between Swedish quotes
SWEDISH_WORDS = "och|inte|saknas|rad|rader|kolumn|filen|fel|ska|har|siffror|organisationsnumret"
SWEDISH = re.compile(rf"[åäöÅÄÖ]|\b({SWEDISH_WORDS})\b", re.IGNORECASE)


def _assert_swedish(messages):
    for message in messages:
        assert isinstance(message, str) and message.strip()
        ours = QUOTED.sub("", message)
        assert SWEDISH.search(ours), message
        assert not any(word in ours for word in ENGLISH_LEAKS), message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=3000).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=3000).map(lambda b: b"organisationsnummer;namn;kommun\r\n" + b),
        st.text(max_size=1000).map(lambda t: ("organisationsnummer,namn,grundad_ar,roller\n" + t).encode()),
    ),
    name=st.sampled_from(["fil.csv", "fil.xlsx", "fil.txt", "fil.xls", "fil"]),
)
def test_arbitrary_bytes_never_crash_the_parser(data, name):
    try:
        parsed = parse(data, name)
    except ImportFileError as exc:
        _assert_swedish([str(exc)])
        return
    _assert_swedish([e.message for e in parsed.errors] + parsed.warnings)
    assert all(e.line >= 2 for e in parsed.errors)
    assert len(parsed.rows) + len(parsed.invalid_lines) == parsed.data_rows


PRINTABLE = st.characters(categories=["L", "N", "P", "S", "Zs"])


@settings(max_examples=200, deadline=None)
@given(
    name=st.text(alphabet=PRINTABLE, min_size=1, max_size=200).filter(str.strip),
    members=st.one_of(st.none(), st.integers(min_value=0, max_value=10**9)),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_valid_values_survive_a_csv_round_trip(name, members, delimiter):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["organisationsnummer", "namn", "antal_medlemmar"])
    writer.writerow([ORG_A, name, "" if members is None else members])
    parsed = parse(buffer.getvalue().encode())
    assert parsed.errors == []
    assert value(parsed, "name") == cells.clean_text(name)
    assert value(parsed, "member_count") == members


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(digits=st.text(alphabet="0123456789", min_size=0, max_size=12))
def test_fast_orgnr_agrees_with_the_full_parser(digits):
    from civsam.registry.orgnr import OrgnrError, normalise

    fast = cells.fast_orgnr(digits)
    try:
        full = normalise(digits)
    except OrgnrError:
        full = None
    if fast is not None:
        assert fast == full
    elif len(digits) == 10:
        assert full is None


URL_HOSTS = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https"]),
    labels=st.lists(URL_HOSTS, min_size=1, max_size=3),
    tld=st.from_regex(r"[a-z]{2,8}", fullmatch=True),
    path=st.from_regex(r"(/[A-Za-z0-9._~%/-]{0,30})?", fullmatch=True),
)
def test_the_fast_url_check_accepts_only_what_django_accepts(scheme, labels, tld, path):
    from django.core.validators import URLValidator

    url = f"{scheme}://{'.'.join(labels)}.{tld}{path}"
    if cells._PLAIN_URL.fullmatch(url):
        URLValidator(schemes=["http", "https"])(url)  # raises if the shortcut let something bad through


@pytest.mark.parametrize(
    "url",
    ["https://-bad.se", "https://bad-.se", "https://a..se", "https://a.s", "https://a b.se", "javascript:alert(1)"],
)
def test_bad_urls_are_still_refused(url):
    with pytest.raises(cells.CellError):
        cells.parse_website(url)


# The bulk parser against the plain one ------------------------------------------------------------
# parse() checks a chunk of rows column by column, parsing each distinct cell once. The reference
# (imports/reference.py) is the straightforward way, row by row and cell by cell; both must give
# the same result.


ORGNRS = [ORG_A, ORG_B, ORG_C, complete("802000400"), complete("556000100"), f"{ORG_A[:6]}-{ORG_A[6:]}"]
CELLS = {
    "organisationsnummer": [*ORGNRS, " " + ORG_B, "16" + ORG_C, "", "123", "8020001000", "5500001000", "abc"],
    "namn": ["Kumla SK", " Kumla SK ", "'=Formel", "'Citat", "'\tTabb", " ", "", "Å" * 200, "Å" * 201, "Kumla SK"],
    "juridisk_form": ["61", "51", " 61", "Ideell förening", "82", "99", ""],
    "juridisk_form_namn": ["Ideell förening", "ekonomisk förening", "61", "kommun", "Okänd", ""],
    "kommunkod": ["1880", "1881", "", "9999", "'=1880"],
    "kommun": ["Örebro", "kumla", "", "Paris", "1880"],
    "verksamhetsomraden": ["1; 4", "4,1", "", "12", "99", "1;;4"],
    "roller": ["voice", "voice; community", "", "okänd", "service-provider"],
    "webbplats": [
        "",
        "https://exempel.se",
        "www.exempel.se",
        "exempel",
        "https://-bad.se",
        "'=x.se",
        "http://a.b.c.se/x",
    ],
    "epost": ["", "info@exempel.se", "ingen-epost", " a@b.se "],
    "beskrivning": ["", "Text", "Rad ett\r\nRad två", "x" * 2001, "'-minus"],
    "grundad_ar": ["", "1921", "1921.0", "999", "år", " 2000 "],
    "antal_medlemmar": ["", "0", "1 250", "-1", "många", "3,0"],
    "socialt_foretag": ["", "ja", "Nej", "x", "kanske"],
    "arbetsintegrerande": ["", "1", "0", "sant"],
    "ideburen_registrerad": ["", "JA", "false", "?"],
}
HEADERS = st.lists(st.sampled_from(list(CELLS)[1:]), unique=True, max_size=len(CELLS) - 1).flatmap(
    lambda rest: st.permutations(["organisationsnummer", *rest])
)


@st.composite
def import_files(draw):
    header = draw(HEADERS)
    row = st.one_of(
        st.tuples(*(st.sampled_from(CELLS[h]) for h in header)).map(list),
        st.just([""] * len(header)),  # blank
        st.just([]),  # an empty line
        st.lists(st.sampled_from(["", " ", ORG_A, "x"]), max_size=len(header) + 3),  # short or long
    )
    rows = draw(st.lists(row, max_size=40))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    buffer = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    writer = csv.writer(
        buffer, delimiter=delimiter, quoting=quoting, lineterminator=draw(st.sampled_from(["\r\n", "\n"]))
    )
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=import_files(),
    chunk=st.sampled_from([1, 2, 3, 256]),
    cache_limit=st.sampled_from([0, 2, 20_000]),
    max_errors=st.sampled_from([0, 3, 50_000]),
)
def test_bulk_parse_agrees_with_parsing_row_by_row(data, chunk, cache_limit, max_errors):
    with (
        mock.patch.object(parsing, "CHUNK_ROWS", chunk),
        mock.patch.object(columns, "CACHE_LIMIT", cache_limit),
        mock.patch.object(parsing, "MAX_STORED_ERRORS", max_errors),
    ):
        try:
            expected = reference_parse("fil.csv", data, LOOKUPS, max_bytes=MAX)
        except ImportFileError as exc:
            with pytest.raises(ImportFileError) as raised:
                parse(data)
            assert str(raised.value) == str(exc)
            return
        parsed = parse(data)
    assert parsed == expected


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    raws=st.lists(
        st.one_of(
            st.sampled_from(ORGNRS[:5]).map(str),
            st.text(alphabet="0123456789", min_size=9, max_size=9).map(complete),  # any third digit
            st.text(alphabet="0123456789", min_size=9, max_size=11),
            st.sampled_from(["", "802000100x", "８０２０００１００６"]),
        ),
        max_size=30,
    )
)
def test_fast_orgnrs_agrees_with_fast_orgnr(raws):
    assert cells.fast_orgnrs(raws) == [cells.fast_orgnr(c) for c in raws]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(raws=st.lists(st.one_of(st.sampled_from(CELLS["webbplats"]), st.text(max_size=30)), max_size=20))
def test_bulk_text_parsers_agree_with_the_cell_parsers(raws):
    name = fields.field_parsers(LOOKUPS)["name"]
    for many, one in ((cells.parse_websites, cells.parse_website), (fields.parse_names, name)):
        decided = many(raws)
        assert all(one(raw) == value for raw, value in decided.items())
        if one is name:  # every valid name is decided in bulk; the rest are errors
            for raw in set(raws) - set(decided):
                with pytest.raises(cells.CellError):
                    name(raw)


def test_missing_for_new_fast_path_agrees():
    full = parse(csv_bytes([["organisationsnummer", "namn", "kommun", "juridisk_form"], [ORG_A, "A", "Kumla", "61"]]))
    assert plan.missing_for_new(full.rows[0], full) == []
    partial = parse(csv_bytes([["organisationsnummer", "kommun"], [ORG_A, "Kumla"]]))
    assert [e.column for e in plan.missing_for_new(partial.rows[0], partial)] == ["Namn", "Juridisk form (kod)"]
