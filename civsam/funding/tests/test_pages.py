"""The funding pages: public pages for everyone, staff pages for who keeps the funder, forms,
the import page, exports, the statistics page and the part on the organisation page."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from civsam.funding import services
from civsam.funding.models import CallSubscription, FundingCall, FundingSource, GrantDecision

from .conftest import HEADER, csv_bytes

TODAY = datetime.date.today()


def _client(funding, role):
    client = Client()
    if funding[role] is not None:
        client.force_login(funding[role])
    return client


@pytest.fixture
def call(funding):
    call = services.funding_call_create(
        actor=None,
        data=services.FundingCallData(
            source=funding["orebro_source"],
            title="Aktivitetsstöd hösten",
            opens_on=TODAY - datetime.timedelta(days=1),
            deadline=TODAY + datetime.timedelta(days=10),
        ),
    )
    return services.funding_call_change_status(actor=None, call=call, status=FundingCall.Status.PUBLISHED)


@pytest.mark.django_db
class TestPublicPages:
    @pytest.mark.parametrize(
        "name, args",
        [
            ("funding:source-list", []),
            ("funding:source-detail", ["esf-plus"]),
            ("funding:call-list", []),
            ("funding:register", []),
            ("funding:statistics", []),
        ],
    )
    def test_anonymous(self, funding, call, make_decision, name, args):
        make_decision()
        services.grant_figures_compute()
        response = Client().get(reverse(name, args=args))
        assert response.status_code == 200
        assert b"<h1>" in response.content

    def test_call_and_decision_pages(self, funding, call, make_decision):
        decision = make_decision(purpose="Läxhjälp")
        page = Client().get(reverse("funding:call-detail", args=[call.pk])).content.decode()
        assert "Aktivitetsstöd hösten" in page and "Öppen för ansökningar" in page
        page = Client().get(reverse("funding:decision-detail", args=[decision.pk])).content.decode()
        assert "Läxhjälp" in page and funding["own_org"].name in page
        assert Client().get(reverse("funding:decision-detail", args=[999999])).status_code == 404

    def test_drafts_are_hidden(self, funding):
        draft = services.funding_call_create(
            actor=None, data=services.FundingCallData(source=funding["orebro_source"], title="Hemlig", deadline=TODAY)
        )
        assert Client().get(reverse("funding:call-detail", args=[draft.pk])).status_code == 403
        assert _client(funding, "officer").get(reverse("funding:call-detail", args=[draft.pk])).status_code == 200
        assert "Hemlig" not in Client().get(reverse("funding:call-list")).content.decode()

    def test_register_filters_and_htmx(self, funding, make_decision):
        make_decision(case_number="KS 1", purpose="Läxhjälp")
        make_decision(case_number="KS 2", purpose="Fotboll", recipient=funding["other_org"], funder=funding["kumla"])
        page = Client().get(reverse("funding:register") + "?q=läxhjälp").content.decode()
        assert "KS 1" in page and "KS 2" not in page
        page = Client().get(reverse("funding:register") + "?municipality=1881&sort=-amount").content.decode()
        assert "KS 2" in page and "KS 1" not in page
        partial = Client().get(reverse("funding:register"), headers={"HX-Request": "true"}).content.decode()
        assert "<h1>" not in partial and "KS 1" in partial
        # A bad value drops that filter only.
        assert Client().get(reverse("funding:register") + "?year=abc&recipient=1").status_code == 200


@pytest.mark.django_db
class TestExports:
    def test_csv_xlsx_json_and_360giving(self, funding, make_decision):
        make_decision(case_number="KS 1", purpose="=HYPERLINK(1)")
        make_decision(case_number="KS 2", recipient=funding["other_org"], funder=funding["kumla"])
        url = reverse("funding:register-export", args=["csv"]) + "?municipality=1880"
        text = b"".join(Client().get(url).streaming_content).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [r["case_number"] for r in rows] == ["KS 1"]
        assert rows[0]["purpose"] == "'=HYPERLINK(1)"  # no formula in a spreadsheet
        response = Client().get(reverse("funding:register-export", args=["xlsx"]))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        data = json.loads(b"".join(Client().get(reverse("funding:register-export", args=["json"])).streaming_content))
        assert {r["case_number"] for r in data} == {"KS 1", "KS 2"}
        package = Client().get(reverse("funding:register-export", args=["360giving"])).json()
        assert len(package["grants"]) == 2 and package["version"] == "1.4"
        assert Client().get(reverse("funding:register-export", args=["pdf"])).status_code == 404

    def test_statistics_export(self, funding, make_decision):
        make_decision()
        services.grant_figures_compute()
        text = b"".join(Client().get(reverse("funding:statistics-export", args=["csv"])).streaming_content).decode(
            "utf-8-sig"
        )
        assert "amount_per_inhabitant" in text.splitlines()[0]


@pytest.mark.django_db
class TestStaffPages:
    @pytest.mark.parametrize(
        "role, status", [("anonymous", 302), ("plain", 403), ("rep", 403), ("officer", 200), ("admin", 200)]
    )
    def test_source_create_page(self, funding, role, status):
        assert _client(funding, role).get(reverse("funding:source-create")).status_code == status

    def test_officer_creates_a_source_and_a_call_and_publishes(self, funding):
        client = _client(funding, "officer")
        response = client.post(
            reverse("funding:source-create"),
            {
                "funder": funding["orebro"].pk,
                "name": "Örebros kulturstöd",
                "slug": "orebros-kulturstod",
                "kind": "grant",
                "sector": "any",
                "is_active": "on",
            },
        )
        assert response.status_code == 302, response.content
        source = FundingSource.objects.get(slug="orebros-kulturstod")
        response = client.post(
            reverse("funding:call-create", args=[source.slug]),
            {
                "title": "Kulturstöd 2027",
                "schedule": "dated",
                "deadline": (TODAY + datetime.timedelta(days=5)).isoformat(),
            },
        )
        assert response.status_code == 302
        call = FundingCall.objects.get(title="Kulturstöd 2027")
        client.post(reverse("funding:call-status", args=[call.pk]), {"action": "publish"})
        call.refresh_from_db()
        assert call.status == "published"

    def test_officer_may_not_pick_another_municipalitys_funder(self, funding):
        response = _client(funding, "officer").post(
            reverse("funding:source-create"),
            {"funder": funding["kumla"].pk, "name": "X", "slug": "x", "kind": "grant", "sector": "any"},
        )
        assert response.status_code == 200
        assert "funder" in response.context["form"].errors

    def test_other_officer_may_not_edit(self, funding, call):
        client = _client(funding, "officer_kumla")
        assert client.get(reverse("funding:source-edit", args=[funding["orebro_source"].slug])).status_code == 403
        assert client.get(reverse("funding:call-edit", args=[call.pk])).status_code == 403
        assert client.post(reverse("funding:call-status", args=[call.pk]), {"action": "close"}).status_code == 403

    def test_form_errors_are_summarised(self, funding, call):
        response = _client(funding, "officer").post(
            reverse("funding:call-edit", args=[call.pk]), {"title": "", "schedule": "yearly", "yearly_opens": "99-99"}
        )
        assert response.status_code == 200
        assert "Formuläret innehåller fel" in response.content.decode()

    def test_funder_create_is_the_regions(self, funding):
        assert _client(funding, "officer").get(reverse("funding:funder-create")).status_code == 403
        response = _client(funding, "admin").post(
            reverse("funding:funder-create"),
            {"name": "Stiftelsen Exempel", "slug": "stiftelsen-exempel", "kind": "other"},
        )
        assert response.status_code == 302


@pytest.mark.django_db
class TestImportPage:
    def _post(self, client, funding, rows, apply):
        upload = io.BytesIO(csv_bytes(rows))
        upload.name = "beslut.csv"
        return client.post(reverse("funding:import"), {"funder": funding["orebro"].pk, "file": upload, "apply": apply})

    def test_check_then_import(self, funding):
        client = _client(funding, "officer")
        row = ["KS 9", funding["own_org"].orgnr, "", "", "", "", "1000", "", "2025", "2025-01-10", ""]
        page = self._post(client, funding, [HEADER, row], "0").content.decode()
        assert "Provkörning" in page and not GrantDecision.objects.exists()
        page = self._post(client, funding, [HEADER, row], "1").content.decode()
        assert "Importen är klar" in page and GrantDecision.objects.count() == 1

    def test_errors_are_listed(self, funding):
        client = _client(funding, "officer")
        page = self._post(
            client, funding, [HEADER, ["", "1", "", "", "", "", "x", "", "", "", ""]], "1"
        ).content.decode()
        assert "Rad 2:" in page and "ingenting sparades" in page

    def test_unreadable_file(self, funding):
        upload = io.BytesIO(b"%PDF-1.4")
        upload.name = "beslut.pdf"
        response = _client(funding, "officer").post(
            reverse("funding:import"), {"funder": funding["orebro"].pk, "file": upload, "apply": "1"}
        )
        assert "CSV-fil" in response.content.decode()

    @pytest.mark.parametrize("role, status", [("anonymous", 302), ("rep", 403), ("officer", 200)])
    def test_access(self, funding, role, status):
        assert _client(funding, role).get(reverse("funding:import")).status_code == status
        if status == 200:
            template = _client(funding, role).get(reverse("funding:import-template"))
            assert b"diarienummer" in template.content


@pytest.mark.django_db
class TestStatisticsPage:
    def test_charts_and_tables(self, funding, make_decision):
        make_decision(year_from=2024, amount_granted=Decimal("1000"))
        make_decision(year_from=2025, amount_granted=Decimal("2000"), grant_form="operating")
        services.grant_figures_compute()
        page = Client().get(reverse("funding:statistics") + "?dimension=funder&year=2025").content.decode()
        assert page.count('role="img"') == 3
        assert "Örebro kommun" in page and "<caption>" in page

    def test_recompute_is_the_regions(self, funding):
        assert _client(funding, "officer").post(reverse("funding:statistics-compute")).status_code == 403
        assert _client(funding, "admin").post(reverse("funding:statistics-compute")).status_code == 302

    def test_empty(self, funding):
        assert "Ingen statistik" in Client().get(reverse("funding:statistics")).content.decode()


@pytest.mark.django_db
class TestOrganisationPageAndSubscriptions:
    def test_open_calls_on_the_organisation_page(self, funding, call, make_decision):
        make_decision()
        own = funding["own_org"]
        page = Client().get(own.get_absolute_url()).content.decode()
        assert "Aktivitetsstöd hösten" in page
        assert reverse("funding:subscriptions", args=[own.orgnr]) not in page  # anonymous: no subscribing
        page = _client(funding, "rep").get(own.get_absolute_url()).content.decode()
        assert reverse("funding:subscriptions", args=[own.orgnr]) in page
        other = Client().get(funding["other_org"].get_absolute_url()).content.decode()
        assert "Aktivitetsstöd hösten" not in other  # a Kumla organisation may not apply to Örebro's grant

    def test_subscribe_and_unsubscribe_by_link(self, funding, call, django_capture_on_commit_callbacks):
        own = funding["own_org"]
        client = _client(funding, "rep")
        url = reverse("funding:subscriptions", args=[own.orgnr])
        assert client.post(url, {"email": "styrelsen@example.se"}).status_code == 302
        subscription = CallSubscription.objects.get()
        assert _client(funding, "plain").get(url).status_code == 403
        new = services.funding_call_create(
            actor=None,
            data=services.FundingCallData(source=funding["orebro_source"], title="Ny", schedule="continuous"),
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.funding_call_change_status(actor=None, call=new, status="published")
        assert mail.outbox[0].to == ["styrelsen@example.se"]
        unsubscribe = reverse("funding:unsubscribe", args=[subscription.token])
        assert unsubscribe in mail.outbox[0].body
        assert "styrelsen@example.se" in Client().get(unsubscribe).content.decode()
        assert Client().post(unsubscribe).status_code == 200
        assert not CallSubscription.objects.exists()
        assert Client().get(unsubscribe).status_code == 404


@pytest.mark.django_db
def test_recipient_invitation_list_with_a_text_search(funding, make_decision):
    """The recipients' addresses for inviting them to the dialogue meetings: staff only, and the
    register's text search works there too (it once answered 500 on any search)."""
    for key, address in (("own_org", "kansli@exempel.se"), ("other_org", "andra@exempel.se")):
        funding[key].email = address
        funding[key].save(update_fields=["email"])
    make_decision(case_number="KS 1", purpose="Läxhjälp")
    make_decision(case_number="KS 2", purpose="Fotboll", recipient=funding["other_org"])
    url = reverse("funding:register-recipients")
    text = _client(funding, "admin").get(url + "?q=läxhjälp").content.decode("utf-8-sig")
    assert "kansli@exempel.se" in text and "andra@exempel.se" not in text
    assert "andra@exempel.se" in _client(funding, "admin").get(url).content.decode("utf-8-sig")
    hostile = "?q=99999999999999999999&page=99999999999999999999&year=99999999999999999999"
    assert _client(funding, "admin").get(url + hostile).status_code == 200
    assert _client(funding, "rep").get(url).status_code == 403
