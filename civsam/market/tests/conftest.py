"""Fixtures of the market tests: the CPV codes, public buyers and the people who act for them."""

from __future__ import annotations

import pytest


@pytest.fixture
def cpv(reference_data):
    from civsam.market.services import cpv_codes_load_reference

    cpv_codes_load_reference()


@pytest.fixture
def market(users, cpv, make_org):
    """The conftest users, Örebro kommun and the Region as buyers, and a social enterprise with an offer."""
    import datetime

    from civsam.accounts.models import Role
    from civsam.accounts.services import role_assign
    from civsam.core.models import LegalForm, Municipality
    from civsam.market import services
    from civsam.registry.models import Organisation

    orebro = Municipality.objects.get(code="1880")
    region_org = make_org(
        name="Region Örebro län",
        legal_form=LegalForm.objects.get(code="84"),
        sector=Organisation.Sector.PUBLIC,
    )
    company = make_org(
        name="Kumla Kommunbolag AB",
        legal_form=LegalForm.objects.get(code="49"),
        sector=Organisation.Sector.PUBLIC,
        municipality="1881",
    )
    social = make_org(
        name="Returverket ekonomisk förening",
        legal_form=LegalForm.objects.get(code="51"),
        sector=Organisation.Sector.SOCIAL_ECONOMY,
        email="info@returverket.example",
        work_integrating=True,
        work_integrating_source="Tillväxtverkets förteckning",
        work_integrating_verified_on=datetime.date(2026, 3, 1),
    )
    role_assign(user=users["rep"], role=Role.ORGANISATION_REP, organisation=social)
    users["rep"].email = "rep@example.se"
    users["rep"].save()
    offer = services.offer_create(
        actor=None,
        organisation=social,
        data=services.OfferData(
            title="Lunchcatering med arbetsträning",
            kind="service",
            category="food",
            description="Vi lagar vegetarisk lunch till skolor och möten, och tar emot praktikanter.",
            municipalities=[orebro],
            work_integration=True,
        ),
    )
    return {
        **users,
        "orebro": orebro,
        "buyer_orebro": services.buyer_get_or_create(municipality=orebro),
        "region_org": region_org,
        "company": company,
        "social": social,
        "offer": offer,
    }
