"""Agreements' services and rights: creating drafts, binding parties (with the right to act for
them, or their acceptance), contributions, the workflow, the legal assessment before signing an
IOP, and the de minimis ledger written on signing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civsam.agreements import permissions, services
from civsam.agreements.models import Agreement, Party
from civsam.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_create_makes_the_owner_the_first_party_and_logs(make_agreement, world):
    agreement = make_agreement()
    assert agreement.status == Agreement.Status.DRAFT
    owner = agreement.parties.get()
    assert (owner.organisation, owner.role, owner.status) == (world["kommun"], "public", "accepted")
    assert AuditEntry.objects.filter(object_id=str(agreement.pk), action="create").exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("officer", True), ("admin", True), ("officer_kumla", False), ("rep", False), ("plain", False)],
)
def test_naming_the_owner_needs_acting_for_it(make_agreement, world, who, allowed):
    """Örebro kommun is in Örebro: its officers and region administrators act for it."""
    if allowed:
        assert make_agreement(actor=world[who]).owner == world["kommun"]
    else:
        with pytest.raises(PermissionDenied):
            make_agreement(actor=world[who])
        assert not Agreement.objects.exists()


def test_naming_a_municipality_needs_acting_for_it(make_agreement, world):
    from civsam.core.models import Municipality

    kumla = Municipality.objects.get(code="1881")
    with pytest.raises(PermissionDenied):
        make_agreement(municipality=kumla)
    assert make_agreement(municipality=Municipality.objects.get(code="1880")).municipality.code == "1880"


def test_opting_out_of_the_public_list_needs_a_reason(make_agreement):
    with pytest.raises(ValidationError) as exc:
        make_agreement(is_public=False)
    assert "non_public_reason" in exc.value.error_dict
    assert make_agreement(is_public=False, non_public_reason="Skyddat boende").is_public is False


def test_a_party_one_acts_for_joins_at_once_another_is_invited(make_agreement, world):
    agreement = make_agreement()
    # The Örebro officer acts for the Örebro association (its home municipality's register).
    own = services.party_add(
        actor=world["officer"], agreement=agreement, organisation=world["own_org"], role="ideburen"
    )
    assert own.status == Party.Status.ACCEPTED
    # Kumla's association is not the Örebro officer's: it is invited.
    other = services.party_add(
        actor=world["officer"], agreement=agreement, organisation=world["other_org"], role="ideburen"
    )
    assert other.status == Party.Status.INVITED
    # Only someone who acts for Kumla's association answers.
    with pytest.raises(PermissionDenied):
        services.party_answer(actor=world["officer"], party=other, accept=True)
    with pytest.raises(PermissionDenied):
        services.party_answer(actor=world["rep"], party=other, accept=True)
    assert services.party_answer(actor=world["officer_kumla"], party=other, accept=True).status == "accepted"


def test_an_invited_party_gives_no_right_to_run_the_agreement(make_agreement, world):
    agreement = make_agreement()
    party = services.party_add(
        actor=world["officer"], agreement=agreement, organisation=world["other_org"], role="other"
    )
    assert not permissions.can_manage_agreement(world["officer_kumla"], agreement)
    # It can see the draft it is invited to, though.
    assert permissions.agreements_visible_to(world["officer_kumla"]).filter(pk=agreement.pk).exists()
    services.party_answer(actor=world["officer_kumla"], party=party, accept=True)
    assert permissions.can_manage_agreement(world["officer_kumla"], agreement)


def test_only_those_who_run_it_add_parties(make_agreement, world):
    agreement = make_agreement()
    with pytest.raises(PermissionDenied):
        services.party_add(actor=world["rep"], agreement=agreement, organisation=world["own_org"], role="ideburen")
    assert agreement.parties.count() == 1


def _ready_iop(make_agreement, world):
    agreement = make_agreement()
    services.party_add(actor=world["officer"], agreement=agreement, organisation=world["own_org"], role="ideburen")
    return agreement


def test_signing_an_iop_is_refused_until_the_assessment_is_complete(make_agreement, world, complete_assessment):
    agreement = _ready_iop(make_agreement, world)
    services.agreement_transition(actor=world["officer"], agreement=agreement, action="submit")
    with pytest.raises(ValidationError, match="rättsliga bedömningen"):
        services.agreement_transition(actor=world["officer"], agreement=agreement, action="sign")
    complete_assessment(agreement, world["officer"], memo="")
    with pytest.raises(ValidationError, match="promemorian"):
        services.agreement_transition(actor=world["officer"], agreement=agreement, action="sign")
    complete_assessment(agreement, world["officer"], procurement="public_contract")
    with pytest.raises(ValidationError, match="offentligt kontrakt"):
        services.agreement_transition(actor=world["officer"], agreement=agreement, action="sign")
    complete_assessment(agreement, world["officer"])
    signed = services.agreement_transition(
        actor=world["officer"], agreement=agreement, action="sign", on=datetime.date(2026, 2, 1)
    )
    assert (signed.status, signed.signed_on) == ("active", datetime.date(2026, 2, 1))


def test_a_local_agreement_needs_no_legal_assessment(make_agreement, world):
    agreement = make_agreement(kind="local")
    services.party_add(actor=world["officer"], agreement=agreement, organisation=world["own_org"], role="ideburen")
    assert services.agreement_transition(actor=world["officer"], agreement=agreement, action="sign").status == "active"


def test_signing_needs_two_parties_and_no_open_invitations(make_agreement, world):
    agreement = make_agreement(kind="local")
    with pytest.raises(ValidationError, match="minst två parter"):
        services.agreement_transition(actor=world["officer"], agreement=agreement, action="sign")
    services.party_add(actor=world["officer"], agreement=agreement, organisation=world["own_org"], role="ideburen")
    services.party_add(actor=world["officer"], agreement=agreement, organisation=world["other_org"], role="other")
    with pytest.raises(ValidationError, match="svarat"):
        services.agreement_transition(actor=world["officer"], agreement=agreement, action="sign")


@pytest.mark.parametrize(("who", "allowed"), [("officer", True), ("admin", True), ("rep", False)])
def test_the_assessment_and_signing_are_staffs(make_agreement, world, complete_assessment, who, allowed):
    """The association's representative runs the agreement (an accepted party) but neither assesses nor signs."""
    agreement = _ready_iop(make_agreement, world)
    assert permissions.can_manage_agreement(world["rep"], agreement)
    if allowed:
        complete_assessment(agreement, world[who])
        assert services.agreement_transition(actor=world[who], agreement=agreement, action="sign").status == "active"
    else:
        with pytest.raises(PermissionDenied):
            complete_assessment(agreement, world[who])
        complete_assessment(agreement, world["officer"])
        with pytest.raises(PermissionDenied):
            services.agreement_transition(actor=world[who], agreement=agreement, action="sign")


def test_de_minimis_aid_goes_to_the_ledger_on_signing_and_the_ceiling_holds(make_agreement, world, complete_assessment):
    from civsam.registry.models import DeMinimisAid
    from civsam.registry.services import de_minimis_aid_record

    agreement = _ready_iop(make_agreement, world)
    recipient = agreement.parties.get(organisation=world["own_org"])
    aid = {
        "state_aid": "de_minimis",
        "aid_recipient": recipient,
        "sek_per_eur": Decimal("11.00"),
        "rate_source": "Riksbanken",
    }
    # Earlier aid of EUR 250 000 leaves EUR 50 000 of room; SEK 660 000 is EUR 60 000.
    de_minimis_aid_record(
        actor=None,
        organisation=world["own_org"],
        source="grant-decision:1",
        granted_on=datetime.date(2025, 3, 1),
        amount_sek=Decimal("2750000"),
        sek_per_eur=Decimal("11"),
        rate_source="Riksbanken",
        grantor="Regionen",
    )
    complete_assessment(agreement, world["officer"], aid_amount_sek=Decimal("660000"), **aid)
    with pytest.raises(ValidationError, match="tre år"):
        services.agreement_transition(
            actor=world["officer"], agreement=agreement, action="sign", on=datetime.date(2026, 1, 15)
        )
    assert DeMinimisAid.objects.filter(source=f"agreement:{agreement.pk}").count() == 0
    complete_assessment(agreement, world["officer"], aid_amount_sek=Decimal("550000"), **aid)
    services.agreement_transition(
        actor=world["officer"], agreement=agreement, action="sign", on=datetime.date(2026, 1, 15)
    )
    entry = DeMinimisAid.objects.get(source=f"agreement:{agreement.pk}")
    assert (entry.organisation, entry.amount_eur, entry.regime) == (world["own_org"], Decimal("50000.00"), "general")


def test_contributions_are_valued_and_bound_to_the_party(make_agreement, world):
    agreement = _ready_iop(make_agreement, world)
    kommun_party = agreement.parties.get(organisation=world["kommun"])
    assoc = agreement.parties.get(organisation=world["own_org"])
    row = services.contribution_add(
        actor=world["rep"],
        party=assoc,
        year=2026,
        kind="volunteer_hours",
        quantity=Decimal(400),
        rate=Decimal(250),
        rate_source="Proxybiblioteket",
    )
    assert row.value_sek == Decimal("100000.00")
    # The association's representative may not state what the municipality brings.
    with pytest.raises(PermissionDenied):
        services.contribution_add(actor=world["rep"], party=kommun_party, year=2026, kind="money", quantity=Decimal(1))
    with pytest.raises(ValidationError) as exc:
        services.contribution_add(
            actor=world["officer"], party=assoc, year=2026, kind="staff_hours", quantity=Decimal(5)
        )
    assert "rate" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.contribution_add(
            actor=world["officer"],
            party=assoc,
            year=2026,
            kind="volunteer_hours",
            quantity=Decimal(5),
            rate=Decimal(200),
        )
    assert "rate_source" in exc.value.error_dict


def test_terminating_needs_a_reason_and_ends_the_agreement(make_agreement, world):
    agreement = make_agreement(kind="other")
    services.party_add(actor=world["officer"], agreement=agreement, organisation=world["own_org"], role="ideburen")
    services.agreement_transition(
        actor=world["officer"], agreement=agreement, action="sign", on=datetime.date(2026, 1, 1)
    )
    with pytest.raises(ValidationError):
        services.agreement_transition(actor=world["rep"], agreement=agreement, action="terminate")
    done = services.agreement_transition(
        actor=world["rep"],
        agreement=agreement,
        action="terminate",
        reason="Föreningen upphör",
        on=datetime.date(2026, 6, 30),
    )
    assert (done.status, done.ended_on) == ("terminated", datetime.date(2026, 6, 30))
    with pytest.raises(ValidationError):
        services.agreement_update(
            actor=world["officer"], agreement=done, changes=services.AgreementChanges(title="Nytt")
        )


def test_a_signed_agreement_keeps_its_terms(make_agreement, world):
    agreement = make_agreement(kind="local")
    services.party_add(actor=world["officer"], agreement=agreement, organisation=world["own_org"], role="ideburen")
    services.agreement_transition(actor=world["officer"], agreement=agreement, action="sign")
    with pytest.raises(ValidationError):
        services.agreement_update(
            actor=world["officer"], agreement=agreement, changes=services.AgreementChanges(challenge="x")
        )
    changed = services.agreement_update(
        actor=world["officer"], agreement=agreement, changes=services.AgreementChanges(case_number="26KS123")
    )
    assert changed.case_number == "26KS123"


def test_changing_the_owner_needs_both_bodies(make_agreement, world):
    agreement = make_agreement()
    with pytest.raises(PermissionDenied):
        services.agreement_update(
            actor=world["officer"], agreement=agreement, changes=services.AgreementChanges(owner=world["other_org"])
        )
    changed = services.agreement_update(
        actor=world["admin"], agreement=agreement, changes=services.AgreementChanges(owner=world["other_org"])
    )
    assert changed.parties.filter(organisation=world["other_org"], status="accepted").exists()


@pytest.mark.parametrize(
    ("starts", "ends", "ended", "year", "counted"),
    [
        (datetime.date(2025, 3, 1), None, None, 2025, 1),
        (datetime.date(2025, 3, 1), None, None, 2024, 0),
        (datetime.date(2022, 1, 1), datetime.date(2024, 12, 31), None, 2025, 0),
        (datetime.date(2022, 1, 1), None, datetime.date(2025, 1, 10), 2025, 1),
        (datetime.date(2022, 1, 1), None, datetime.date(2025, 1, 10), 2026, 0),
    ],
)
def test_active_iops_indicator(make_agreement, world, complete_assessment, starts, ends, ended, year, counted):
    from civsam.plan.computations import get

    agreement = make_agreement(starts_on=starts, ends_on=ends)
    services.party_add(actor=world["officer"], agreement=agreement, organisation=world["own_org"], role="ideburen")
    complete_assessment(agreement, world["officer"])
    services.agreement_transition(actor=world["officer"], agreement=agreement, action="sign", on=starts)
    if ended:
        services.agreement_transition(actor=world["officer"], agreement=agreement, action="end", on=ended)
    # A draft IOP and a signed local agreement never count.
    make_agreement(starts_on=starts)
    computation = get("active-iops")
    assert computation is not None and not computation.placeholder
    assert computation.run(year).value == Decimal(counted)


def test_follow_up_reports_once_signed_within_the_term(make_agreement, world):
    agreement = make_agreement(kind="local", ends_on=datetime.date(2027, 12, 31))
    services.party_add(actor=world["officer"], agreement=agreement, organisation=world["own_org"], role="ideburen")
    with pytest.raises(ValidationError):
        services.report_save(actor=world["rep"], agreement=agreement, year=2026, activities="x")
    services.agreement_transition(actor=world["officer"], agreement=agreement, action="sign")
    with pytest.raises(ValidationError):
        services.report_save(actor=world["rep"], agreement=agreement, year=2029, activities="x")
    report = services.report_save(
        actor=world["rep"], agreement=agreement, year=2026, activities="Öppet tre dagar i veckan."
    )
    again = services.report_save(actor=world["rep"], agreement=agreement, year=2026, activities="Öppet fyra dagar.")
    assert report.pk == again.pk and again.activities == "Öppet fyra dagar."
    with pytest.raises(PermissionDenied):
        services.report_save(actor=world["officer_kumla"], agreement=agreement, year=2026, activities="x")


def test_documents_are_checked_by_content(make_agreement, world):
    import io

    agreement = make_agreement()
    with pytest.raises(ValidationError) as exc:
        services.document_add(
            actor=world["officer"],
            agreement=agreement,
            title="Avtal",
            name="avtal.pdf",
            stream=io.BytesIO(b"MZ not a pdf"),
            size=12,
        )
    assert "file" in exc.value.error_dict
    assert not agreement.documents.exists()


def test_group_members_are_named_by_those_who_act_for_their_party(make_agreement, world):
    agreement = make_agreement()
    services.party_add(actor=world["officer"], agreement=agreement, organisation=world["other_org"], role="other")
    other = agreement.parties.get(organisation=world["other_org"])
    services.party_answer(actor=world["officer_kumla"], party=other, accept=True)
    group = services.group_add(actor=world["officer"], agreement=agreement, kind="steering", name="Styrgrupp")
    kommun_party = agreement.parties.get(organisation=world["kommun"])
    with pytest.raises(PermissionDenied):
        services.group_member_add(actor=world["officer_kumla"], group=group, party=kommun_party, name="Anna")
    member = services.group_member_add(
        actor=world["officer_kumla"], group=group, party=other, name="Bo", position="Ledamot"
    )
    assert member.party == other
