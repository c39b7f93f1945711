"""The adopted plan document (a PDF checked by its content, or a link) and the plan's contact
people (ADR 0121): the pure check table-driven, the services, the pages and who may do what."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civsam.plan import document_check, services
from civsam.plan.models import PlanContact, PlanDocument

SLUG = "2022-2025"
PLAIN_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _pdf(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"


CHECKS = [
    # (name, content, accepted, what the message says)
    ("plan.pdf", PLAIN_PDF, True, ""),
    ("PLAN.PDF", PLAIN_PDF, True, ""),
    ("plan.docx", PLAIN_PDF, False, "som PDF"),
    ("plan.pdf", b"", False, "tom"),
    ("plan.pdf", b"<html><script>alert(1)</script></html>", False, "inte en hel PDF"),
    ("plan.pdf", b"%PDF-1.7\n1 0 obj << >> endobj\n", False, "inte en hel PDF"),  # cut off: no end marker
    ("plan.pdf", _pdf(b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"), False, "skript"),
    ("plan.pdf", _pdf(b"<< /S /Launch /F (calc.exe) >>"), False, "skript"),
    ("plan.pdf", _pdf(b"<< /Type /EmbeddedFile >>"), False, "inbäddade"),
    ("plan.pdf", _pdf(b"<< /S /J#61vaScript >>"), False, "skript"),  # a name written with an escape
    ("plan.pdf", _pdf(b"<< /JSON (not a script) /Title (JS-kursen) >>"), True, ""),
]


@pytest.mark.parametrize(("name", "content", "accepted", "message"), CHECKS)
def test_the_document_is_checked_by_its_content(name, content, accepted, message):
    stream = io.BytesIO(content)
    if accepted:
        document_check.check(name, stream, size=len(content))
    else:
        with pytest.raises(document_check.DocumentRejected, match=message):
            document_check.check(name, stream, size=len(content))
    assert stream.tell() == 0


def test_a_too_large_file_is_refused():
    with pytest.raises(document_check.DocumentRejected, match="för stor"):
        document_check.check("plan.pdf", io.BytesIO(PLAIN_PDF), size=len(PLAIN_PDF), max_bytes=10)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_upload_then_link_replaces_the_file(plan, users, media, django_capture_on_commit_callbacks):
    admin = users["admin"]
    upload = SimpleUploadedFile("Handlingsplan 2022–2025.pdf", PLAIN_PDF, content_type="text/html")
    document = services.plan_document_upload(actor=admin, plan=plan, upload=upload)
    assert document.name == "Handlingsplan 2022–2025.pdf" and document.size == len(PLAIN_PDF)
    stored = document.file.name
    assert stored.startswith("handlingsplaner/") and "Handlingsplan" not in stored  # a generated name
    with django_capture_on_commit_callbacks(execute=True):
        linked = services.plan_document_link(actor=admin, plan=plan, url="https://www.regionorebrolan.se/plan")
    assert linked.pk == document.pk and not linked.file and linked.url.startswith("https://")
    assert not (media / stored).exists()  # the replaced file is gone
    with pytest.raises(ValidationError):
        services.plan_document_link(actor=admin, plan=plan, url="http://example.se/plan.pdf")
    services.plan_document_remove(actor=admin, plan=plan)
    assert not PlanDocument.objects.filter(plan=plan).exists()


def test_a_refused_upload_keeps_what_was_there(plan, users, media):
    admin = users["admin"]
    services.plan_document_link(actor=admin, plan=plan, url="https://www.regionorebrolan.se/plan")
    bad = SimpleUploadedFile("plan.pdf", b"<html></html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.plan_document_upload(actor=admin, plan=plan, upload=bad)
    assert "file" in error.value.message_dict
    assert PlanDocument.objects.get(plan=plan).url == "https://www.regionorebrolan.se/plan"


CONTACTS = [
    # (name, role, email, phone, error field or None)
    ("Anna Andersson", "Utvecklingsledare", "anna.andersson@example.se", "", None),
    ("Bo Berg", "Handläggare", "", "019-602 10 00", None),
    ("Cecilia Ek", "Samordnare", "", "", "email"),  # no way to reach her
    ("", "Samordnare", "c@example.se", "", "name"),
    ("Dan Dahl", "", "d@example.se", "", "role"),
    ("Eva Ek", "Samordnare", "inte-en-adress", "", "email"),
    ("Frida Fors", "Samordnare", "", "ring mig", "phone"),
]


@pytest.mark.parametrize(("name", "role", "email", "phone", "error"), CONTACTS)
def test_contacts_are_named_with_a_role_and_reachable(plan, users, name, role, email, phone, error):
    if error is None:
        contact = services.plan_contact_add(
            actor=users["admin"], plan=plan, name=name, role=role, email=email, phone=phone
        )
        assert PlanContact.objects.get(pk=contact.pk).name == name
    else:
        with pytest.raises(ValidationError) as raised:
            services.plan_contact_add(actor=users["admin"], plan=plan, name=name, role=role, email=email, phone=phone)
        assert error in raised.value.message_dict
        assert not PlanContact.objects.exists()


@pytest.mark.parametrize("role", ["officer", "rep", "reviewer", "plain"])
def test_only_the_region_administrator_keeps_document_and_contacts(client, plan, users, role, media):
    user = users[role]
    with pytest.raises(PermissionDenied):
        services.plan_contact_add(actor=user, plan=plan, name="X", role="Y", email="x@example.se")
    with pytest.raises(PermissionDenied):
        services.plan_document_link(actor=user, plan=plan, url="https://example.se/plan.pdf")
    client.force_login(user)
    assert client.get(reverse("plan:plan-document", args=[SLUG])).status_code == 403


def test_the_administrator_keeps_them_in_the_browser_and_the_plan_page_shows_them(client, plan, users, media):
    client.force_login(users["admin"])
    url = reverse("plan:plan-document", args=[SLUG])
    page = client.get(url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    upload = SimpleUploadedFile("plan.pdf", PLAIN_PDF, content_type="application/pdf")
    assert client.post(url, {"action": "upload", "file": upload}).status_code == 302
    bad = client.post(url, {"action": "contact", "contact-name": "Anna", "contact-role": "Utvecklingsledare"})
    assert bad.status_code == 200 and "Ange e-post eller telefon" in bad.content.decode()
    added = client.post(
        url,
        {
            "action": "contact",
            "contact-name": "Anna Andersson",
            "contact-role": "Utvecklingsledare",
            "contact-email": "anna.andersson@example.se",
        },
    )
    assert added.status_code == 302
    client.logout()
    plan_page = client.get(plan.get_absolute_url())
    html = plan_page.content.decode()
    assert "Anna Andersson" in html and "mailto:anna.andersson@example.se" in html
    assert reverse("plan:plan-document-download", args=[SLUG]) in html
    assert "no-store" in plan_page["Cache-Control"]
    download = client.get(reverse("plan:plan-document-download", args=[SLUG]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Security-Policy"] == "sandbox" and download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PLAIN_PDF
    # Removing a contact in the browser.
    client.force_login(users["admin"])
    contact = PlanContact.objects.get(plan=plan)
    assert client.post(url, {"action": "remove-contact", "contact_id": contact.pk}).status_code == 302
    assert not PlanContact.objects.filter(plan=plan).exists()


def test_a_link_is_shown_and_nothing_to_download(client, plan, users):
    services.plan_document_link(actor=users["admin"], plan=plan, url="https://www.regionorebrolan.se/plan")
    assert 'href="https://www.regionorebrolan.se/plan"' in client.get(plan.get_absolute_url()).content.decode()
    assert client.get(reverse("plan:plan-document-download", args=[SLUG])).status_code == 404
