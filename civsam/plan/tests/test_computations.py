"""Computed indicators from Civsam's own data, and the scheduled recompute job."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from civsam.plan import computations, services
from civsam.plan.computations import Computation, Result
from civsam.plan.models import IndicatorValue


def test_sources_that_do_not_exist_report_no_data(reference_data):
    # Every placeholder of the plan's has been replaced by the app that has the data (active IOPs by
    # agreements, ADR 0131); a placeholder still answers "no data", never a number.
    placeholder = computations._placeholder("test-missing", "Saknas", "antal", "Civsam har inga data; inga data finns.")
    assert placeholder.placeholder
    result = placeholder.compute(2024)
    assert result.value is None and "inga data" in result.reason
    assert not computations.get("active-iops").placeholder


@pytest.fixture
def registry(monkeypatch):
    """The registry as it is, restored after the test."""
    monkeypatch.setattr(computations, "_registry", dict(computations._registry))
    return computations


def _constant(value):
    return lambda year, **kwargs: Result(Decimal(value), source="test")


def test_an_app_registers_a_computation_and_replaces_a_placeholder(registry):
    own = Computation("test-count", "Test", "antal", _constant(7))
    registry.register(own)
    registry.register(own)  # a second ready() changes nothing
    assert registry.get("test-count") is own and ("test-count", "Test") in registry.computation_choices()
    with pytest.raises(ValueError):
        registry.register(Computation("test-count", "Annan", "antal", _constant(8)))
    # A placeholder ("no data yet") gives way to the app that has the data.
    registry.register(registry._placeholder("test-later", "Senare", "antal", "Kommer senare."))
    assert registry.get("test-later").placeholder
    registry.register(Computation("test-later", "Senare", "antal", _constant(3)))
    assert registry.get("test-later").compute(2024).value == 3 and not registry.get("test-later").placeholder


def test_a_computation_registered_after_import_is_offered_and_run(registry, plan, users, client):
    """Forms, services and pages read the registry when they run, not when they were imported."""
    registry.register(Computation("test-late", "Sent registrerad", "antal", _constant(5)))
    client.force_login(users["admin"])
    form = client.get(reverse("plan:indicator-create", args=[plan.slug])).context["form"]
    assert ("test-late", "Sent registrerad") in form.fields["computation"].choices
    services.indicator_create(actor=None, plan=plan, code="late", name_sv="Sen", unit="st", computation="test-late")
    services.indicators_recompute(year=2024)
    assert IndicatorValue.objects.get(indicator__code="late", year=2024).value == 5


def test_an_indicator_whose_computation_is_gone_says_so(registry, plan, users, client):
    registry.register(Computation("test-gone", "Försvinner", "antal", _constant(5)))
    indicator = services.indicator_create(
        actor=None, plan=plan, code="gone", name_sv="Borta", unit="st", computation="test-gone"
    )
    del registry._registry["test-gone"]
    [(_indicator, outcome, value)] = [r for r in services.indicators_recompute(year=2024) if r[0].code == "gone"]
    assert value is None and "finns inte i Civsam längre" in outcome
    page = client.get(indicator.get_absolute_url())
    assert page.status_code == 200 and "finns inte i Civsam längre" in page.content.decode()
    # Its other fields can still be changed; the missing computation cannot be chosen for another one.
    renamed = services.indicator_update(actor=users["admin"], indicator=indicator, name_sv="Nytt namn")
    assert renamed.name_sv == "Nytt namn" and renamed.computation == "test-gone"
    with pytest.raises(ValidationError):
        services.indicator_create(actor=None, plan=plan, code="gone-2", name_sv="B", unit="st", computation="test-gone")
    client.force_login(users["admin"])
    edit = client.get(reverse("plan:indicator-edit", args=["gone"])).context["form"]
    assert "test-gone" in dict(edit.fields["computation"].choices)


def test_recompute_stores_values_and_is_idempotent(plan, make_initiative, make_org):
    make_org()
    make_initiative(progress=10)
    services.indicator_create(
        actor=None, plan=plan, code="social", name_sv="Sociala företag", unit="st", computation="social-enterprises"
    )
    services.indicator_create(
        actor=None, plan=plan, code="ongoing", name_sv="Pågående", unit="st", computation="ongoing-initiatives"
    )
    services.indicator_create(actor=None, plan=plan, code="iop", name_sv="IOP", unit="st", computation="active-iops")
    out = StringIO()
    call_command("recompute_indicators", "--year", "2024", stdout=out)
    assert IndicatorValue.objects.get(indicator__code="ongoing", year=2024).value == 1
    assert IndicatorValue.objects.get(indicator__code="social", year=2024).is_computed
    # Active IOPs are counted by the agreements app: none registered here.
    assert IndicatorValue.objects.get(indicator__code="iop", year=2024).value == 0
    again = StringIO()
    call_command("recompute_indicators", "--year", "2024", stdout=again)
    assert again.getvalue().count("(unchanged)") == 3
