"""Table-driven tests of the pure modules behind the Region's own calls: the two shipped
programmes' rules (föreningsstöd, development money for social innovation), bankgiro and
plusgiro check digits, attachments checked by content, answers, case numbers and instalments."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civsam.core import budget, filetypes
from civsam.funding import answers, giro, grants, rules

PROGRAMMES = {
    item["key"]: item
    for item in json.loads(
        (Path(__file__).resolve().parent.parent / "data" / "programmes.json").read_text(encoding="utf-8")
    )["programmes"]
}
FORENINGSSTOD = rules.parse(PROGRAMMES["regionens-foreningsstod"]["rules"])
INNOVATION = rules.parse(PROGRAMMES["utvecklingsmedel-social-innovation"]["rules"])
LABELS = {"member_municipalities": "Kommuner med medlemmar", "activity_municipalities": "Kommuner med verksamhet"}
COUNTY = ["1814", "1860", "1861", "1862", "1863", "1864", "1880", "1881", "1882", "1883", "1884", "1885"]


# --- Föreningsstöd: members in at least 4 of the county's municipalities, or activities in at least 3


@pytest.mark.parametrize(
    "members, activities, eligible",
    [
        (4, 0, True),
        (3, 0, False),
        (0, 3, True),
        (0, 2, False),
        (3, 2, False),
        (3, 3, True),
        (12, 12, True),
        (0, 0, False),
    ],
)
def test_foreningsstod_members_or_activities(members, activities, eligible):
    facts = {"member_municipalities": COUNTY[:members], "activity_municipalities": COUNTY[:activities]}
    reasons = rules.reasons(FORENINGSSTOD, facts, LABELS)
    assert (reasons == []) is eligible
    if not eligible:
        assert "minst 4" in reasons[0] and "minst 3" in reasons[0]


def test_foreningsstod_counts_each_municipality_once():
    facts = {"member_municipalities": ["1880", "1880", "1881", "1881"], "activity_municipalities": []}
    assert rules.reasons(FORENINGSSTOD, facts, LABELS)


# --- Social innovation: 20,000–50,000 kronor; co-financing at least the grant; an hour is 330 kronor


@pytest.mark.parametrize(
    "applied, money, paid_hours, voluntary_hours, eligible",
    [
        ("20000", "20000", 0, 0, True),
        ("50000", "50000", 0, 0, True),
        ("19999", "50000", 0, 0, False),  # below the programme's least grant
        ("50001", "60000", 0, 0, False),  # above its largest
        ("30000", "0", 50, 41, True),  # 91 hours × 330 = 30,030
        ("30000", "0", 50, 40, False),  # 90 hours × 330 = 29,700
        ("30000", "300", 0, 90, True),  # 300 + 29,700 = 30,000 exactly
        ("30000", "299.99", 0, 90, False),
        ("40000", None, None, None, False),  # no co-financing given
    ],
)
def test_social_innovation_amount_and_co_financing(applied, money, paid_hours, voluntary_hours, eligible):
    facts = {
        "amount_applied": Decimal(applied),
        "co_financing_money": None if money is None else Decimal(money),
        "paid_hours": paid_hours,
        "voluntary_hours": voluntary_hours,
    }
    assert (rules.reasons(INNOVATION, facts, {}) == []) is eligible


def test_social_innovation_reason_shows_the_sum():
    facts = {
        "amount_applied": Decimal(30000),
        "co_financing_money": Decimal(1000),
        "paid_hours": 10,
        "voluntary_hours": 0,
    }
    (reason,) = rules.reasons(INNOVATION, facts, {})
    assert "4\u00a0300" in reason and "30\u00a0000" in reason and "330" in reason


def test_rules_are_explained_to_the_applicant():
    text = " ".join(rules.explain(INNOVATION, {"amount_applied": "Sökt belopp"}))
    assert "Sökt belopp: 20\u00a0000–50\u00a0000 kronor." in text
    assert "minst lika stor som bidraget" in text and "330 kronor" in text
    assert "Minst ett av följande" in " ".join(rules.explain(FORENINGSSTOD, LABELS))


def test_fields_read_by_the_rules():
    assert rules.fields_read(FORENINGSSTOD) == {"member_municipalities", "activity_municipalities"}
    assert rules.fields_read(INNOVATION) == {"amount_applied", "co_financing_money", "paid_hours", "voluntary_hours"}


@pytest.mark.parametrize(
    "document",
    [
        {},
        [{"kind": "nonsense"}],
        [{"kind": "min_count", "field": "x", "min": 0}],
        [{"kind": "min_count", "field": "x", "min": True}],
        [{"kind": "min_count", "min": 2}],
        [{"kind": "amount_between", "field": "x"}],
        [{"kind": "amount_between", "field": "x", "min": "5", "max": "4"}],
        [{"kind": "amount_between", "field": "x", "min": "-1"}],
        [{"kind": "any_of", "rules": [{"kind": "min_count", "field": "x", "min": 1}]}],
        [{"kind": "co_financing", "hours_fields": "paid_hours", "money_field": "m"}],
        ["min_count"],
    ],
)
def test_broken_rules_are_refused(document):
    with pytest.raises(rules.RuleError):
        rules.parse(document)


def test_no_rules_means_anyone():
    assert rules.reasons(rules.parse([]), {}, {}) == []


# --- Bankgiro and plusgiro ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, written, digits",
    [
        (giro.BANKGIRO, "5050-1055", "50501055"),
        (giro.BANKGIRO, "123-4566", "1234566"),
        (giro.BANKGIRO, " 1234 - 5674 ", "12345674"),
        (giro.PLUSGIRO, "12345-5", "123455"),
        (giro.PLUSGIRO, "4-2", "42"),
        (giro.PLUSGIRO, "9000001-9", "90000019"),
    ],
)
def test_valid_numbers(kind, written, digits):
    assert giro.normalise(kind, written) == digits
    assert giro.luhn_sum_ok(digits)


@pytest.mark.parametrize(
    "kind, written, fragment",
    [
        (giro.BANKGIRO, "5050-1056", "kontrollsiffran"),
        (giro.BANKGIRO, "123-4567", "kontrollsiffran"),
        (giro.BANKGIRO, "12-3455", "7–8 siffror"),
        (giro.BANKGIRO, "123456789", "7–8 siffror"),
        (giro.PLUSGIRO, "4", "2–8 siffror"),
        (giro.PLUSGIRO, "12345-4", "kontrollsiffran"),
        (giro.BANKGIRO, "5050-10a5", "bara innehålla siffror"),
        (giro.BANKGIRO, "５０５０１０５５", "bara innehålla siffror"),
        (giro.BANKGIRO, "", "saknas"),
        ("iban", "50501055", "bankgiro eller plusgiro"),
    ],
)
def test_invalid_numbers(kind, written, fragment):
    with pytest.raises(giro.GiroError) as info:
        giro.normalise(kind, written)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "kind, digits, shown",
    [
        (giro.BANKGIRO, "1234566", "123-4566"),
        (giro.BANKGIRO, "50501055", "5050-1055"),
        (giro.PLUSGIRO, "123454", "12345-4"),
    ],
)
def test_display(kind, digits, shown):
    assert giro.display(kind, digits) == shown


@given(st.text(alphabet="0123456789", min_size=6, max_size=7))
def test_a_completed_bankgiro_number_is_valid(body):
    digits = body + giro.check_digit(body)
    assert giro.normalise(giro.BANKGIRO, digits) == digits


@given(st.text(alphabet="0123456789", min_size=2, max_size=7), st.data())
def test_any_single_changed_digit_is_caught(body, data):
    digits = body + giro.check_digit(body)
    position = data.draw(st.integers(0, len(digits) - 1))
    replacement = data.draw(st.sampled_from([d for d in "0123456789" if d != digits[position]]))
    changed = digits[:position] + replacement + digits[position + 1 :]
    assert not giro.luhn_sum_ok(changed)


@given(st.text(alphabet="0123456789", min_size=2, max_size=7), st.data())
def test_swapped_neighbours_are_caught_except_09(body, data):
    digits = body + giro.check_digit(body)
    position = data.draw(st.integers(0, len(digits) - 2))
    a, b = digits[position], digits[position + 1]
    swapped = digits[:position] + b + a + digits[position + 2 :]
    if a == b or {a, b} == {"0", "9"}:
        return  # the Luhn algorithm's known blind spot
    assert not giro.luhn_sum_ok(swapped)


# --- Attachments by content -----------------------------------------------------------------------

LIMIT = 10 * 1024 * 1024


def _zip(members: dict[str, bytes], *, first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first), members.pop(first))
        for name, data in members.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Budget"
    book.save(buffer)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document-content/>"},
    first="mimetype",
)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.mark.parametrize(
    "name, data, content_type",
    [
        ("Verksamhetsplan.pdf", PDF, "application/pdf"),
        ("BUDGET.PDF", PDF, "application/pdf"),
        ("plan.docx", DOCX, filetypes.DOCX.content_type),
        ("budget.xlsx", _xlsx(), filetypes.XLSX.content_type),
        ("plan.odt", ODT, filetypes.ODT.content_type),
        ("gammal.doc", filetypes.OLE2_SIGNATURE + b"\0" * 504, "application/msword"),
        ("gammal.xls", filetypes.OLE2_SIGNATURE + b"\0" * 504, "application/vnd.ms-excel"),
        ("brev.rtf", b"{\\rtf1\\ansi hej}", "application/rtf"),
    ],
)
def test_accepted_files(name, data, content_type):
    accepted = filetypes.check(name, io.BytesIO(data), size=len(data), max_bytes=LIMIT)
    assert accepted.content_type == content_type


@pytest.mark.parametrize(
    "name, data, fragment",
    [
        ("program.exe", b"MZ\x90\x00", "tas inte emot"),
        ("utan-filandelse", PDF, "tas inte emot"),
        ("bild.png", b"\x89PNG\r\n\x1a\n", "tas inte emot"),
        ("faktura.pdf", b"MZ\x90\x00this is a program", "inte ett dokument"),
        ("plan.docx", PDF, "inte ett dokument"),  # a PDF named as Word
        ("plan.pdf", DOCX, "inte ett dokument"),  # Word named as PDF
        ("plan.docx", _zip({"hello.txt": b"hi"}), "inte ett dokument"),  # a zip, but no Word inside
        ("budget.xlsx", DOCX, "inte ett dokument"),  # Word named as Excel
        ("plan.odt", _zip({"mimetype": b"application/zip"}, first="mimetype"), "inte ett dokument"),
        (
            "makro.docx",
            _zip({"[Content_Types].xml": b"", "word/document.xml": b"", "word/vbaProject.bin": b"x"}),
            "makron",
        ),
        ("tom.pdf", b"", "tom"),
        ("plan.docx", b"PK\x03\x04 broken", "inte ett dokument"),
    ],
)
def test_refused_files(name, data, fragment):
    with pytest.raises(filetypes.FileRejected) as info:
        filetypes.check(name, io.BytesIO(data), size=len(data), max_bytes=LIMIT)
    assert fragment in str(info.value)


def test_too_large_is_refused_before_reading():
    with pytest.raises(filetypes.FileRejected, match="för stor"):
        filetypes.check("stor.pdf", io.BytesIO(PDF), size=LIMIT + 1, max_bytes=LIMIT)


def test_an_archive_that_unpacks_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_UNPACKED", 100)
    data = _zip({"[Content_Types].xml": b"x" * 200, "word/document.xml": b""})
    with pytest.raises(filetypes.FileRejected, match="packas upp"):
        filetypes.check("plan.docx", io.BytesIO(data), size=len(data), max_bytes=LIMIT)


def test_an_encrypted_member_is_refused():
    data = bytearray(DOCX)
    # Set the "encrypted" flag of every member in the central directory.
    index = 0
    while (index := data.find(b"PK\x01\x02", index)) != -1:
        data[index + 8] |= 0x1
        index += 4
    with pytest.raises(filetypes.FileRejected, match="lösenordsskyddad"):
        filetypes.check("plan.docx", io.BytesIO(bytes(data)), size=len(data), max_bytes=LIMIT)


# --- Answers ------------------------------------------------------------------------------------

SPECS = [
    answers.FieldSpec("plan", "Plan", answers.TEXTAREA, required=True),
    answers.FieldSpec("members", "Medlemmar", answers.INTEGER),
    answers.FieldSpec("money", "Pengar", answers.AMOUNT),
    answers.FieldSpec("start", "Start", answers.DATE),
    answers.FieldSpec("new", "Ny?", answers.YESNO),
    answers.FieldSpec("size", "Storlek", answers.CHOICE, choices=("liten", "stor")),
    answers.FieldSpec("where", "Var", answers.MUNICIPALITIES, choices=("1880", "1881")),
]


@pytest.mark.parametrize(
    "key, raw, stored",
    [
        ("plan", "Vi ska", "Vi ska"),
        ("members", 12, 12),
        ("money", "1500", "1500.00"),
        ("money", 1500.5, "1500.50"),
        ("start", "2027-01-31", "2027-01-31"),
        ("new", False, False),
        ("size", "stor", "stor"),
        ("where", ["1881", "1880", "1880"], ["1880", "1881"]),
        ("members", None, None),
        ("where", [], None),
    ],
)
def test_answers_in_their_stored_shape(key, raw, stored):
    spec = next(s for s in SPECS if s.key == key)
    assert answers.parse_json(spec, raw) == stored


@pytest.mark.parametrize(
    "key, raw",
    [
        ("members", "12"),
        ("members", True),
        ("members", -1),
        ("money", "12,50"),
        ("money", "1.001"),
        ("money", "-5"),
        ("start", "31/1/2027"),
        ("start", 20270131),
        ("new", "ja"),
        ("size", "mellan"),
        ("where", ["0180"]),
        ("where", "1880"),
        ("plan", 5),
    ],
)
def test_answers_that_do_not_fit(key, raw):
    spec = next(s for s in SPECS if s.key == key)
    with pytest.raises(answers.AnswerError):
        answers.parse_json(spec, raw)


def test_missing_and_carried_over():
    assert [s.key for s in answers.missing(SPECS, {"members": 3})] == ["plan"]
    previous = {"plan": "Förra året", "size": "jättestor", "members": "tolv", "where": ["1880"], "gone": "x"}
    assert answers.carried_over(SPECS, previous) == {"plan": "Förra året", "where": ["1880"]}


def test_facts_are_typed():
    facts = answers.facts(SPECS, {"money": "100.00", "start": "2027-01-31", "where": ["1880"]}, years=2)
    assert facts["money"] == Decimal("100.00") and facts["start"] == datetime.date(2027, 1, 31)
    assert facts["where"] == ["1880"] and facts["years"] == 2 and facts["plan"] is None


# --- Case numbers, instalments, reports, the shared budget rule ------------------------------------


@pytest.mark.parametrize(
    "year, code, serial, key, number",
    [
        (2026, "RS", 1234, "region", "26RS1234"),
        (2030, "RS", 1, "region", "30RS1"),
        (2026, "", 7, "kommun-1880", "kommun-1880-2026-7"),
    ],
)
def test_case_numbers(year, code, serial, key, number):
    assert grants.case_number(year=year, code=code, serial=serial, funder_key=key) == number
    assert grants.serial_of(number, year=year, code=code, funder_key=key) == serial


@pytest.mark.parametrize("number", ["25RS1234", "26KS1234", "26RS0123", "26RS", "x26RS12"])
def test_other_numbers_have_no_serial_this_year(number):
    assert grants.serial_of(number, year=2026, code="RS") is None


@pytest.mark.parametrize(
    "amount, years, parts",
    [
        ("30000", [2027], ["30000.00"]),
        ("90000", [2027, 2028, 2029], ["30000.00", "30000.00", "30000.00"]),
        ("100000", [2027, 2028, 2029], ["33333.34", "33333.33", "33333.33"]),
        ("0.05", [2027, 2028], ["0.03", "0.02"]),
    ],
)
def test_instalments_add_up_to_the_grant(amount, years, parts):
    plan = grants.instalment_plan(Decimal(amount), years=years, first_due=datetime.date(2026, 12, 15))
    assert [str(p) for _due, p in plan] == parts
    assert sum(p for _due, p in plan) == Decimal(amount)
    assert [due for due, _p in plan] == [datetime.date(2026, 12, 15)] + [datetime.date(y, 1, 31) for y in years[1:]]


def test_reports_due_the_year_after():
    assert grants.report_due_dates(2027, 2029, month_day="03-31") == [
        datetime.date(2028, 3, 31),
        datetime.date(2029, 3, 31),
        datetime.date(2030, 3, 31),
    ]


@pytest.mark.parametrize(
    "allocated, spent, change, left",
    [("100", "0", "100", "0"), ("100", "60", "40", "0"), ("100", "60", "10", "30")],
)
def test_budget_rule_allows_up_to_the_allocation(allocated, spent, change, left):
    assert budget.check(allocated=Decimal(allocated), spent=Decimal(spent), change=Decimal(change)) == Decimal(left)


@pytest.mark.parametrize("allocated, spent, change", [("100", "0", "100.01"), ("100", "100", "1"), ("0", "0", "1")])
def test_budget_rule_refuses_over_commitment(allocated, spent, change):
    with pytest.raises(budget.OverCommitment):
        budget.check(allocated=Decimal(allocated), spent=Decimal(spent), change=Decimal(change))
