"""Import of a funder's decision list: good file, dry run, per-row errors, upsert, unmatched
recipients, atomicity, Excel, and the cell parsers."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from civsam.core.models import AuditEntry
from civsam.core.tabular import ImportFileError
from civsam.funding import grant_import
from civsam.funding.models import GrantDecision, GrantImportRun
from civsam.funding.services import grant_decisions_import

from .conftest import HEADER, csv_bytes

UNKNOWN_ORGNR = "8020999994"  # a valid number that no test organisation has


def _rows(funding, *extra):
    own, other = funding["own_org"].orgnr, funding["other_org"].orgnr
    return [
        HEADER,
        [
            "KS 2025/1",
            own,
            "Egna föreningen",
            "Föreningsbidrag",
            "verksamhetsbidrag",
            "60 000",
            "50 000",
            "",
            "2025",
            "2024-12-10",
            "Ungdomsverksamhet",
        ],
        [
            "KS 2025/2",
            f"{other[:6]}-{other[6:]}",
            "Andra föreningen",
            "",
            "projektbidrag",
            "",
            "12 500,50",
            "12500",
            "2025–2027",
            "2024-12-11",
            "",
        ],
        *extra,
    ]


def _import(funding, rows, *, apply=True, actor="officer", funder="orebro", name="beslut.csv"):
    return grant_decisions_import(
        actor=funding[actor], funder=funding[funder], file_name=name, data=csv_bytes(rows), apply=apply
    )


@pytest.mark.django_db
class TestImport:
    def test_good_file(self, funding):
        summary = _import(funding, _rows(funding))
        assert summary.ok and summary.applied
        assert (summary.rows, summary.created, summary.updated, summary.unchanged) == (2, 2, 0, 0)
        first = GrantDecision.objects.get(case_number="KS 2025/1")
        assert first.recipient == funding["own_org"]
        assert first.recipient_municipality.code == "1880"
        assert first.grant_form == "operating"
        assert (first.amount_applied, first.amount_granted, first.amount_paid) == (
            Decimal("60000"),
            Decimal("50000"),
            None,
        )
        assert first.source == funding["orebro_source"] or first.programme == "Föreningsbidrag"
        second = GrantDecision.objects.get(case_number="KS 2025/2")
        assert (second.year_from, second.year_to, second.is_multi_year) == (2025, 2027, True)
        assert second.amount_granted == Decimal("12500.50")
        run = GrantImportRun.objects.get()
        assert (run.created, run.funder) == (2, funding["orebro"])
        assert AuditEntry.objects.filter(action="import", object_id=str(first.pk)).exists()

    def test_dry_run_writes_nothing_and_says_what_would_happen(self, funding):
        summary = _import(funding, _rows(funding), apply=False)
        assert summary.ok and not summary.applied
        assert summary.created == 2
        assert not GrantDecision.objects.exists()
        assert not GrantImportRun.objects.exists()

    def test_upsert_on_funder_and_case_number(self, funding):
        _import(funding, _rows(funding))
        rows = _rows(funding)
        rows[1][6] = "55 000"  # KS 2025/1 gets a new amount
        summary = _import(funding, rows)
        assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
        assert GrantDecision.objects.get(case_number="KS 2025/1").amount_granted == Decimal("55000")
        # The same case number under another funder is another decision.
        summary = _import(funding, _rows(funding), actor="admin", funder="kumla")
        assert summary.created == 2
        assert GrantDecision.objects.count() == 4
        entry = AuditEntry.objects.filter(action="update").latest("at")
        assert entry.changes["amount_granted"] == ["50000.00", "55000.00"]

    def test_unmatched_recipients_are_skipped_and_listed(self, funding):
        extra = ["KS 2025/3", UNKNOWN_ORGNR, "Okända föreningen", "", "", "", "1000", "", "2025", "2025-01-02", ""]
        summary = _import(funding, _rows(funding, extra))
        assert summary.applied and summary.created == 2
        assert [(u.line, u.orgnr, u.name) for u in summary.unmatched] == [(4, UNKNOWN_ORGNR, "Okända föreningen")]
        assert GrantImportRun.objects.get().unmatched == 1

    def test_row_errors_in_swedish_with_line_numbers_and_nothing_written(self, funding):
        bad = [
            ["KS 2025/3", "123", "", "", "", "", "abc", "", "20x5", "2025-13-01", ""],
            ["KS 2025/1", funding["own_org"].orgnr, "", "", "stipendium", "", "100", "", "2026–2025", "", ""],
        ]
        summary = _import(funding, _rows(funding, *bad))
        assert not summary.applied
        messages = [e.message for e in summary.errors]
        assert all(m.startswith(("Rad 4:", "Rad 5:")) for m in messages)
        joined = "\n".join(messages)
        assert "Rad 4: Organisationsnumret ”123” ska ha tio siffror" in joined
        assert "Rad 4: beviljat belopp ”abc” är inte ett belopp i kronor" in joined
        assert "Rad 4: år ”20x5” ska vara ett år (2025) eller en period (2025–2027)." in joined
        assert "Rad 4: beslutsdatum ”2025-13-01” ska skrivas ÅÅÅÅ-MM-DD." in joined
        assert "Rad 5: bidragsformen ”stipendium” är okänd" in joined
        assert "Rad 5: perioden 2026–2025 slutar före den börjar." in joined
        assert "Rad 5: beslutsdatum saknas." in joined
        assert not GrantDecision.objects.exists()  # the good rows 2 and 3 are not written either

    def test_duplicate_case_number_in_the_file(self, funding):
        rows = _rows(funding)
        summary = _import(funding, [*rows, rows[1]])
        assert [e.message for e in summary.errors] == ["Rad 4: diarienumret KS 2025/1 finns redan tidigare i filen."]
        assert not GrantDecision.objects.exists()

    def test_atomic_when_the_database_refuses_a_row(self, funding, monkeypatch):
        """A failure after some blocks were written leaves nothing behind."""
        from civsam.funding.services import decisions as decision_services

        monkeypatch.setattr(decision_services, "BLOCK", 1)
        calls = {"n": 0}
        original = decision_services._write_block

        def failing(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("disk full")
            return original(*args, **kwargs)

        monkeypatch.setattr(decision_services, "_write_block", failing)
        with pytest.raises(RuntimeError):
            _import(funding, _rows(funding))
        assert calls["n"] == 2
        assert not GrantDecision.objects.exists()
        assert not AuditEntry.objects.filter(action="import").exists()

    def test_missing_columns(self, funding):
        with pytest.raises(ImportFileError, match="Rubrikraden saknar kolumnerna: beviljat belopp, år"):
            _import(funding, [["diarienummer", "organisationsnummer", "beslutsdatum"], ["a", "b", "c"]])

    def test_not_a_table(self, funding):
        with pytest.raises(ImportFileError):
            grant_decisions_import(
                actor=None, funder=funding["orebro"], file_name="beslut.pdf", data=b"%PDF", apply=True
            )

    def test_permission(self, funding):
        with pytest.raises(PermissionDenied):
            _import(funding, _rows(funding), actor="officer_kumla")
        with pytest.raises(PermissionDenied):
            _import(funding, _rows(funding), actor="rep")

    def test_excel_file(self, funding):
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        for row in _rows(funding):
            sheet.append(row)
        sheet["J2"] = datetime.datetime(2024, 12, 10)  # a real Excel date in beslutsdatum
        sheet["G2"] = 50000  # and a number for the amount
        buffer = io.BytesIO()
        workbook.save(buffer)
        summary = grant_decisions_import(
            actor=funding["officer"],
            funder=funding["orebro"],
            file_name="beslut.xlsx",
            data=buffer.getvalue(),
            apply=True,
        )
        assert summary.ok and summary.created == 2
        assert GrantDecision.objects.get(case_number="KS 2025/1").decision_date == datetime.date(2024, 12, 10)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12 500", Decimal("12500.00")),
        ("12 500,50", Decimal("12500.50")),
        ("12500.5", Decimal("12500.50")),
        ("12.500,50", Decimal("12500.50")),
        ("12 500 kr", Decimal("12500.00")),
        ("12\u00a0500", Decimal("12500.00")),
        ("", None),
    ],
)
def test_parse_amount(text, expected):
    assert grant_import.parse_amount(text) == expected


# "1,234": the comma is the decimal sign, and kronor have two decimals at most.
@pytest.mark.parametrize("text", ["abc", "-5", "1,234", "1e5x", "NaN", "12,345,6"])
def test_parse_amount_refuses(text):
    with pytest.raises(ValueError):
        grant_import.parse_amount(text)


def test_header_accepts_english_names_and_any_case():
    header = grant_import.parse_header(["Case number", "ORGNR", "Amount granted", "Year", "Decision date"])
    assert header == {"case_number": 0, "orgnr": 1, "amount_granted": 2, "years": 3, "decision_date": 4}
