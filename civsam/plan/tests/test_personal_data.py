"""The plan's part of a person's data export; consultation answers stay on the record, shown as by
"borttagen användare", when the account is deleted (ADR 0080)."""

from __future__ import annotations

import datetime
import json

from django.urls import reverse

from civsam.accounts.services import account_delete
from civsam.plan.models import Consultation, ConsultationResponse


def _answer(plan, users):
    consultation = Consultation.objects.create(
        plan=plan, title="Remiss om handlingsplanen", deadline=datetime.date(2030, 1, 31), created_by=users["admin"]
    )
    return ConsultationResponse.objects.create(
        consultation=consultation,
        organisation=users["own_org"],
        general_comment="Föreningen tillstyrker förslaget.",
        submitted_by=users["rep"],
    )


def test_the_export_lists_the_person_s_consultation_answers(client, plan, users):
    response = _answer(plan, users)
    client.force_login(users["rep"])
    data = json.loads(client.get(reverse("accounts:personal-data")).content)["plan"]
    [answer] = data["consultationResponses"]
    assert answer["consultation"] == {"id": response.consultation_id, "title": "Remiss om handlingsplanen"}
    assert answer["respondent"] == "Egna föreningen"
    assert answer["generalComment"] == "Föreningen tillstyrker förslaget."
    client.force_login(users["admin"])
    data = json.loads(client.get(reverse("accounts:personal-data")).content)["plan"]
    assert data["consultationsOpened"] == [{"id": response.consultation_id, "title": "Remiss om handlingsplanen"}]
    assert data["consultationResponses"] == []


def test_answers_stay_on_the_record_after_the_account_is_deleted(plan, users):
    response = _answer(plan, users)
    account_delete(actor=users["rep"], user=users["rep"])
    response.refresh_from_db()
    assert response.general_comment == "Föreningen tillstyrker förslaget."
    assert str(response.submitted_by) == "borttagen användare"
