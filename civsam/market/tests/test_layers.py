"""The layers of the share of spend (pure, table-driven)."""

from __future__ import annotations

import pytest

from civsam.market.layers import LAYERS, TOTAL, SupplierFacts, layer_sums, share, supplier_layers


@pytest.mark.parametrize(
    ("orgnr", "facts", "reserved", "expected"),
    [
        ("8020001234", SupplierFacts(legal_form="61"), False, ("nonprofit",)),
        ("8020001234", SupplierFacts(legal_form="72", ideburen=True), False, ("nonprofit", "ideburen")),
        (
            "7696001234",
            SupplierFacts(legal_form="51", work_integrating=True),
            False,
            ("cooperative", "work_integrating"),
        ),
        ("7696001234", SupplierFacts(legal_form="53"), False, ()),  # bostadsrättsförening: never counted
        ("7696001234", SupplierFacts(legal_form="54"), False, ()),  # kooperativ hyresrättsförening
        ("5560001234", SupplierFacts(legal_form="49", social_enterprise=True), True, ("social_enterprise", "reserved")),
        ("8020001234", None, False, ("nonprofit",)),  # not in the register: the orgnr's group digit
        ("7696001234", None, False, ()),  # a 7 cannot tell a cooperative from a housing association
        ("5560001234", None, True, ("reserved",)),
    ],
)
def test_supplier_layers(orgnr, facts, reserved, expected):
    assert supplier_layers(orgnr, facts, reserved=reserved) == expected


def test_layer_sums_report_every_layer_separately():
    sums = {
        (2024, "8020001234"): [100_00, 2],
        (2024, "5560001234"): [300_00, 1],
        (2024, ""): [100_00, 1],  # a sole trader
        (2025, "5560001234"): [50_00, 1],
    }
    facts = {"8020001234": SupplierFacts(legal_form="61", ideburen=True)}
    result = {
        (r.year, r.layer): (r.ore, r.suppliers, r.invoices)
        for r in layer_sums(sums, facts, iop={2024: frozenset({"5560001234"})})
    }
    assert result[(2024, TOTAL)] == (500_00, 3, 4)
    assert result[(2024, "nonprofit")] == (100_00, 1, 2)
    assert result[(2024, "ideburen")] == (100_00, 1, 2)
    assert result[(2024, "iop")] == (300_00, 1, 1)
    assert result[(2025, "iop")] == (0, 0, 0)
    assert result[(2025, TOTAL)] == (50_00, 1, 1)
    assert {layer for _year, layer in result} == {TOTAL, *LAYERS}


@pytest.mark.parametrize(("part", "total", "expected"), [(50, 200, 0.25), (0, 100, 0.0), (10, 0, None), (5, -10, None)])
def test_share(part, total, expected):
    assert share(part, total) == expected
