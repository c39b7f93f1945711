"""Services for funders, sources, calls and subscriptions; the reference load; the notices."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from civsam.core.models import AuditEntry, LegalForm, Municipality
from civsam.funding import services
from civsam.funding.models import CallSubscription, Funder, FundingCall, FundingSource
from civsam.funding.services import sources as source_services

TODAY = datetime.date.today()


def _source_data(source: FundingSource, **changes) -> services.FundingSourceData:
    fields = {name: getattr(source, name) for name in source_services.SCALARS}
    fields.update(
        funder=source.funder,
        eligible_legal_forms=tuple(source.eligible_legal_forms.all()),
        eligible_municipalities=tuple(source.eligible_municipalities.all()),
        eligible_activity_classes=tuple(source.eligible_activity_classes.all()),
    )
    fields.update(changes)
    return services.FundingSourceData(**fields)


@pytest.mark.django_db
class TestReferenceLoad:
    def test_loads_the_named_sources_and_a_funder_per_municipality(self, funding):
        keys = set(FundingSource.objects.values_list("reference_key", flat=True))
        for key in (
            "regionens-foreningsstod",
            "utvecklingsmedel-social-innovation",
            "regionala-1-1-medel",
            "esf-plus",
            "eruf",
            "interreg",
            "erasmus-plus",
            "allmanna-arvsfonden",
            "mikrofonden",
            "foreningsbidrag-1880",
        ):
            assert key in keys
        assert Funder.objects.filter(kind=Funder.Kind.MUNICIPALITY).count() == 12
        assert Funder.objects.get(municipality__code="1814").name == "Lekebergs kommun"
        assert Funder.objects.get(municipality__code="1880").name == "Örebro kommun"
        innovation = funding["innovation"]
        assert innovation.co_financing_min_share == Decimal("50")
        assert "330" in innovation.co_financing_rules
        assert list(funding["orebro_source"].eligible_municipalities.values_list("code", flat=True)) == ["1880"]

    def test_second_load_changes_nothing(self, funding):
        before = AuditEntry.objects.count()
        result = services.funding_sources_load_reference()
        assert (result.funders_created, result.created, result.updated) == (0, 0, 0)
        assert AuditEntry.objects.count() == before

    def test_staff_edits_are_never_overwritten(self, funding, monkeypatch):
        source = funding["innovation"]
        services.funding_source_update(
            actor=funding["admin"],
            source=source,
            data=_source_data(
                source, description="Vår egen text", eligible_legal_forms=(LegalForm.objects.get(code="61"),)
            ),
        )
        document = source_services._reference_items()
        for item in document["sources"]:
            if item["key"] == "utvecklingsmedel-social-innovation":
                item["description"] = "Ny text i referensfilen"
                item["name"] = "Utvecklingsmedel för social innovation (nytt namn)"
                item["legal_forms"] = ["51"]
        monkeypatch.setattr(source_services, "_reference_items", lambda: document)
        result = services.funding_sources_load_reference()
        source.refresh_from_db()
        assert source.description == "Vår egen text"  # staff's
        assert list(source.eligible_legal_forms.values_list("code", flat=True)) == ["61"]  # staff's
        assert source.name == "Utvecklingsmedel för social innovation (nytt namn)"  # untouched by staff: follows
        assert result.updated == 1
        assert "utvecklingsmedel-social-innovation: description" in result.kept

    def test_command(self, funding, capsys):
        call_command("load_funding_sources")
        assert "0 nya" in capsys.readouterr().out


@pytest.mark.django_db
class TestSources:
    def test_officer_creates_for_own_municipality_only(self, funding):
        data = services.FundingSourceData(funder=funding["orebro"], slug="ny-kalla", name="Ny källa")
        source = services.funding_source_create(actor=funding["officer"], data=data)
        assert AuditEntry.objects.filter(object_id=str(source.pk), action="create").exists()
        with pytest.raises(PermissionDenied):
            services.funding_source_create(
                actor=funding["officer_kumla"],
                data=services.FundingSourceData(funder=funding["orebro"], slug="x", name="X"),
            )

    def test_moving_a_source_needs_both_funders(self, funding):
        with pytest.raises(PermissionDenied):
            services.funding_source_update(
                actor=funding["officer"],
                source=funding["orebro_source"],
                data=_source_data(funding["orebro_source"], funder=funding["kumla"]),
            )

    def test_update_writes_a_diff(self, funding):
        source = funding["orebro_source"]
        services.funding_source_update(
            actor=funding["officer"],
            source=source,
            data=_source_data(
                source, eligible_municipalities=tuple(Municipality.objects.filter(code__in=["1880", "1881"]))
            ),
        )
        entry = AuditEntry.objects.filter(object_id=str(source.pk), action="update").latest("at")
        assert entry.changes["eligible_municipalities"] == [["1880"], ["1880", "1881"]]

    def test_share_is_a_percentage(self, funding):
        with pytest.raises(ValidationError):
            services.funding_source_update(
                actor=None,
                source=funding["orebro_source"],
                data=_source_data(funding["orebro_source"], co_financing_min_share=Decimal("120")),
            )


def _call(funding, **fields):
    fields.setdefault("source", funding["orebro_source"])
    fields.setdefault("title", "Aktivitetsstöd")
    if fields.get("schedule", "dated") == "dated":
        fields.setdefault("opens_on", TODAY - datetime.timedelta(days=1))
        fields.setdefault("deadline", TODAY + datetime.timedelta(days=30))
    return services.funding_call_create(actor=None, data=services.FundingCallData(**fields))


@pytest.mark.django_db
class TestCalls:
    def test_workflow(self, funding):
        call = _call(funding)
        assert call.status == FundingCall.Status.DRAFT
        call = services.funding_call_change_status(actor=funding["officer"], call=call, status="published")
        call = services.funding_call_change_status(actor=funding["officer"], call=call, status="closed")
        call = services.funding_call_change_status(actor=funding["officer"], call=call, status="published")
        with pytest.raises(ValidationError, match="kan inte ändras"):
            services.funding_call_change_status(actor=funding["officer"], call=call, status="draft")
        with pytest.raises(PermissionDenied):
            services.funding_call_change_status(actor=funding["officer_kumla"], call=call, status="cancelled")
        actions = list(
            AuditEntry.objects.filter(object_id=str(call.pk), action="update").values_list("note", flat=True)
        )
        assert sorted(actions) == ["close", "publish", "reopen"]

    @pytest.mark.parametrize(
        "fields, field",
        [
            ({"schedule": "dated", "deadline": None}, "deadline"),
            ({"schedule": "yearly", "yearly_opens": "13-01", "yearly_deadline": "03-01"}, "yearly_opens"),
            ({"opens_on": TODAY, "deadline": TODAY - datetime.timedelta(days=1)}, "opens_on"),
        ],
    )
    def test_invalid_dates(self, funding, fields, field):
        with pytest.raises(ValidationError) as error:
            _call(funding, **fields)
        assert field in error.value.error_dict


@pytest.mark.django_db
class TestNotices:
    def test_publishing_an_open_call_tells_eligible_subscribers_once(self, funding, django_capture_on_commit_callbacks):
        services.call_subscription_create(actor=funding["rep"], organisation=funding["own_org"], email="rep@example.se")
        services.call_subscription_create(
            actor=funding["officer_kumla"], organisation=funding["other_org"], email="kumla@example.se"
        )
        call = _call(funding)  # Örebro's association grant: the Kumla organisation may not apply
        with django_capture_on_commit_callbacks(execute=True):
            services.funding_call_change_status(actor=funding["officer"], call=call, status="published")
        assert [m.to for m in mail.outbox] == [["rep@example.se"]]
        assert "Aktivitetsstöd" in mail.outbox[0].subject
        assert "/finansiering/avsluta-bevakning/" in mail.outbox[0].body
        with django_capture_on_commit_callbacks(execute=True):
            assert services.call_notices_send(today=TODAY) == 0
        assert len(mail.outbox) == 1

    def test_a_call_opening_later_is_told_by_the_daily_command(self, funding, django_capture_on_commit_callbacks):
        services.call_subscription_create(actor=funding["rep"], organisation=funding["own_org"], email="rep@example.se")
        opens = TODAY + datetime.timedelta(days=3)
        call = _call(funding, opens_on=opens, deadline=opens + datetime.timedelta(days=10))
        with django_capture_on_commit_callbacks(execute=True):
            services.funding_call_change_status(actor=None, call=call, status="published")
            assert services.call_notices_send(today=TODAY) == 0
        assert mail.outbox == []
        with django_capture_on_commit_callbacks(execute=True):
            assert services.call_notices_send(today=opens) == 1
        assert len(mail.outbox) == 1
        call.refresh_from_db()
        assert call.notified_for == opens

    def test_yearly_call_is_told_again_next_year(self, funding, django_capture_on_commit_callbacks):
        services.call_subscription_create(actor=funding["rep"], organisation=funding["own_org"], email="rep@example.se")
        call = _call(funding, schedule="yearly", yearly_opens="03-01", yearly_deadline="03-31")
        services.funding_call_change_status(actor=None, call=call, status="published")
        with django_capture_on_commit_callbacks(execute=True):
            assert services.call_notices_send(today=datetime.date(2030, 3, 2)) == 1
            assert services.call_notices_send(today=datetime.date(2030, 3, 20)) == 0
            assert services.call_notices_send(today=datetime.date(2031, 3, 1)) == 1
        assert len(mail.outbox) == 2

    def test_no_mail_if_the_transaction_rolls_back(self, funding, django_capture_on_commit_callbacks):
        services.call_subscription_create(actor=funding["rep"], organisation=funding["own_org"], email="rep@example.se")
        call = _call(funding)
        with django_capture_on_commit_callbacks(execute=False):
            services.funding_call_change_status(actor=None, call=call, status="published")
        assert mail.outbox == []

    def test_command(self, funding, capsys):
        call_command("send_call_notices")
        assert "utlysningar: 0" in capsys.readouterr().out


@pytest.mark.django_db
class TestSubscriptions:
    def test_only_who_acts_for_the_organisation(self, funding):
        for role in ("plain", "reviewer", "officer_kumla"):
            with pytest.raises(PermissionDenied):
                services.call_subscription_create(
                    actor=funding[role], organisation=funding["own_org"], email="x@example.se"
                )

    def test_idempotent_per_address_and_deleted_by_token_holder(self, funding):
        first = services.call_subscription_create(
            actor=funding["rep"], organisation=funding["own_org"], email="a@example.se"
        )
        again = services.call_subscription_create(
            actor=funding["officer"], organisation=funding["own_org"], email="A@example.se"
        )
        assert first.pk == again.pk
        assert len(first.token) >= 40
        services.call_subscription_delete(actor=None, subscription=first)
        assert not CallSubscription.objects.exists()

    def test_invalid_address(self, funding):
        with pytest.raises(ValidationError):
            services.call_subscription_create(
                actor=funding["rep"], organisation=funding["own_org"], email="inte-en-adress"
            )
