"""The browser flow of the import through the Django test client: upload, preview, confirm, result."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civsam.registry.imports import views as import_views
from civsam.registry.models import ImportRun, Organisation
from civsam.registry.orgnr import complete

pytestmark = pytest.mark.django_db

ORG_1 = complete("802000101")
ORG_2 = complete("802000202")
GOOD = f"organisationsnummer;namn;juridisk_form;kommun\r\n{ORG_1};Vivalla Läxhjälp;61;Örebro\r\n".encode()
WITH_ERRORS = (
    "organisationsnummer;namn;juridisk_form;kommun\r\n"
    f"{ORG_1};Vivalla Läxhjälp;61;Örebro\r\n"
    f'{ORG_2};=HYPERLINK("x");61;Paris\r\n'
    "123;Trasig;61;Örebro\r\n"
).encode()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "imports"


def upload(client, data: bytes, name: str = "organisationer.csv"):
    return client.post(reverse("registry:import"), {"file": SimpleUploadedFile(name, data)})


def test_upload_preview_confirm_result(client, users, media):
    client.force_login(users["admin"])
    page = client.get(reverse("registry:import"))
    assert page.status_code == 200
    assert "Kolumner som läses" in page.content.decode()

    response = upload(client, GOOD)
    assert response.status_code == 302
    preview_url = response["Location"]
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    assert import_views.TOKEN.fullmatch(token)
    assert len(list(media.iterdir())) == 2  # the file and its owner

    preview = client.get(preview_url)
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Förhandsgranska import" in body
    assert "Vivalla Läxhjälp" in body
    assert "Importera endast giltiga rader" not in body  # no errors, no such choice
    assert not Organisation.objects.filter(orgnr=ORG_1).exists()

    done = client.post(preview_url)
    assert done.status_code == 302
    result = client.get(done["Location"])
    assert result.status_code == 200
    assert "Importen är klar" in result.content.decode()
    assert Organisation.objects.get(orgnr=ORG_1).municipality.code == "1880"
    run = ImportRun.objects.get()
    assert (run.created, run.actor) == (1, users["admin"])
    assert list(media.iterdir()) == []  # the upload is gone once applied
    assert client.get(preview_url).status_code == 404


def test_errors_block_the_import_until_valid_rows_only(client, users, media):
    client.force_login(users["admin"])
    preview_url = upload(client, WITH_ERRORS)["Location"]
    body = client.get(preview_url).content.decode()
    assert "Fel per rad" in body
    assert "Importera endast giltiga rader" in body
    assert "Okänd kommun" in body

    refused = client.post(preview_url)
    assert refused.status_code == 200
    assert "Ingenting importerades" in refused.content.decode()
    assert not Organisation.objects.filter(orgnr__in=[ORG_1, ORG_2]).exists()

    accepted = client.post(preview_url, {"valid_rows_only": "1"})
    assert accepted.status_code == 302
    result = client.get(accepted["Location"]).content.decode()
    assert "Rader som inte importerades" in result
    assert list(Organisation.objects.filter(orgnr__in=[ORG_1, ORG_2]).values_list("orgnr", flat=True)) == [ORG_1]
    assert ImportRun.objects.get().rejected == 2


def test_error_report_downloads_as_csv_with_line_numbers(client, users, media):
    client.force_login(users["admin"])
    preview_url = upload(client, WITH_ERRORS)["Location"]
    response = client.get(preview_url + "fel.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["rad", "kolumn", "fel"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("3", "kommun"), ("4", "organisationsnummer")]
    # The offending value is echoed, but never as a live spreadsheet formula.
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_template_download_has_the_layout(client, users):
    client.force_login(users["officer"])
    response = client.get(reverse("registry:import-template"))
    assert response.status_code == 200
    header = response.content.decode("utf-8-sig").strip().split(",")
    assert header[:4] == ["organisationsnummer", "namn", "juridisk_form", "kommunkod"]
    assert "kommun" not in header


def test_file_errors_are_shown_on_the_preview(client, users, media):
    client.force_login(users["admin"])
    preview_url = upload(client, b"\x00\x01\x02", name="data.csv")["Location"]
    body = client.get(preview_url).content.decode()
    assert "Filen kan inte importeras" in body
    assert "binärdata" in body
    assert client.post(preview_url).status_code == 200
    assert ImportRun.objects.count() == 0


def test_oversized_upload_is_refused_on_the_form(client, users, media, settings):
    settings.IMPORT_MAX_BYTES = 10
    client.force_login(users["admin"])
    response = upload(client, GOOD)
    assert response.status_code == 200
    assert "för stor" in response.content.decode()
    assert not media.exists() or list(media.iterdir()) == []


@pytest.mark.parametrize("name", ["plain", "rep", "reviewer"])
def test_only_staff_may_use_the_import(client, users, media, name):
    client.force_login(users[name])
    assert client.get(reverse("registry:import")).status_code == 403
    assert client.get(reverse("registry:import-template")).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("registry:import"))
    assert response.status_code == 302
    assert "login" in response["Location"] or "logga-in" in response["Location"]


def test_tokens_are_bound_to_the_user(client, users, media):
    client.force_login(users["admin"])
    preview_url = upload(client, GOOD)["Location"]
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    client.force_login(users["officer"])
    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url).status_code == 404
    assert client.get(preview_url + "fel.csv").status_code == 404
    # Even with the token planted in the session, the owner recorded beside the file decides.
    session = client.session
    session[import_views.SESSION_TOKENS] = [token]
    session.save()
    assert client.get(preview_url).status_code == 404
    assert not Organisation.objects.filter(orgnr=ORG_1).exists()


@pytest.mark.parametrize("token", ["../../etc/passwd", "x" * 43 + "..", "short", "a" * 43])
def test_bad_tokens_are_not_found(client, users, media, token):
    client.force_login(users["admin"])
    assert client.get(f"/organisationer/importera/{token}/").status_code == 404


def test_officer_sees_scope_errors_in_the_preview(client, users, media):
    client.force_login(users["officer"])
    data = f"organisationsnummer;namn;juridisk_form;kommun\r\n{ORG_1};Kumlaföreningen;61;Kumla\r\n".encode()
    body = client.get(upload(client, data)["Location"]).content.decode()
    assert "Du får inte importera organisationer i Kumla" in body


def test_result_page_belongs_to_the_importer(client, users, media):
    client.force_login(users["admin"])
    done = client.post(upload(client, GOOD)["Location"])
    client.force_login(users["officer"])
    assert client.get(done["Location"]).status_code == 404
