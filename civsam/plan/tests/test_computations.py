"""Computed indicators from Civsam's own data, and the scheduled recompute job."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.db.models import Sum

from civsam.core.models import Municipality
from civsam.plan import services
from civsam.plan.computations import COMPUTATIONS
from civsam.plan.models import IndicatorValue
from civsam.registry.models import Organisation


def test_organisations_per_1000_inhabitants(make_org):
    for _ in range(3):
        make_org()
    population = Municipality.objects.aggregate(p=Sum("population"))["p"]
    result = COMPUTATIONS["organisations-per-1000"].compute(2030)
    expected = (Decimal(Organisation.objects.count()) * 1000 / population).quantize(Decimal("0.01"))
    assert result.value == expected and result.value > 0
    assert "3 organisationer" in result.source
    # Organisations registered after the year are not counted for it.
    assert COMPUTATIONS["organisations-per-1000"].compute(2000).value == Decimal("0.00")


def test_sources_that_do_not_exist_report_no_data(reference_data):
    for code in ("active-iops", "grants-to-social-enterprises"):
        result = COMPUTATIONS[code].compute(2024)
        assert result.value is None and "inga data" in result.reason


def test_recompute_stores_values_and_is_idempotent(plan, make_initiative, make_org):
    make_org()
    make_initiative(progress=10)
    services.indicator_create(
        actor=None, plan=plan, code="per-1000", name_sv="Per 1000", unit="st", computation="organisations-per-1000"
    )
    services.indicator_create(
        actor=None, plan=plan, code="ongoing", name_sv="Pågående", unit="st", computation="ongoing-initiatives"
    )
    services.indicator_create(actor=None, plan=plan, code="iop", name_sv="IOP", unit="st", computation="active-iops")
    out = StringIO()
    call_command("recompute_indicators", "--year", "2024", stdout=out)
    assert IndicatorValue.objects.get(indicator__code="ongoing", year=2024).value == 1
    assert IndicatorValue.objects.get(indicator__code="per-1000", year=2024).is_computed
    assert not IndicatorValue.objects.filter(indicator__code="iop").exists()
    assert "ingen modul för IOP" in out.getvalue()
    again = StringIO()
    call_command("recompute_indicators", "--year", "2024", stdout=again)
    assert again.getvalue().count("(unchanged)") == 2
