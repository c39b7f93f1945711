"""The official bulk files (ADR 0111): reading the two formats, placing addresses, and the import."""

from __future__ import annotations

import datetime
import io
import tracemalloc
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from civsam.core.models import AuditEntry
from civsam.registry.imports.official import formats, places
from civsam.registry.imports.official.services import official_register_import
from civsam.registry.models import ImportRun, Organisation

DATA = Path(__file__).parent / "data"
SCB_FILE = DATA / "scb_sample.txt"
BOLAGSVERKET_FILE = DATA / "bolagsverket_sample.csv"
KEPT = frozenset({"51", "53", "54", "61", "62", "63", "71", "72", "82", "84", "92", "94", "95"})
ON = datetime.date(2026, 12, 1)


def _read(source, path):
    with path.open("rb") as stream:
        return list(formats.read(source, stream, kept_forms=KEPT))


# --- Reading the files (pure) ------------------------------------------------------------------


def test_the_scb_file_is_read_as_latin_1_with_every_malformed_row_reported_by_line():
    items = _read(formats.SCB, SCB_FILE)
    rows = {item.orgnr: item for item in items if isinstance(item, formats.OfficialRow)}
    problems = {item.line: item.message for item in items if isinstance(item, formats.RowProblem)}
    assert rows["8020001064"].name == "Hällefors hembygdsförening"
    assert rows["8020001064"].status is None  # FtgStat 0 says nothing of whether it exists
    assert rows["8020001064"].activity_codes == ("91030", "94991")
    assert rows["8020001015"].registered_on == datetime.date(1948, 3, 12)
    assert rows["8020001015"].postal_code == "69231"
    assert rows["8020001015"].status == formats.ACTIVE
    assert rows["5566778899"].legal_form_code == ""  # 49 is not kept
    assert rows["2120001884"].legal_form_code == "82"
    assert sorted(problems) == [6, 7, 8, 12]
    assert "4 fält" in problems[6] and "12" in problems[6]
    assert "kontrollsiffra" in problems[7]
    assert "20191340" in problems[8] and "RegDatKtid" in problems[8]
    assert "”7”" in problems[12]


def test_the_bolagsverket_file_keeps_lines_right_across_embedded_newlines_and_strips_suffixes():
    items = _read(formats.BOLAGSVERKET, BOLAGSVERKET_FILE)
    rows = {item.orgnr: item for item in items if isinstance(item, formats.OfficialRow)}
    problems = {item.line: item.message for item in items if isinstance(item, formats.RowProblem)}
    kumla = rows["7696000012"]
    assert (kumla.line, kumla.name, kumla.legal_form_code) == (2, "Kumla Konsumentförening ek. för.", "51")
    assert (kumla.postal_code, kumla.postal_town) == ("69231", "KUMLA")
    assert kumla.registered_on == datetime.date(1985, 4, 1)
    gone = rows["8020001080"]
    assert (gone.line, gone.status, gone.status_date) == (5, formats.DEREGISTERED, datetime.date(2024, 6, 30))
    brf = rows["8020001106"]
    assert (brf.name, brf.legal_form_code, brf.status) == ("Brf Bergsmannen", "53", formats.WINDING_UP)
    assert rows["5566778899"].legal_form_code == "" and rows["5566778899"].source_form == "AB"
    assert sorted(problems) == [11, 12, 14]
    assert "10 fält" in problems[11]
    assert "teckenkodning" in problems[12]
    assert "2024-02-30" in problems[14]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "tom"),
        (b"PeOrgNr\tForetagsnamn\n", "JurForm"),
    ],
)
def test_a_file_that_is_not_the_format_is_refused_as_a_whole(content, message):
    with pytest.raises(formats.OfficialFileError, match=message):
        list(formats.read(formats.SCB, io.BytesIO(content), kept_forms=KEPT))


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("Storgatan 1\n692 31 KUMLA", ("69231", "KUMLA")),
        ("c/o A\r\nBox 5\r\n70110 Örebro$POSTADRESS", ("70110", "Örebro")),
        ("Utan postnummer", ("", "")),
        ("", ("", "")),
    ],
)
def test_the_postal_line_is_the_last_line_with_a_postal_code(address, expected):
    assert formats.postal_line(address) == expected


@pytest.mark.parametrize(
    ("code", "town", "municipality", "in_county"),
    [
        ("692 31", "KUMLA", "1881", True),
        ("70211", "Örebro", "1880", True),
        ("71433", "KOPPARBERG", "1864", True),
        ("71933", "LILLÅN", None, True),  # in the county's postal area but not a listed town
        ("41101", "GÖTEBORG", None, False),
        ("41101", "ÖREBRO", None, False),  # a listed town with another area's code is not guessed
        ("", "NORA", "1884", True),
        ("", "", None, False),
    ],
)
def test_placing_an_address(code, town, municipality, in_county):
    assert places.place(code, town) == places.Placement(municipality, in_county)


def test_reading_streams_with_memory_flat_in_the_file_size():
    row = "168020001015\tFöreningen\t61\t1\t\t\t\t\t\t19480312\t69231\tKUMLA\r\n".encode("latin-1")
    header = "\t".join((*formats.SCB_REQUIRED, "Ng1", "Ng2", "Ng3", "Ng4", "Ng5")).encode("latin-1") + b"\r\n"

    def peak(rows: int) -> int:
        class Stream(io.RawIOBase):  # made on the fly: the file itself never sits in memory
            def __init__(self):
                self.left = rows
                self.pending = header

            def readable(self):
                return True

            def readinto(self, buffer):
                while len(self.pending) < len(buffer) and self.left:
                    self.pending += row * min(self.left, 100)
                    self.left -= min(self.left, 100)
                size = min(len(buffer), len(self.pending))
                buffer[:size] = self.pending[:size]
                self.pending = self.pending[size:]
                return size

        tracemalloc.start()
        count = sum(1 for _ in formats.read(formats.SCB, io.BufferedReader(Stream()), kept_forms=KEPT))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == rows
        return top

    small, large = peak(2_000), peak(40_000)
    assert large < small * 1.5 + 100_000


# --- The import --------------------------------------------------------------------------------


def _import(source, path, *, apply=True, actor=None):
    with path.open("rb") as stream:
        return official_register_import(
            actor=actor, source=source, file_name=path.name, stream=stream, apply=apply, on=ON
        )


@pytest.mark.django_db
def test_the_scb_import_creates_places_and_updates_only_the_registers_own_fields(make_org):
    known = make_org(orgnr="8020001072", name="Vårt eget namn", municipality="1881", description="Egen text")
    result = _import(formats.SCB, SCB_FILE)
    assert result.applied
    assert (result.rows, result.created, result.updated, result.unchanged) == (11, 3, 1, 0)
    assert (result.other_forms, result.outside_county, result.unplaceable, result.rejected) == (1, 1, 1, 4)
    assert [p.line for p in result.problems] == [5, 6, 7, 8, 12]  # the unplaceable one is listed too
    assert "LILLÅN" in result.problems[0].message
    kumla = Organisation.objects.get(orgnr="8020001015")
    assert (kumla.municipality.code, kumla.legal_form.code, kumla.status) == ("1881", "61", "active")
    assert kumla.registered_on == datetime.date(1948, 3, 12)
    assert kumla.registered_source == "SCB, företagsregistret 2026-12-01"
    assert kumla.name_key and kumla.search_document
    assert Organisation.objects.get(orgnr="2120001884").municipality.code == "1880"
    assert not Organisation.objects.filter(orgnr__in=["5566778899", "8020001023", "8020001031"]).exists()
    known.refresh_from_db()
    assert (known.name, known.municipality.code, known.description) == ("Vårt eget namn", "1881", "Egen text")
    assert known.registered_on == datetime.date(1990, 1, 1)
    assert AuditEntry.objects.filter(object_id=str(known.pk), action=AuditEntry.Action.UPDATE).count() == 1
    assert ImportRun.objects.get(pk=result.run_id).created == 3


@pytest.mark.django_db
def test_the_dry_run_says_the_same_and_writes_nothing(make_org):
    make_org(orgnr="8020001072")
    before = (Organisation.objects.count(), AuditEntry.objects.count(), ImportRun.objects.count())
    dry = _import(formats.SCB, SCB_FILE, apply=False)
    assert not dry.applied and dry.run_id is None
    assert (Organisation.objects.count(), AuditEntry.objects.count(), ImportRun.objects.count()) == before
    real = _import(formats.SCB, SCB_FILE)
    assert (dry.created, dry.updated, dry.unplaceable, dry.rejected) == (
        real.created,
        real.updated,
        real.unplaceable,
        real.rejected,
    )


@pytest.mark.django_db
def test_the_bolagsverket_import_marks_deregistered_and_winding_up(make_org):
    gone = make_org(orgnr="8020001080", name="Gamla föreningen")
    result = _import(formats.BOLAGSVERKET, BOLAGSVERKET_FILE)
    assert (result.created, result.updated, result.rejected, result.other_forms) == (2, 1, 3, 1)
    gone.refresh_from_db()
    assert (gone.status, gone.status_date) == ("deregistered", datetime.date(2024, 6, 30))
    assert gone.status_source == "Bolagsverket 2026-12-01"
    brf = Organisation.objects.get(orgnr="8020001106")
    assert (brf.status, brf.status_date, brf.municipality.code) == ("winding_up", ON, "1884")
    assert Organisation.objects.get(orgnr="7696000012").municipality.code == "1881"
    assert result.status_changes == {"deregistered": 1, "winding_up": 1}
    # Run again: nothing left to change.
    again = _import(formats.BOLAGSVERKET, BOLAGSVERKET_FILE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


@pytest.mark.django_db
def test_statistics_swedens_active_does_not_undo_a_deregistration(make_org):
    org = make_org(orgnr="8020001015", municipality="1881")
    Organisation.objects.filter(pk=org.pk).update(status="deregistered", status_date=datetime.date(2020, 1, 1))
    _import(formats.SCB, SCB_FILE)
    org.refresh_from_db()
    assert org.status == "deregistered"


@pytest.mark.django_db
def test_a_failure_while_writing_leaves_nothing_behind(make_org, monkeypatch):
    from civsam.registry.imports.official import services as official

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(official, "audit_log_bulk", broken)
    with pytest.raises(RuntimeError):
        _import(formats.SCB, SCB_FILE)
    assert not Organisation.objects.filter(orgnr="8020001015").exists()
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_only_the_regions_staff_import_the_official_files(users):
    for name in ("officer", "rep", "plain", "reviewer"):
        with pytest.raises(PermissionDenied):
            _import(formats.SCB, SCB_FILE, actor=users[name])
    assert _import(formats.SCB, SCB_FILE, actor=users["admin"]).applied


@pytest.mark.django_db
def test_the_command_runs_dry_first_and_writes_with_apply(reference_data, capsys):
    call_command("import_official_register", "scb", str(SCB_FILE), "--date", "2026-12-01")
    out = capsys.readouterr()
    assert "Provkörning" in out.out and "Rad 6:" in out.err
    assert not Organisation.objects.filter(orgnr="8020001015").exists()
    call_command("import_official_register", "scb", str(SCB_FILE), "--apply")
    assert Organisation.objects.filter(orgnr="8020001015").exists()
    with pytest.raises(CommandError, match="Bolagsverkets registerfil"):
        call_command("import_official_register", "bolagsverket", str(SCB_FILE))
