"""Fixtures of the funding tests: the reference funders and sources, decisions, files."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest


@pytest.fixture
def funding(users):
    """The reference funders and sources, loaded as at start-up, and the users of every role."""
    from civsam.funding.models import Funder, FundingSource
    from civsam.funding.services import funding_sources_load_reference

    funding_sources_load_reference()
    return {
        **users,
        "region": Funder.objects.get(reference_key="region"),
        "orebro": Funder.objects.get(municipality__code="1880"),
        "kumla": Funder.objects.get(municipality__code="1881"),
        "arvsfonden": Funder.objects.get(reference_key="arvsfonden"),
        "orebro_source": FundingSource.objects.get(reference_key="foreningsbidrag-1880"),
        "kumla_source": FundingSource.objects.get(reference_key="foreningsbidrag-1881"),
        "innovation": FundingSource.objects.get(reference_key="utvecklingsmedel-social-innovation"),
    }


@pytest.fixture
def make_decision(funding):
    """A decision through the service; keyword arguments override the defaults."""
    from civsam.funding.services import GrantDecisionData, grant_decision_create

    counter = {"n": 0}

    def make(**fields):
        counter["n"] += 1
        fields.setdefault("funder", funding["orebro"])
        fields.setdefault("recipient", funding["own_org"])
        fields.setdefault("case_number", f"KS 2025/{counter['n']}")
        fields.setdefault("amount_granted", Decimal("10000"))
        fields.setdefault("year_from", 2025)
        fields.setdefault("year_to", fields["year_from"])
        fields.setdefault("decision_date", datetime.date(fields["year_from"] - 1, 12, 1))
        return grant_decision_create(actor=None, data=GrantDecisionData(**fields))

    return make


def csv_bytes(rows: list[list[str]], *, delimiter: str = ";") -> bytes:
    return ("\n".join(delimiter.join(row) for row in rows) + "\n").encode("utf-8")


HEADER = [
    "diarienummer",
    "organisationsnummer",
    "mottagare",
    "program",
    "bidragsform",
    "sökt belopp",
    "beviljat belopp",
    "utbetalt belopp",
    "år",
    "beslutsdatum",
    "ändamål",
]


TODAY = datetime.date.today()
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def programmes(funding):
    """The two shipped programmes, each with this year's budget and an open call with a budget."""
    from civsam.funding import services
    from civsam.funding.models import FundingCall, Programme

    innovation = Programme.objects.get(reference_key="utvecklingsmedel-social-innovation")
    association = Programme.objects.get(reference_key="regionens-foreningsstod")
    made = {}
    for key, programme, budget in (("innovation", innovation, "200000"), ("association", association, "600000")):
        services.programme_budget_set(actor=None, programme=programme, year=TODAY.year, amount=Decimal("1000000"))
        call = services.funding_call_create(
            actor=None,
            data=services.FundingCallData(
                source=programme.source,
                title=f"{programme.name} {TODAY.year}",
                opens_on=TODAY - datetime.timedelta(days=5),
                deadline=TODAY + datetime.timedelta(days=30),
                programme=programme,
                budget=Decimal(budget),
                budget_year=TODAY.year,
            ),
        )
        made[f"{key}_call"] = services.funding_call_change_status(
            actor=None, call=call, status=FundingCall.Status.PUBLISHED
        )
        made[key] = programme
    return {**funding, **made}


INNOVATION_ANSWERS = {
    "idea": "Ett språkcafé på biblioteket",
    "novelty": "Unga leder träffarna",
    "target_group": "Nyanlända unga",
    "co_financing_money": "10000.00",
    "voluntary_hours": 70,
    "start_date": (TODAY + datetime.timedelta(days=60)).isoformat(),
    "end_date": (TODAY + datetime.timedelta(days=240)).isoformat(),
}
ASSOCIATION_ANSWERS = {
    "member_municipalities": ["1880", "1881", "1882", "1861"],
    "member_count": 120,
    "activity_plan": "Träffar i hela länet",
    "regional_role": "Insatsområde 1",
    "budget_total": "400000.00",
}


@pytest.fixture
def make_application(programmes):
    """A draft (or, with submit=True, a sent) application through the services: the innovation
    programme's call by default, 30,000 kronor with enough co-financing."""
    from civsam.funding import services

    def make(*, call=None, organisation=None, amount="30000", years=1, answers=None, submit=False, actor=None, **extra):
        call = call or programmes["innovation_call"]
        if answers is None:
            answers = ASSOCIATION_ANSWERS if call.programme.slug == "regionens-foreningsstod" else INNOVATION_ANSWERS
        application = services.application_create(
            actor=actor,
            call=call,
            organisation=organisation or programmes["own_org"],
            data=services.ApplicationData(
                title=extra.get("title", "Språkcafé"),
                amount_applied=None if amount is None else Decimal(amount),
                years=years,
                answers=answers,
                contact_email=extra.get("contact_email", "styrelsen@example.se"),
            ),
        )
        if submit:
            application = services.application_submit(actor=actor, application=application)
        return application

    return make


@pytest.fixture
def in_review(make_application, programmes):
    """A sent application with one reviewer assigned (so it is in review)."""
    from civsam.funding import services

    def make(**kwargs):
        application = make_application(submit=True, **kwargs)
        services.review_assign(actor=None, application=application, reviewer=programmes["reviewer"])
        application.refresh_from_db()
        return application

    return make


def decision_data(application, *, outcome="approved", amount=None, years=None):
    from civsam.funding import services

    year = TODAY.year
    return services.DecisionData(
        outcome=outcome,
        amount_granted=Decimal(amount) if amount is not None else application.amount_applied,
        reasons="Ansökan uppfyller villkoren och stärker handlingsplanens insatsområde 2.",
        decision_maker="committee",
        decision_maker_name="Kulturnämnden",
        decision_date=TODAY,
        year_from=year,
        year_to=year + (years or application.years) - 1,
    )


@pytest.fixture
def granted(in_review):
    """A decided (approved) application with its instalments and report requirements planned."""
    from civsam.funding import services

    def make(**kwargs):
        application = in_review(**kwargs)
        services.application_decide(actor=None, application=application, data=decision_data(application))
        application.refresh_from_db()
        return application

    return make


@pytest.fixture
def paid(granted, programmes):
    """A granted application whose instalments due today are paid to a checked bankgiro."""
    from civsam.funding import services

    def make(**kwargs):
        application = granted(**kwargs)
        services.payment_account_set(
            actor=None, organisation=application.organisation, kind="bankgiro", number="5050-1055"
        )
        due = [i for i in application.instalments.all() if i.due_date <= TODAY]
        batch = services.payment_batch_create(actor=None, funder=programmes["region"], instalments=due)
        services.payment_batch_confirm(actor=None, batch=batch, paid_on=TODAY)
        application.refresh_from_db()
        return application

    return make
