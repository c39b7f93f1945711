"""The management commands import_organisations and detect_duplicates."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civsam.registry.models import DuplicateCandidate, ImportRun, Organisation
from civsam.registry.orgnr import complete

pytestmark = pytest.mark.django_db

ORG_1 = complete("802000101")
ORG_2 = complete("802000202")
HEADER = "organisationsnummer,namn,juridisk_form,kommunkod\r\n"


def command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text(HEADER + f"{ORG_1},Kumla Schackklubb,61,1881\r\n{ORG_2},Nora Byalag,61,1884\r\n", encoding="utf-8")
    return path


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "fel.csv"
    path.write_text(HEADER + f"{ORG_1},Kumla Schackklubb,61,1881\r\n{ORG_2},,61,9999\r\n", encoding="utf-8")
    return path


def test_import_prints_counts_and_applies(reference_data, good_file):
    out, err = command("import_organisations", str(good_file))
    assert "2 nya, 0 ändrade, 0 oförändrade, 0 med fel" in out
    assert "Importen är klar" in out
    assert err == ""
    assert Organisation.objects.count() == 2
    out, _err = command("import_organisations", str(good_file))
    assert "0 nya, 0 ändrade, 2 oförändrade" in out


def test_dry_run_changes_nothing(reference_data, good_file):
    out, _err = command("import_organisations", str(good_file), "--dry-run")
    assert "2 nya" in out and "Provkörning" in out
    assert Organisation.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_errors_are_printed_per_row_and_the_exit_is_non_zero(reference_data, bad_file):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="Ingenting importerades"):
        call_command("import_organisations", str(bad_file), stdout=out, stderr=err)
    assert "Rad 3, kolumn namn: Namn saknas." in err.getvalue()
    assert "Rad 3, kolumn kommunkod: Okänd kommun" in err.getvalue()
    assert Organisation.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("import_organisations", str(bad_file), "--dry-run", stdout=out, stderr=err)


def test_valid_rows_only(reference_data, bad_file):
    out, _err = command("import_organisations", str(bad_file), "--valid-rows-only")
    assert "1 nya" in out and "1 med fel" in out
    assert list(Organisation.objects.values_list("orgnr", flat=True)) == [ORG_1]


def test_unreadable_and_missing_files(reference_data, tmp_path):
    garbage = tmp_path / "x.csv"
    garbage.write_bytes(b"\x00\xff\x00")
    with pytest.raises(CommandError):
        command("import_organisations", str(garbage))
    with pytest.raises(CommandError, match="kunde inte läsas"):
        command("import_organisations", str(tmp_path / "finns-inte.csv"))


def test_the_exit_code_of_the_real_command_is_non_zero(reference_data, bad_file):
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["manage.py", "import_organisations", str(bad_file)])
    with pytest.raises(SystemExit) as exited:
        utility.execute()
    assert exited.value.code != 0


def test_detect_duplicates_command(make_org):
    make_org(name="Kumla Schackklubb", municipality="1881")
    make_org(name="Kumla Schack-klubb", municipality="1881")
    DuplicateCandidate.objects.all().delete()  # organisation_create already flagged them
    out, _err = command("detect_duplicates")
    assert out.startswith("1 nya möjliga dubbletter")
    assert DuplicateCandidate.objects.count() == 1
    out, _err = command("detect_duplicates", "--kommun", "Kumla")
    assert out.startswith("0 nya")
    with pytest.raises(CommandError, match="Okänd kommun"):
        command("detect_duplicates", "--kommun", "Paris")
