"""The change history speaks in labels and names, not field names and codes (issue #14, ADR 0091)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civsam.core.history import readable_changes
from civsam.core.models import ActivityClass, AuditEntry, Municipality, SocietalRole
from civsam.core.services import audit_log
from civsam.registry.models import Organisation


def _names(model, *codes):
    return ", ".join(str(model.objects.get(code=code)) for code in codes)


# (field, [old, new] as the audit log stores them, the label, old and new as the page shows them)
CASES = [
    ("activity_classes", [["4"], ["4", "5"]], "Verksamhetsområden", lambda: _names(ActivityClass, "4"),
     lambda: _names(ActivityClass, "4", "5")),
    ("active_municipalities", [[], ["1880", "1881"]], None, lambda: "", lambda: _names(Municipality, "1880", "1881")),
    ("social_enterprise", [False, True], None, lambda: "Nej", lambda: "Ja"),
    ("name", ["Gamla IF", "Nya IF"], "Namn", lambda: "Gamla IF", lambda: "Nya IF"),
    ("legal_form", ["Ideell förening", "Stiftelse"], "Juridisk form", lambda: "Ideell förening", lambda: "Stiftelse"),
    ("no_longer_a_field", [None, "x"], "No longer a field", lambda: "", lambda: "x"),
    ("activity_classes", [["999"], []], "Verksamhetsområden", lambda: "999", lambda: ""),  # a code since removed
]  # fmt: skip


@pytest.mark.parametrize(("field", "pair", "label", "old", "new"), CASES)
def test_a_change_in_words(reference_data, field, pair, label, old, new):
    [(shown_label, shown_old, shown_new)] = readable_changes(Organisation, {field: pair})
    if label is None:
        label = str(Organisation._meta.get_field(field).verbose_name).capitalize()
    assert (shown_label, shown_old, shown_new) == (label, old(), new())
    assert field not in shown_label or field == "name"


def test_roles_by_their_names(reference_data):
    role = SocietalRole.objects.first()
    [(label, _old, new)] = readable_changes(Organisation, {"roles": [[], [role.code]]})
    assert label == "Roller" and new == str(role) and new != role.code


def test_the_history_page_shows_labels_and_names(client, users, make_org):
    organisation = make_org(name="Glada Ekeby IF")
    audit_log(
        actor=users["admin"],
        action=AuditEntry.Action.UPDATE,
        obj=organisation,
        changes={"activity_classes": [["4"], ["4", "5"]], "social_enterprise": [False, True]},
    )
    client.force_login(users["admin"])
    page = client.get(reverse("registry:organisation-history", args=[organisation.orgnr])).content.decode()
    assert f"<strong>Verksamhetsområden</strong>: {_names(ActivityClass, '4')} → {_names(ActivityClass, '4', '5')}" in (
        page.replace("&#x27;", "'")
    )
    assert "activity_classes" not in page and "['4']" not in page.replace("&#x27;", "'")
    assert "<strong>Socialt företag</strong>: Nej → Ja" in page
