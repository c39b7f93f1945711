"""Writes of the market app: who may do them, what they write, and that bad input writes nothing."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from civsam.core.models import AuditEntry
from civsam.market import selectors, services
from civsam.market.models import Offer, Procurement, SpendInvoice, SpendShare, SpendUpload
from civsam.registry import orgnr as orgnr_rules

pytestmark = pytest.mark.django_db


def _offer_data(market, **changes):
    data = {
        "title": "Städning av lokaler",
        "kind": "service",
        "category": "cleaning",
        "description": "Städ med handledda arbetslag.",
        "municipalities": [market["orebro"]],
    }
    return services.OfferData(**{**data, **changes})


# --- Offers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("rep", True),
        ("officer", True),
        ("admin", True),
        ("officer_kumla", False),
        ("plain", False),
        ("reviewer", False),
    ],
)
def test_who_may_publish_an_offer_for_the_organisation(market, who, allowed):
    if allowed:
        offer = services.offer_create(actor=market[who], organisation=market["social"], data=_offer_data(market))
        assert offer.organisation == market["social"]
        assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_id=str(offer.pk)).exists()
    else:
        with pytest.raises(PermissionDenied):
            services.offer_create(actor=market[who], organisation=market["social"], data=_offer_data(market))
        assert not Offer.objects.filter(title="Städning av lokaler").exists()


@pytest.mark.parametrize(
    ("who", "allowed"), [("rep", True), ("officer", True), ("officer_kumla", False), ("plain", False)]
)
def test_who_may_keep_the_listing_current(market, who, allowed):
    offer = market["offer"]
    Offer.objects.filter(pk=offer.pk).update(confirmed_on=datetime.date(2020, 1, 1))
    offer.refresh_from_db()
    if allowed:
        services.offer_update(actor=market[who], offer=offer, data=_offer_data(market, title="Ny rubrik"))
        offer.refresh_from_db()
        assert offer.title == "Ny rubrik"
        assert offer.confirmed_on > datetime.date(2020, 1, 1)
    else:
        with pytest.raises(PermissionDenied):
            services.offer_update(actor=market[who], offer=offer, data=_offer_data(market, title="Ny rubrik"))
        with pytest.raises(PermissionDenied):
            services.offer_confirm(actor=market[who], offer=offer)


def test_an_offer_needs_a_title_category_and_a_municipality(market):
    with pytest.raises(ValidationError) as caught:
        services.offer_create(
            actor=market["rep"],
            organisation=market["social"],
            data=_offer_data(market, title=" ", category="x", municipalities=[]),
        )
    assert set(caught.value.message_dict) == {"title", "category", "municipalities"}


def test_search_finds_swedish_word_forms_and_filters(market):
    user = market["anonymous"]
    assert list(selectors.offer_list(user=user, filters=selectors.OfferFilter(q="luncher"))) == [market["offer"]]
    assert list(selectors.offer_list(user=user, filters=selectors.OfferFilter(q="arbetsträningen"))) == [
        market["offer"]
    ]
    assert not selectors.offer_list(user=user, filters=selectors.OfferFilter(q="snöröjning")).exists()
    assert list(selectors.offer_list(user=user, filters=selectors.OfferFilter(verified="work_integrating"))) == [
        market["offer"]
    ]
    assert not selectors.offer_list(user=user, filters=selectors.OfferFilter(verified="social_enterprise")).exists()
    assert not selectors.offer_list(user=user, filters=selectors.OfferFilter(municipality="1881")).exists()


def test_an_unpublished_offer_is_seen_only_by_those_who_keep_it(market):
    offer = services.offer_create(
        actor=market["rep"], organisation=market["social"], data=_offer_data(market, is_published=False)
    )
    assert offer in selectors.offer_list(user=market["rep"])
    assert offer not in selectors.offer_list(user=market["anonymous"])
    assert offer not in selectors.offer_list(user=market["officer_kumla"])


def test_contact_mail_goes_out_on_commit(market, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_message_send(
            actor=None,
            offer=market["offer"],
            sender_name="Ina Inköpare",
            sender_email="ina@kumla.example",
            sender_organisation="Kumla kommun",
            message="Kan ni leverera 80 luncher i maj?",
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["info@returverket.example", "rep@example.se"]
    assert all(m.reply_to == ["ina@kumla.example"] for m in mail.outbox)
    assert "80 luncher" in mail.outbox[0].body


def test_contact_needs_a_reply_address(market):
    with pytest.raises(ValidationError) as caught:
        services.offer_message_send(
            actor=None, offer=market["offer"], sender_name="", sender_email="x", sender_organisation="", message=""
        )
    assert set(caught.value.message_dict) == {"sender_name", "sender_email", "message"}


def test_yearly_reminder(market, django_capture_on_commit_callbacks):
    today = datetime.date(2027, 6, 1)
    Offer.objects.filter(pk=market["offer"].pk).update(confirmed_on=datetime.date(2026, 5, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.offer_reminders_send(today=today) == 1
    assert len(mail.outbox) == 2
    # Reminded once a year, not every night.
    assert services.offer_reminders_send(today=today + datetime.timedelta(days=1)) == 0
    assert services.offer_reminders_send(today=today + datetime.timedelta(days=366)) == 1


def test_the_reminder_is_a_scheduled_job():
    from django.core.management import get_commands

    from civsam.core.schedule import JOBS

    assert "remind_offer_owners" in {job.command for job in JOBS}
    assert "remind_offer_owners" in get_commands()


# --- Procurement ------------------------------------------------------------------------------


def _procurement(**changes):
    data = {
        "title": "Lokalvård i förskolor",
        "procedure": "open",
        "status": "awarded",
        "estimated_value": Decimal("1200000"),
        "reservation": "lou_4_18",
        "awarded_on": datetime.date(2024, 3, 1),
        "contract_start": datetime.date(2024, 4, 1),
        "contract_end": datetime.date(2026, 3, 31),
        "employment_requirement": True,
        "employment_requirement_text": "Två personer som står långt från arbetsmarknaden anställs.",
        "lots": [services.LotData(number=1, title="Norr", reserved=True)],
        "awards": [services.AwardData(supplier_name="Returverket", supplier_orgnr="", lot_number=1)],
    }
    return services.ProcurementData(**{**data, **changes})


@pytest.mark.parametrize(
    ("who", "allowed"), [("officer", True), ("admin", True), ("officer_kumla", False), ("rep", False), ("plain", False)]
)
def test_who_may_record_a_municipalitys_procurement(market, who, allowed):
    if allowed:
        procurement = services.procurement_create(actor=market[who], buyer=market["buyer_orebro"], data=_procurement())
        assert procurement.lots.count() == 1 and procurement.awards.get().lot.number == 1
    else:
        with pytest.raises(PermissionDenied):
            services.procurement_create(actor=market[who], buyer=market["buyer_orebro"], data=_procurement())
        assert not Procurement.objects.exists()


def test_a_municipal_company_is_a_buyer_for_its_municipalitys_officers(market):
    buyer = services.buyer_get_or_create(organisation=market["company"])
    services.procurement_create(actor=market["officer_kumla"], buyer=buyer, data=_procurement())
    with pytest.raises(PermissionDenied):
        services.procurement_create(actor=market["officer"], buyer=buyer, data=_procurement())


def test_only_a_public_organisation_can_be_a_buyer(market):
    with pytest.raises(ValidationError):
        services.buyer_get_or_create(organisation=market["social"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"procedure": "lottery"}, "procedure"),
        ({"reservation": "lou_1_1"}, "reservation"),
        ({"contract_end": datetime.date(2020, 1, 1)}, "contract_end"),
        ({"employment_requirement_text": ""}, "employment_requirement_text"),
        ({"awards": []}, "awards"),
        ({"awards": [services.AwardData(supplier_name="X", supplier_orgnr="123")]}, "awards"),
        ({"awards": [services.AwardData(supplier_name="X", lot_number=9)]}, "awards"),
        ({"lots": [services.LotData(number=1, title="A"), services.LotData(number=1, title="B")]}, "lots"),
    ],
)
def test_procurement_validation(market, changes, field):
    with pytest.raises(ValidationError) as caught:
        services.procurement_create(actor=market["officer"], buyer=market["buyer_orebro"], data=_procurement(**changes))
    assert field in caught.value.message_dict
    assert not Procurement.objects.exists()


# --- Spend files -------------------------------------------------------------------------------


def _csv(rows):
    lines = ["köpare;leverantör orgnr;belopp;datum", *(";".join(row) for row in rows)]
    return io.BytesIO("\n".join(lines).encode("utf-8"))


def test_spend_file_layers_per_year(market):
    social_orgnr = market["social"].orgnr
    ideell = orgnr_rules.complete("802999111")  # not in the register: first digit 8
    company = orgnr_rules.complete("556999111")
    services.procurement_create(
        actor=None,
        buyer=market["buyer_orebro"],
        data=_procurement(awards=[services.AwardData(supplier_name="Bolaget", supplier_orgnr=company)]),
    )
    result = services.spend_file_import(
        actor=market["officer"],
        buyer=market["buyer_orebro"],
        file=_csv(
            [
                ("1880", social_orgnr, "1000", "2024-02-01"),
                ("Örebro", ideell, "500", "2024-03-01"),
                ("Örebro kommun", company, "2500", "2024-05-01"),
                ("1880", "19800101-1234", "1000", "2024-05-01"),  # a sole trader
                ("1880", company, "4000", "2023-05-01"),  # before the reserved contract
            ]
        ),
        file_name="inkop.csv",
    )
    assert result.errors == []
    figures = {(s.year, s.layer): s.amount for s in SpendShare.objects.filter(buyer=market["buyer_orebro"])}
    assert figures[(2024, "total")] == Decimal("5000")
    assert figures[(2024, "cooperative")] == Decimal("1000")
    assert figures[(2024, "work_integrating")] == Decimal("1000")
    assert figures[(2024, "nonprofit")] == Decimal("500")
    assert figures[(2024, "reserved")] == Decimal("2500")
    assert figures[(2023, "reserved")] == Decimal("0")
    assert figures[(2024, "iop")] == Decimal("0")  # no IOP with the buyer
    assert not SpendInvoice.objects.exists()  # only aggregates unless the buyer chooses otherwise


def test_a_bad_row_writes_nothing(market):
    good = ("1880", market["social"].orgnr, "1000", "2024-02-01")
    services.spend_file_import(
        actor=market["officer"], buyer=market["buyer_orebro"], file=_csv([good]), file_name="a.csv"
    )
    before = list(SpendShare.objects.values_list("pk", "amount"))
    result = services.spend_file_import(
        actor=market["officer"],
        buyer=market["buyer_orebro"],
        file=_csv([good, ("1880", market["social"].orgnr, "mycket", "2024-02-01")]),
        file_name="b.csv",
        keep_rows=True,
    )
    assert result.upload is None
    assert result.errors == ["Rad 3: beloppet ”mycket” är inte ett belopp i kronor."]
    assert list(SpendShare.objects.values_list("pk", "amount")) == before
    assert SpendUpload.objects.count() == 1 and not SpendInvoice.objects.exists()


def test_a_new_file_replaces_its_years_and_can_keep_rows(market):
    orgnr = market["social"].orgnr
    services.spend_file_import(
        actor=None,
        buyer=market["buyer_orebro"],
        file=_csv([("1880", orgnr, "100", "2023-01-01"), ("1880", orgnr, "100", "2024-01-01")]),
        file_name="a.csv",
    )
    services.spend_file_import(
        actor=None,
        buyer=market["buyer_orebro"],
        file=_csv([("1880", orgnr, "700", "2024-06-01")]),
        file_name="b.csv",
        keep_rows=True,
    )
    totals = dict(SpendShare.objects.filter(layer="total").values_list("year", "amount"))
    assert totals == {2023: Decimal("100"), 2024: Decimal("700")}
    assert list(SpendInvoice.objects.values_list("supplier_orgnr", "amount")) == [(orgnr, Decimal("700"))]


@pytest.mark.parametrize(("who", "allowed"), [("officer", True), ("officer_kumla", False), ("rep", False)])
def test_who_may_upload_a_buyers_spend(market, who, allowed):
    upload = lambda: services.spend_file_import(  # noqa: E731
        actor=market[who],
        buyer=market["buyer_orebro"],
        file=_csv([("1880", market["social"].orgnr, "1", "2024-01-01")]),
        file_name="a.csv",
    )
    if allowed:
        assert upload().upload is not None
    else:
        with pytest.raises(PermissionDenied):
            upload()
        assert not SpendShare.objects.exists()


def test_the_iop_layer_counts_parties_to_an_iop_in_force_with_the_buyer(market, make_org):
    """The seam to the agreements app: payments to an accepted party of a signed IOP with the
    municipality's own body, in the agreement's years only; a declined party and another kind of
    agreement do not count."""
    from civsam.agreements.models import Agreement, Party
    from civsam.core.models import LegalForm

    kommun = make_org(name="Örebro kommun", legal_form=LegalForm.objects.get(code="82"), municipality="1880")
    other = make_org(name="Föreningen Bredvid", legal_form=LegalForm.objects.get(code="61"))

    def agreement(kind: str, starts: datetime.date, ends: datetime.date) -> Agreement:
        made = Agreement.objects.create(
            title=f"{kind} {starts.year}",
            kind=kind,
            owner=kommun,
            challenge="Mötesplatser",
            starts_on=starts,
            ends_on=ends,
            status=Agreement.Status.ACTIVE,
            signed_on=starts,
        )
        Party.objects.create(agreement=made, organisation=kommun, role="public", status="accepted")
        return made

    iop = agreement(Agreement.Kind.IOP, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    Party.objects.create(agreement=iop, organisation=market["social"], role="ideburen", status="accepted")
    Party.objects.create(agreement=iop, organisation=other, role="ideburen", status="declined")
    local = agreement(Agreement.Kind.LOCAL, datetime.date(2024, 1, 1), datetime.date(2025, 12, 31))
    Party.objects.create(agreement=local, organisation=other, role="ideburen", status="accepted")

    found = selectors.iop_suppliers(market["buyer_orebro"], [2023, 2024, 2025])
    assert found == {2023: frozenset(), 2024: frozenset({market["social"].orgnr}), 2025: frozenset()}

    result = services.spend_file_import(
        actor=market["officer"],
        buyer=market["buyer_orebro"],
        file=_csv(
            [
                ("1880", market["social"].orgnr, "1000", "2024-02-01"),
                ("1880", market["social"].orgnr, "700", "2025-02-01"),  # after the IOP ran out
                ("1880", other.orgnr, "300", "2024-02-01"),  # declined the IOP
            ]
        ),
        file_name="inkop.csv",
    )
    assert result.errors == []
    figures = {(s.year, s.layer): s.amount for s in SpendShare.objects.filter(buyer=market["buyer_orebro"])}
    assert figures[(2024, "iop")] == Decimal("1000")
    assert figures[(2025, "iop")] == Decimal("0")
